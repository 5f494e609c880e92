// Widths of the session page's side panels and when the instances panel folds into a rail. Pure
// apart from the storage passed in.

/** At or below this viewport width the page shows one panel at a time (the phone layout). */
export const PHONE_MAX_WIDTH = 720;
/**
 * What the terminal needs to show 80 columns at the default font size (80 × 8.4 px, its padding and
 * scrollbar). The instances panel folds into a rail by itself when the terminal would get less.
 */
export const TERMINAL_MIN_WIDTH = 700;
/** The instances panel open and folded (rem are 16 px). */
export const INSTANCES_WIDTH = 224;
export const INSTANCES_RAIL_WIDTH = 48;
/** A resize handle between two panels. */
export const HANDLE_WIDTH = 6;

export interface PanelWidths {
  workshop: number;
  files: number;
}

export const DEFAULT_WIDTHS: PanelWidths = { workshop: 336, files: 272 };
export const MIN_PANEL_WIDTH = 240;
/** A panel never takes more than this share of the viewport. */
const MAX_PANEL_SHARE = 0.5;
const STORAGE_KEY = 'playground.panel-widths';

/** The widest a side panel may be in a viewport this wide (never below the minimum). */
export function maxPanelWidth(viewport: number): number {
  return Math.max(MIN_PANEL_WIDTH, Math.floor(viewport * MAX_PANEL_SHARE));
}

export function clampPanelWidth(width: number, viewport: number): number {
  return Math.round(Math.min(maxPanelWidth(viewport), Math.max(MIN_PANEL_WIDTH, width)));
}

/**
 * Whether the instances panel starts folded: when, open, it would leave the terminal less than
 * TERMINAL_MIN_WIDTH beside the panels shown (a person's own choice wins over this).
 */
export function instancesFoldByDefault(viewport: number, shown: { workshop?: number; files?: number }): boolean {
  const beside = (shown.workshop === undefined ? 0 : shown.workshop + HANDLE_WIDTH) + (shown.files === undefined ? 0 : shown.files + HANDLE_WIDTH);
  return viewport - INSTANCES_WIDTH - beside < TERMINAL_MIN_WIDTH;
}

/**
 * The least the terminal keeps beside the side panels (about 45 columns at the default font size):
 * below it the panels narrow, and when two do not fit even at their minimum only one shows.
 */
export const TERMINAL_MIN_BESIDE_PANELS = 420;

export type SidePanel = keyof PanelWidths;

/**
 * The widths the open side panels get in this viewport (`wanted` holds the open ones), beside the
 * instances rail and at least TERMINAL_MIN_BESIDE_PANELS of terminal: each narrows in proportion to
 * what it has above the minimum; when two do not fit even at their minimum, only `latest` (the one
 * opened last) shows and the other is left out of the answer.
 */
export function fitSidePanels(viewport: number, wanted: Partial<PanelWidths>, latest: SidePanel): Partial<PanelWidths> {
  let open = (['workshop', 'files'] as const).filter((panel) => wanted[panel] !== undefined);
  const room = (count: number) => viewport - INSTANCES_RAIL_WIDTH - count * HANDLE_WIDTH - TERMINAL_MIN_BESIDE_PANELS;
  if (open.length === 2 && room(2) < 2 * MIN_PANEL_WIDTH) open = [latest];
  const spare = Math.max(0, room(open.length) - open.length * MIN_PANEL_WIDTH);
  const wantedSpare = open.reduce((sum, panel) => sum + Math.max(0, wanted[panel]! - MIN_PANEL_WIDTH), 0);
  const share = wantedSpare === 0 ? 0 : Math.min(1, spare / wantedSpare);
  const fitted: Partial<PanelWidths> = {};
  for (const panel of open) fitted[panel] = MIN_PANEL_WIDTH + Math.floor(Math.max(0, wanted[panel]! - MIN_PANEL_WIDTH) * share);
  return fitted;
}

export function loadWidths(storage: Pick<Storage, 'getItem'> | undefined): PanelWidths {
  try {
    const stored = JSON.parse(storage?.getItem(STORAGE_KEY) ?? 'null') as Partial<PanelWidths> | null;
    const valid = (value: unknown, fallback: number) => (typeof value === 'number' && Number.isFinite(value) && value >= MIN_PANEL_WIDTH ? Math.round(value) : fallback);
    return { workshop: valid(stored?.workshop, DEFAULT_WIDTHS.workshop), files: valid(stored?.files, DEFAULT_WIDTHS.files) };
  } catch {
    return { ...DEFAULT_WIDTHS };
  }
}

export function saveWidths(storage: Pick<Storage, 'setItem'> | undefined, widths: PanelWidths): void {
  try {
    storage?.setItem(STORAGE_KEY, JSON.stringify(widths));
  } catch {
    // private mode or full storage: the widths last for this page only
  }
}
