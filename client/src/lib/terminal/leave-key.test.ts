import { describe, expect, it } from 'vitest';
import { isLeaveKey } from './leave-key';

const key = (overrides: Partial<KeyboardEvent>) => ({ type: 'keydown', key: 'F6', ctrlKey: true, shiftKey: true, altKey: false, metaKey: false, ...overrides });

describe('the key that leaves the terminal', () => {
  it('is Ctrl+Shift+F6 pressed', () => {
    expect(isLeaveKey(key({}))).toBe(true);
  });

  it('leaves the keys a shell uses alone: Tab, Shift+Tab, Esc, F6, Ctrl+F6', () => {
    expect(isLeaveKey(key({ key: 'Tab' }))).toBe(false);
    expect(isLeaveKey(key({ key: 'Tab', ctrlKey: false }))).toBe(false);
    expect(isLeaveKey(key({ key: 'Escape', ctrlKey: false, shiftKey: false }))).toBe(false);
    expect(isLeaveKey(key({ ctrlKey: false, shiftKey: false }))).toBe(false);
    expect(isLeaveKey(key({ shiftKey: false }))).toBe(false);
    expect(isLeaveKey(key({ altKey: true }))).toBe(false);
    expect(isLeaveKey(key({ metaKey: true }))).toBe(false);
  });

  it('acts once, on keydown', () => {
    expect(isLeaveKey(key({ type: 'keyup' }))).toBe(false);
    expect(isLeaveKey(key({ type: 'keypress' }))).toBe(false);
  });
});
