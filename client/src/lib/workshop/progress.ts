// Where a person is in a session's workshop, kept in localStorage so a reload does not lose it.

export interface WorkshopProgress {
  /** 1-based. */
  step: number;
  passed: number[];
}

const key = (sessionId: string) => `playground.workshop-progress.${sessionId}`;

export function loadProgress(storage: Pick<Storage, 'getItem'> | undefined, sessionId: string, steps: number): WorkshopProgress {
  try {
    const stored = JSON.parse(storage?.getItem(key(sessionId)) ?? 'null') as Partial<WorkshopProgress> | null;
    const step = Number.isInteger(stored?.step) && stored!.step! >= 1 && stored!.step! <= steps ? stored!.step! : 1;
    const passed = Array.isArray(stored?.passed) ? stored!.passed!.filter((n) => Number.isInteger(n) && n >= 1 && n <= steps) : [];
    return { step, passed };
  } catch {
    return { step: 1, passed: [] };
  }
}

export function saveProgress(storage: Pick<Storage, 'setItem'> | undefined, sessionId: string, progress: WorkshopProgress): void {
  try {
    storage?.setItem(key(sessionId), JSON.stringify(progress));
  } catch {
    // storage unavailable: progress lasts for this page
  }
}
