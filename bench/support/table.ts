/** A column of a printed table; numbers read best right-aligned. */
export interface Column {
  readonly header: string;
  readonly align?: 'left' | 'right';
}

/**
 * Prints rows under a header in plain aligned text (no box drawing), so the output stays readable when
 * pasted into an issue, a commit message or a markdown code block.
 */
export function printTable(columns: readonly Column[], rows: readonly (readonly string[])[]): void {
  const widths = columns.map((column, index) =>
    Math.max(column.header.length, ...rows.map((row) => (row[index] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    columns
      .map((column, index) => {
        const cell = cells[index] ?? '';
        const width = widths[index] ?? 0;
        return column.align === 'right' ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  console.log(line(columns.map((column) => column.header)));
  console.log(line(widths.map((width) => '-'.repeat(width))));
  for (const row of rows) console.log(line(row));
}
