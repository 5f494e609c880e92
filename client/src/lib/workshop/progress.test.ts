import { describe, expect, it } from 'vitest';
import { passedSteps, startingStep, workshopComplete } from './progress';

describe('workshop progress', () => {
  it('opens at the step the server reports, when the workshop has it', () => {
    expect(startingStep(3, 5)).toBe(3);
    expect(startingStep(5, 5)).toBe(5);
    expect(startingStep(undefined, 5)).toBe(1);
    expect(startingStep(0, 5)).toBe(1);
    expect(startingStep(9, 5)).toBe(1); // the trainer removed steps since
    expect(startingStep(2.5, 5)).toBe(1);
  });

  it('joins the steps passed on the server with those checked here, once each, ascending', () => {
    expect(passedSteps([3, 1], [2, 3])).toEqual([1, 2, 3]);
    expect(passedSteps(undefined, [4])).toEqual([4]);
    expect(passedSteps([], [])).toEqual([]);
  });

  it('is complete once every step with a check has passed, not before', () => {
    const steps = [{ number: 1, check: 'true' }, { number: 2 }, { number: 3, check: 'true' }];
    expect(workshopComplete(steps, [1, 3])).toBe(true);
    expect(workshopComplete(steps, [1])).toBe(false);
    expect(workshopComplete(steps, [])).toBe(false);
    expect(workshopComplete([{ number: 1 }], [])).toBe(false);
  });
});
