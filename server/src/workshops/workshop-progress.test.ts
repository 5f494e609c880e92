import { describe, expect, it } from 'vitest';
import { BadRequestError } from '../errors';
import { WorkshopProgress } from './workshop-progress';

describe('WorkshopProgress', () => {
  it('starts at step 1 with nothing passed', () => {
    expect(new WorkshopProgress('docker-101', 17).toInfo()).toEqual({ name: 'docker-101', passed: [], current: 1 });
  });

  it('records passed steps once each, in ascending order', () => {
    const progress = new WorkshopProgress('w', 5);
    progress.pass(3);
    progress.pass(1);
    progress.pass(3);
    expect(progress.toInfo().passed).toEqual([1, 3]);
  });

  it('moves to a step the workshop has', () => {
    const progress = new WorkshopProgress('w', 5);
    progress.moveTo(4);
    expect(progress.current).toBe(4);
    progress.moveTo(5);
    expect(progress.toInfo()).toEqual({ name: 'w', passed: [], current: 5 });
  });

  it('refuses steps the workshop does not have, and anything not a whole number, keeping the current step', () => {
    const progress = new WorkshopProgress('w', 5);
    progress.moveTo(2);
    for (const bad of [0, 6, 1.5, '3', null, undefined, Number.NaN]) {
      expect(() => progress.moveTo(bad)).toThrow(BadRequestError);
    }
    expect(() => progress.moveTo(9)).toThrow(/"current" must be a step of the workshop w: a whole number from 1 to 5/);
    expect(progress.current).toBe(2);
  });
});
