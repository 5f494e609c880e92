// What a code block's Run and Copy buttons say to a screen reader: the command itself, so that the
// four Run buttons of one step are told apart ("Run docker ps -a", not "▶ Run" four times).

/** Longest command text kept in a name; longer ones are cut at a word and end with "…". */
const MAX_COMMAND = 40;

/** The block's first non-empty line, shortened, with how many lines the block has when more than one. */
export function commandSummary(code: string): string {
  const lines = code.split('\n').map((line) => line.trim()).filter((line) => line !== '');
  const first = lines[0] ?? '';
  let shown = first;
  if (first.length > MAX_COMMAND) {
    const cut = first.slice(0, MAX_COMMAND);
    const space = cut.lastIndexOf(' ');
    // Cut at a word when one ends late enough; a single long word is cut where it is.
    shown = `${(space >= MAX_COMMAND / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
  }
  return lines.length > 1 ? `${shown} (${lines.length} lines)` : shown;
}

/** "Run docker ps -a", "Run docker login … on node2": visible text "Run" first (WCAG label in name). */
export function runLabel(code: string, instance: string): string {
  return `Run ${commandSummary(code)}${instance === 'node1' ? '' : ` on ${instance}`}`;
}

export function copyLabel(code: string): string {
  return `Copy ${commandSummary(code)}`;
}
