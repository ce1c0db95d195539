// CSV for exports (RFC 4180): a header row, then one line per row; fields quoted when they need it.
export interface CsvTable {
  columns: readonly string[];
  rows: readonly (readonly CsvValue[])[];
}
export type CsvValue = string | number | boolean | null | undefined;

/** A cell a spreadsheet would run as a formula (=, +, -, @ first) is prefixed with a quote (CWE-1236). */
const FORMULA = /^[=+\-@\t\r]/;

function field(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  let text = String(value);
  if (typeof value === 'string' && FORMULA.test(text) && !/^-?\d/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(table: CsvTable): string {
  const lines = [table.columns.map(field).join(',')];
  for (const row of table.rows) lines.push(row.map(field).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
