/** An entry of the command palette: a place to go. */
export interface Command {
  readonly id: string;
  readonly label: string;
  /** What kind of place, shown beside the label ("Page", "Topic", "Group"). */
  readonly kind: string;
  readonly href: string;
}

/**
 * Commands matching what the user typed, best first: a label that starts with the text,
 * then one with a word starting with it, then one containing it anywhere, then one holding
 * its characters in order ("ordv" finds "orders-v2"). Ties keep the given order.
 */
export function rankCommands(commands: readonly Command[], query: string, limit = 50): Command[] {
  const needle = query.trim().toLowerCase();
  if (needle === '') return commands.slice(0, limit);
  const scored: { command: Command; score: number; index: number }[] = [];
  commands.forEach((command, index) => {
    const score = matchScore(command.label.toLowerCase(), needle);
    if (score > 0) scored.push({ command, score, index });
  });
  return scored
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .slice(0, limit)
    .map((entry) => entry.command);
}

function matchScore(label: string, needle: string): number {
  if (label.startsWith(needle)) return 4;
  if (label.split(/[\s._-]+/).some((word) => word.startsWith(needle))) return 3;
  if (label.includes(needle)) return 2;
  let at = 0;
  for (const char of label) {
    if (char === needle[at]) at++;
    if (at === needle.length) return 1;
  }
  return 0;
}
