// Geometry and colour checks of the rendered page: what a person sees, measured in the browser.
import type { Locator, Page } from '@playwright/test';
import type { Terminal } from '@xterm/xterm';
import { expect } from './fixtures';

type TerminalWindow = Window & { __playgroundTerminals?: Record<string, Terminal> };

export interface Box {
  name: string;
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** The columns and rows of an instance's terminal (its first tab). */
export async function terminalSize(page: Page, instance = 'node1'): Promise<{ cols: number; rows: number }> {
  return page.evaluate((instance) => {
    const term = (window as TerminalWindow).__playgroundTerminals?.[instance];
    return { cols: term?.cols ?? 0, rows: term?.rows ?? 0 };
  }, instance);
}

/** The boxes of the visible elements among those named (the hidden ones are left out). */
export async function boxes(named: Record<string, Locator>): Promise<Box[]> {
  const found: Box[] = [];
  for (const [name, locator] of Object.entries(named)) {
    for (const one of await locator.all()) {
      if (!(await one.isVisible())) continue;
      const rect = await one.evaluate((element) => {
        const { left, top, right, bottom } = element.getBoundingClientRect();
        return { left, top, right, bottom };
      });
      found.push({ name, ...rect });
    }
  }
  return found;
}

/** Pairs of boxes that share more than a pixel's sliver. */
export function overlaps(all: Box[]): string[] {
  const found: string[] = [];
  for (let i = 0; i < all.length; i++) {
    for (let j = i + 1; j < all.length; j++) {
      const a = all[i]!;
      const b = all[j]!;
      const x = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const y = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (x > 1 && y > 1) found.push(`${a.name} overlaps ${b.name}`);
    }
  }
  return found;
}

/** Boxes that reach past the viewport's edges. */
export function offScreen(all: Box[], viewport: { width: number; height: number }): string[] {
  return all
    .filter((box) => box.left < -1 || box.top < -1 || box.right > viewport.width + 1 || box.bottom > viewport.height + 1)
    .map((box) => `${box.name} is off screen (${Math.round(box.left)},${Math.round(box.top)} to ${Math.round(box.right)},${Math.round(box.bottom)})`);
}

/** The element is what a click at its centre reaches: nothing covers it. */
export async function expectUncovered(locator: Locator): Promise<void> {
  const reached = await locator.evaluate((element) => {
    const { left, top, width, height } = element.getBoundingClientRect();
    const hit = document.elementFromPoint(left + width / 2, top + height / 2);
    return hit !== null && (hit === element || element.contains(hit));
  });
  expect(reached, `${locator} is covered by another element`).toBe(true);
}

export interface ContrastProblem {
  text: string;
  color: string;
  background: string;
  ratio: number;
}

/**
 * Every visible piece of text on the page (text nodes, input values and placeholders), outside the
 * terminal's screen, whose colour has less than `minimum` contrast (WCAG 2) against the background
 * it is drawn on: the first opaque background up its ancestors, with the translucent ones on the
 * way blended in, and the text faded by any opacity on the way. Disabled controls are left out
 * (WCAG exempts inactive components).
 */
export async function contrastProblems(page: Page, minimum = 4.5): Promise<ContrastProblem[]> {
  return page.evaluate((minimum) => {
    type Rgba = [number, number, number, number];
    const parse = (css: string): Rgba => {
      const match = /rgba?\(([^)]+)\)/.exec(css);
      if (!match) return [0, 0, 0, 0];
      const parts = match[1]!.split(/[\s,/]+/).filter(Boolean).map(Number);
      return [parts[0]!, parts[1]!, parts[2]!, parts[3] ?? 1];
    };
    const over = (top: Rgba, bottom: Rgba): Rgba => {
      const a = top[3];
      return [top[0] * a + bottom[0] * (1 - a), top[1] * a + bottom[1] * (1 - a), top[2] * a + bottom[2] * (1 - a), 1];
    };
    const luminance = ([r, g, b]: Rgba) => {
      const channel = (v: number) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
    };
    const ratio = (a: Rgba, b: Rgba) => {
      const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p) as [number, number];
      return (x + 0.05) / (y + 0.05);
    };
    const hex = (c: Rgba) => `#${c.slice(0, 3).map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`;
    const background = (element: Element): Rgba => {
      const layers: Rgba[] = [];
      for (let at: Element | null = element; at; at = at.parentElement) {
        const layer = parse(getComputedStyle(at).backgroundColor);
        if (layer[3] > 0) layers.push(layer);
        if (layer[3] >= 1) break;
      }
      // The canvas under everything: white unless the page's root paints one.
      let result: Rgba = [255, 255, 255, 1];
      for (const layer of layers.reverse()) result = over(layer, result);
      return result;
    };
    const opacity = (element: Element) => {
      let value = 1;
      for (let at: Element | null = element; at; at = at.parentElement) value *= Number(getComputedStyle(at).opacity);
      return value;
    };
    const shown = (element: Element) => {
      if (element.closest('.xterm, [disabled], dialog:not([open])')) return false;
      if (!element.checkVisibility({ checkOpacity: true, visibilityProperty: true })) return false;
      const rect = element.getBoundingClientRect();
      return rect.width >= 2 && rect.height >= 2;
    };
    const problems: Array<{ text: string; color: string; background: string; ratio: number }> = [];
    const check = (element: Element, text: string, colour: string) => {
      const bg = background(element);
      const fg = parse(colour);
      const drawn = over([fg[0], fg[1], fg[2], fg[3] * opacity(element)], bg);
      const value = ratio(drawn, bg);
      if (value < minimum) problems.push({ text: text.trim().slice(0, 60), color: hex(drawn), background: hex(bg), ratio: Math.round(value * 100) / 100 });
    };
    for (const element of document.body.querySelectorAll('*')) {
      if (!shown(element)) continue;
      if (element instanceof HTMLInputElement && ['text', 'search', 'url', ''].includes(element.type)) {
        if (element.value) check(element, element.value, getComputedStyle(element).color);
        else if (element.placeholder) check(element, element.placeholder, getComputedStyle(element, '::placeholder').color);
        continue;
      }
      const text = [...element.childNodes]
        .filter((node) => node.nodeType === Node.TEXT_NODE)
        .map((node) => node.textContent ?? '')
        .join('');
      if (text.trim() === '') continue;
      check(element, text, getComputedStyle(element).color);
    }
    return problems;
  }, minimum);
}
