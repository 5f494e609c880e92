import { describe, expect, it } from 'vitest';
import { endMarker, spliceResults, startMarker } from './results-doc';

const ORDER = ['a', 'b', 'c'];
const INTRO = '# Performance\n\nHow to rerun.\n';

describe('spliceResults', () => {
  it('adds the results heading and the sections in order', () => {
    const doc = spliceResults(INTRO, new Map([['c', 'C1'], ['a', 'A1']]), ORDER);
    expect(doc).toBe(
      `# Performance\n\nHow to rerun.\n\n## Latest results\n\n${startMarker('a')}\nA1\n${endMarker('a')}\n\n${startMarker('c')}\nC1\n${endMarker('c')}\n`,
    );
  });

  it('replaces a section in place and keeps the others and the intro', () => {
    const first = spliceResults(INTRO, new Map([['a', 'A1'], ['b', 'B1'], ['c', 'C1']]), ORDER);
    const second = spliceResults(first, new Map([['b', 'B2 line\nmore']]), ORDER);
    expect(second).toContain('How to rerun.');
    expect(second).toContain('A1');
    expect(second).toContain('C1');
    expect(second).toContain(`${startMarker('b')}\nB2 line\nmore\n${endMarker('b')}`);
    expect(second).not.toContain('B1');
    expect(second.indexOf('A1')).toBeLessThan(second.indexOf('B2'));
    expect(second.indexOf('B2')).toBeLessThan(second.indexOf('C1'));
  });

  it('slots a new section between existing ones by the order', () => {
    const first = spliceResults(INTRO, new Map([['a', 'A1'], ['c', 'C1']]), ORDER);
    const second = spliceResults(first, new Map([['b', 'B1']]), ORDER);
    expect(second.indexOf('A1')).toBeLessThan(second.indexOf('B1'));
    expect(second.indexOf('B1')).toBeLessThan(second.indexOf('C1'));
  });

  it('is stable: splicing the same results twice gives the same document', () => {
    const sections = new Map([['a', 'A1'], ['b', 'B1']]);
    const once = spliceResults(INTRO, sections, ORDER);
    expect(spliceResults(once, sections, ORDER)).toBe(once);
  });
});
