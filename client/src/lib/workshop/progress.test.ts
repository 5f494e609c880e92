import { describe, expect, it } from 'vitest';
import { loadProgress, saveProgress } from './progress';

function memoryStorage() {
  const items = new Map<string, string>();
  return { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v) };
}

describe('workshop progress', () => {
  it('round-trips per session and starts at step 1', () => {
    const storage = memoryStorage();
    expect(loadProgress(storage, 's1', 5)).toEqual({ step: 1, passed: [] });
    saveProgress(storage, 's1', { step: 3, passed: [1, 2] });
    expect(loadProgress(storage, 's1', 5)).toEqual({ step: 3, passed: [1, 2] });
    expect(loadProgress(storage, 's2', 5)).toEqual({ step: 1, passed: [] });
  });

  it('ignores steps the workshop does not have and garbage', () => {
    const storage = memoryStorage();
    saveProgress(storage, 's', { step: 9, passed: [1, 9] });
    expect(loadProgress(storage, 's', 5)).toEqual({ step: 1, passed: [1] });
    storage.setItem('playground.workshop-progress.s', '{oops');
    expect(loadProgress(storage, 's', 5)).toEqual({ step: 1, passed: [] });
  });
});
