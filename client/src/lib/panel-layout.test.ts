import { describe, expect, it } from 'vitest';
import { clampPanelWidth, DEFAULT_WIDTHS, instancesFoldByDefault, loadWidths, maxPanelWidth, MIN_PANEL_WIDTH, saveWidths } from './panel-layout';

function memoryStorage() {
  const items = new Map<string, string>();
  return { getItem: (key: string) => items.get(key) ?? null, setItem: (key: string, value: string) => void items.set(key, value) };
}

describe('panel layout', () => {
  it('keeps a panel between its minimum and half the viewport', () => {
    expect(clampPanelWidth(100, 1400)).toBe(MIN_PANEL_WIDTH);
    expect(clampPanelWidth(2000, 1400)).toBe(700);
    expect(clampPanelWidth(400.4, 1400)).toBe(400);
    expect(maxPanelWidth(300)).toBe(MIN_PANEL_WIDTH);
  });

  it('folds the instances panel when the terminal would get less than 80 columns', () => {
    // 1280 px with a workshop: the panel fits beside an 80-column terminal.
    expect(instancesFoldByDefault(1280, { workshop: DEFAULT_WIDTHS.workshop })).toBe(false);
    // 1400 px with the workshop and Files: it does not.
    expect(instancesFoldByDefault(1400, { workshop: DEFAULT_WIDTHS.workshop, files: DEFAULT_WIDTHS.files })).toBe(true);
    expect(instancesFoldByDefault(1400, { files: DEFAULT_WIDTHS.files })).toBe(false);
    expect(instancesFoldByDefault(800, {})).toBe(true);
  });

  it('round-trips the widths through storage and ignores what is malformed', () => {
    const storage = memoryStorage();
    expect(loadWidths(storage)).toEqual(DEFAULT_WIDTHS);
    saveWidths(storage, { workshop: 420, files: 300 });
    expect(loadWidths(storage)).toEqual({ workshop: 420, files: 300 });
    storage.setItem('playground.panel-widths', '{"workshop":"wide","files":10}');
    expect(loadWidths(storage)).toEqual(DEFAULT_WIDTHS);
    storage.setItem('playground.panel-widths', 'nope');
    expect(loadWidths(storage)).toEqual(DEFAULT_WIDTHS);
    expect(loadWidths(undefined)).toEqual(DEFAULT_WIDTHS);
  });
});
