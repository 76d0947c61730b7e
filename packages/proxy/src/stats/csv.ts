// The stats as CSV (`show stat`, `<stats uri>;csv`): HAProxy's header line, then one line per
// row with every column in order, empty where haplo has no value, and a trailing comma.
import { CSV_HEADER, STAT_COLUMNS } from './columns.js';
import type { StatRow } from './rows.js';

/** HAProxy quotes nothing in CSV; it only replaces commas inside text fields. */
function cell(v: string | number | undefined): string {
  if (v === undefined) return '';
  return typeof v === 'number' ? String(v) : v.replace(/,/g, ' ');
}

export function csvLine(row: StatRow): string {
  return `${row.proxy},${row.name},${STAT_COLUMNS.slice(2).map((c) => cell(row.fields[c])).join(',')},`;
}

/** The whole CSV text, ending with the empty line HAProxy prints after the last row. */
export function renderCsv(rows: readonly StatRow[]): string {
  return `${CSV_HEADER}\n${rows.map(csvLine).join('\n')}${rows.length ? '\n' : ''}\n`;
}
