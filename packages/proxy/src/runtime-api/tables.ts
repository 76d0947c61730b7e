// `show table [name]` and `clear table <name> [key <k>]` in HAProxy 2.6's layout:
//   # table: st, type: ip, size:100, used:1
//   0x55af8ca9c628: key=127.0.0.1 use=0 exp=26828 conn_cur=0 http_req_cnt=5
// Data columns come in HAProxy's data-type order (stick_table.h), rates with their period.
import { entryCount, readData, type SimRuntime, type StickEntry, type StickTable } from '@haplo/sim';

const DATA_ORDER = [
  'server_id', 'gpt0', 'gpc0', 'gpc0_rate', 'conn_cnt', 'conn_rate', 'conn_cur', 'sess_cnt', 'sess_rate',
  'http_req_cnt', 'http_req_rate', 'http_err_cnt', 'http_err_rate', 'bytes_in_cnt', 'bytes_in_rate',
  'bytes_out_cnt', 'bytes_out_rate', 'gpc1', 'gpc1_rate', 'server_key', 'http_fail_cnt', 'http_fail_rate',
  'gpt', 'gpc', 'gpc_rate',
];

function tableHead(t: StickTable, now: number): string {
  return `# table: ${t.name}, type: ${t.type}, size:${t.size}, used:${entryCount(t, now)}\n`;
}

/** A stable stand-in for HAProxy's entry pointer (the binary prints a memory address). */
function pointer(e: StickEntry): string {
  return `0x${(0x5600000000 + e.seq * 0x40).toString(16)}`;
}

function entryLine(t: StickTable, e: StickEntry, now: number): string {
  let out = `${pointer(e)}: key=${e.key} use=${e.refs}`;
  if (t.expireMs !== undefined) out += ` exp=${Math.max(0, e.expire - now)}`;
  for (const name of DATA_ORDER) {
    const s = t.store.get(name);
    if (!s) continue;
    // The simulator always keeps server_id; HAProxy shows it once a stick rule stored one.
    if (name === 'server_id' && e.serverId === undefined) continue;
    if (s.count !== undefined) {
      for (let i = 0; i < s.count; i++) out += ` ${name}[${i}]=${readData(t, e, name, now, i) ?? 0}`;
      continue;
    }
    if (name === 'server_key') {
      out += ` server_key=${e.serverName ?? ''}`;
      continue;
    }
    const label = s.periodMs !== undefined ? `${name}(${s.periodMs})` : name;
    out += ` ${label}=${readData(t, e, name, now) ?? 0}`;
  }
  return out + '\n';
}

export function showTable(rt: SimRuntime, name: string | undefined): string {
  const now = rt.now();
  if (name === undefined) return [...rt.tables.values()].map((t) => tableHead(t, now)).join('') + '\n';
  const t = rt.table(name);
  if (!t) return 'No such table\n';
  let out = tableHead(t, now);
  for (const e of t.entries.values()) out += entryLine(t, e, now);
  return out + '\n';
}

export function clearTable(rt: SimRuntime, name: string | undefined, args: readonly string[]): string {
  const t = name === undefined ? undefined : rt.table(name);
  if (!t) return 'No such table\n';
  if (args[0] === 'key') {
    const key = args[1] ?? '';
    const e = t.entries.get(key);
    if (e && e.refs === 0) t.entries.delete(key);
    return '\n';
  }
  for (const [k, e] of t.entries) if (e.refs === 0) t.entries.delete(k);
  return '\n';
}
