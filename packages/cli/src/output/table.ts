/**
 * @module
 * Plain text tables for people: a header row and left-aligned, padded columns.
 */

/** Renders rows under headers; cells are stringified, the last column is not padded. */
export function table(headers: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const cells = [
    headers.map(String),
    ...rows.map((row) =>
      row.map((cell) => (cell === null || cell === undefined ? '-' : String(cell))),
    ),
  ];
  const widths = headers.map((_, col) => Math.max(...cells.map((row) => (row[col] ?? '').length)));
  return cells
    .map((row) =>
      row
        .map((cell, col) => (col === row.length - 1 ? cell : cell.padEnd(widths[col] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')
    .concat('\n');
}

/** Renders `label: value` lines with aligned values. */
export function keyValues(pairs: readonly (readonly [string, unknown])[]): string {
  const width = Math.max(...pairs.map(([key]) => key.length)) + 1;
  return pairs
    .map(
      ([key, value]) =>
        `${`${key}:`.padEnd(width)} ${value === null || value === undefined ? '-' : String(value)}`,
    )
    .join('\n')
    .concat('\n');
}
