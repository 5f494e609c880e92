// The terminal takes every key a shell needs, Tab, Shift+Tab and Esc included (completion, vi), so a
// keyboard alone could not leave it. This key, which no shell or terminal program uses, moves the
// focus out to the terminal's toolbar (README: "In the page").

/** As shown to people. */
export const LEAVE_TERMINAL_KEY = 'Ctrl+Shift+F6';

/** Whether a key event is the leave key being pressed. */
export function isLeaveKey(event: Pick<KeyboardEvent, 'type' | 'key' | 'ctrlKey' | 'shiftKey' | 'altKey' | 'metaKey'>): boolean {
  return event.type === 'keydown' && event.key === 'F6' && event.ctrlKey && event.shiftKey && !event.altKey && !event.metaKey;
}
