// Tables printed as Markdown, so the output can go into the README as it is.

export interface Table {
  readonly title: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** Lines printed under the table. */
  readonly notes?: readonly string[];
}

/** Renders a table; columns after the first are right-aligned (they hold numbers). */
export function renderTable(table: Table): string {
  const widths = table.columns.map((column, i) => Math.max(column.length, ...table.rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    '| ' + widths.map((width, i) => (i === 0 ? (cells[i] ?? '').padEnd(width) : (cells[i] ?? '').padStart(width))).join(' | ') + ' |';
  const rule = '|' + widths.map((width, i) => (i === 0 ? '-'.repeat(width + 2) : '-'.repeat(width + 1) + ':')).join('|') + '|';
  return [`### ${table.title}`, '', line(table.columns), rule, ...table.rows.map(line), ...(table.notes?.length ? ['', ...table.notes] : []), ''].join(
    '\n',
  );
}

export function printTable(table: Table): void {
  console.log(renderTable(table));
}
