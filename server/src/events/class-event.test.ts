import { describe, expect, it } from 'vitest';
import { ClassEvent, displayName, eventSettings, resultsCsv } from './class-event';

const NOW = new Date('2026-12-03T10:00:00Z');
const titles = (name: string) => (name === 'docker-101' ? 'Docker 101' : undefined);

describe('a class', () => {
  it('has defaults: starts now, lasts two hours, twenty seats, the workshop\'s title', () => {
    expect(eventSettings({ workshop: 'docker-101' }, NOW, titles)).toEqual({ title: 'Docker 101', workshop: 'docker-101', seats: 20, startsAt: NOW, endsAt: new Date('2026-12-03T12:00:00Z') });
    expect(eventSettings({ workshop: 'docker-101', title: '  Friday class ', minutes: 30 }, NOW, titles).title).toBe('Friday class');
    expect(() => eventSettings({ workshop: 'docker-101', minutes: 5 }, NOW, titles)).toThrow(/"minutes"/);
    expect(() => eventSettings({ workshop: 'docker-101', startsAt: 'soon' }, NOW, titles)).toThrow(/"startsAt"/);
  });

  it('takes display names as typed, within bounds', () => {
    expect(displayName('  Ada   Lovelace ')).toBe('Ada Lovelace');
    expect(() => displayName('x'.repeat(41))).toThrow(/1 to 40/);
    expect(() => displayName('bell\u0007')).toThrow(/1 to 40/);
    expect(() => displayName(7)).toThrow(/display name/);
  });

  it('keeps the latest fifty messages, each 1 to 500 characters', () => {
    const event = new ClassEvent('abcdefgh', 'key', eventSettings({ workshop: 'docker-101' }, NOW, titles));
    for (let i = 0; i < 55; i += 1) event.broadcast(`message ${i}`, NOW);
    expect(event.messages).toHaveLength(50);
    expect(event.messages[0]!.text).toBe('message 5');
    expect(() => event.broadcast('x'.repeat(501), NOW)).toThrow(/1 to 500/);
  });

  it('writes results a spreadsheet opens as text: quotes where needed, formulas defused', () => {
    const csv = resultsCsv(['Run, then check', 'List'], [
      { name: '=HYPERLINK("x")', joinedAt: NOW, passed: [1], current: 2 },
      { name: 'Grace "G" Hopper', joinedAt: NOW, passed: [], current: 1 },
    ]);
    expect(csv.split('\r\n')).toEqual([
      'name,joined,current step,steps passed,"1. Run, then check",2. List',
      `"'=HYPERLINK(""x"")",2026-12-03T10:00:00.000Z,2,1,1,0`,
      '"Grace ""G"" Hopper",2026-12-03T10:00:00.000Z,1,0,0,0',
      '',
    ]);
  });
});
