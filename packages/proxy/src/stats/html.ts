// The HTML stats page: a compact version of HAProxy's report — one table per proxy with the
// columns operators read most, the same CSS class names for server states, and the refresh.
import type { StatsSettings } from '@haplo/sim';
import type { StatRow } from './rows.js';

const COLUMNS: readonly [string, string][] = [
  ['Name', 'svname'], ['Cur queue', 'qcur'], ['Cur sessions', 'scur'], ['Max sessions', 'smax'], ['Total sessions', 'stot'],
  ['Bytes in', 'bin'], ['Bytes out', 'bout'], ['Denied req', 'dreq'], ['Errors conn', 'econ'], ['Errors resp', 'eresp'],
  ['Status', 'status'], ['LastChk', 'check_status'], ['Wght', 'weight'], ['Act', 'act'], ['Bck', 'bck'], ['Chk', 'chkfail'], ['Dwn', 'chkdown'],
];

const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function rowClass(r: StatRow): string {
  if (r.type === 0) return 'frontend';
  if (r.type === 1) return 'backend';
  const s = String(r.fields.status ?? '');
  const side = r.fields.bck === 1 ? 'backup' : 'active';
  if (s === 'MAINT') return 'maintain';
  if (s === 'DRAIN') return 'draining';
  return s.startsWith('DOWN') ? `${side}_down` : `${side}_up`;
}

export function renderHtml(rows: readonly StatRow[], settings: StatsSettings | undefined, refresh: boolean): string {
  const meta = refresh && settings?.refreshSeconds ? `<meta http-equiv="refresh" content="${settings.refreshSeconds}">\n` : '';
  let out = '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN"\n"http://www.w3.org/TR/html4/loose.dtd">\n'
    + `<html><head><title>Statistics Report for HAProxy</title>\n${meta}<style type="text/css"><!--\n`
    + '.frontend, .backend {background: #e8e8d0;} .active_up {background: #c0ffc0;} .active_down {background: #ff9090;}\n'
    + '.backup_up {background: #b0d0ff;} .backup_down {background: #ff9090;} .maintain {background: #c07820;} .draining {background: #20a0ff;}\n'
    + '--></style></head>\n<body><h1>HAProxy</h1>\n<h2>Statistics Report</h2>\n';
  let proxy: string | undefined;
  for (const r of rows) {
    if (r.proxy !== proxy) {
      if (proxy !== undefined) out += '</table><p>\n';
      proxy = r.proxy;
      out += `<table class="tbl"><tr class="titre"><th class="pxname">${escape(r.proxy)}</th></tr>\n`
        + `<tr class="titre">${COLUMNS.map(([t]) => `<th>${t}</th>`).join('')}</tr>\n`;
    }
    out += `<tr class="${rowClass(r)}">${COLUMNS.map(([, c]) => `<td>${escape(String((c === 'svname' ? r.name : r.fields[c as keyof StatRow['fields']]) ?? ''))}</td>`).join('')}</tr>\n`;
  }
  if (proxy !== undefined) out += '</table><p>\n';
  return out + '</body></html>\n';
}
