// Keyboard movement between terminal tabs, as the WAI-ARIA tabs pattern has it: the arrows go to the
// neighbour (wrapping round), Home and End to the first and last tab.

/** The tab a key leads to from `current`, or undefined when the key does not move between tabs. */
export function tabForKey(tabs: readonly number[], current: number, key: string): number | undefined {
  const index = tabs.indexOf(current);
  if (index < 0) return undefined;
  switch (key) {
    case 'ArrowRight':
      return tabs[(index + 1) % tabs.length];
    case 'ArrowLeft':
      return tabs[(index - 1 + tabs.length) % tabs.length];
    case 'Home':
      return tabs[0];
    case 'End':
      return tabs[tabs.length - 1];
    default:
      return undefined;
  }
}
