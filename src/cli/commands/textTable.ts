/**
 * Column-aligned text, as Kafka's tools print describe output: one header line, values
 * padded to the widest in each column, "-" for a missing value.
 */
export type Cell = string | number | boolean | null | undefined;

export function formatTable(headers: string[], rows: Cell[][]): string {
  const text = rows.map((row) => row.map((cell) => (cell === null || cell === undefined || cell === '' ? '-' : String(cell))));
  const widths = headers.map((header, column) => Math.max(header.length, ...text.map((row) => row[column]?.length ?? 0)));
  const line = (cells: string[]) => cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ');
  return [line(headers), ...text.map(line)].join('\n') + '\n';
}
