import { describe, expect, it } from 'vitest';
import { clampPanelWidth, DEFAULT_WIDTHS, fitSidePanels, HANDLE_WIDTH, TERMINAL_MIN_BESIDE_PANELS, INSTANCES_RAIL_WIDTH, instancesFoldByDefault, loadWidths, maxPanelWidth, MIN_PANEL_WIDTH, saveWidths } from './panel-layout';

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

  it('leaves side panels as wanted where they fit beside the terminal', () => {
    expect(fitSidePanels(1400, { workshop: 336, files: 272 }, 'files')).toEqual({ workshop: 336, files: 272 });
    expect(fitSidePanels(1280, { workshop: 336 }, 'workshop')).toEqual({ workshop: 336 });
    expect(fitSidePanels(1280, {}, 'files')).toEqual({});
  });

  it('narrows both panels to keep the terminal its room, then shows only the one opened last', () => {
    // 1024 px: both fit once narrowed, and the terminal keeps its room.
    const narrowed = fitSidePanels(1024, { workshop: 336, files: 272 }, 'files');
    expect(narrowed.workshop).toBeLessThan(336);
    expect(narrowed.files).toBeLessThan(272);
    expect(narrowed.workshop).toBeGreaterThanOrEqual(MIN_PANEL_WIDTH);
    expect(1024 - INSTANCES_RAIL_WIDTH - 2 * HANDLE_WIDTH - narrowed.workshop! - narrowed.files!).toBeGreaterThanOrEqual(TERMINAL_MIN_BESIDE_PANELS);
    // 760 px: two do not fit at their minimum; the one opened last shows.
    expect(Object.keys(fitSidePanels(760, { workshop: 336, files: 272 }, 'files'))).toEqual(['files']);
    expect(Object.keys(fitSidePanels(760, { workshop: 336, files: 272 }, 'workshop'))).toEqual(['workshop']);
    // Alone at 760 px the workshop narrows so the terminal keeps its room.
    expect(fitSidePanels(760, { workshop: 336 }, 'workshop').workshop).toBe(760 - INSTANCES_RAIL_WIDTH - HANDLE_WIDTH - TERMINAL_MIN_BESIDE_PANELS);
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
