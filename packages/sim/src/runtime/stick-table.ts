// A stick table (stick_table.c): typed keys, a size limit that purges the least recently
// touched entries, expiry on the injected clock, and the stored data types with their counters
// and sliding-window rates. Entries are plain data; every operation takes `now`.
import type { StickTableModel } from '@haplo/parser';
import { formatAddress } from '../sample/address.js';
import { cast, type Sample } from '../sample/sample.js';
import { newFreqCtr, readFreqCtr, updateFreqCtr, type FreqCtr } from './freq-ctr.js';

export type TableKeyType = 'ip' | 'ipv6' | 'integer' | 'string' | 'binary';

/** A stored data type: `http_req_rate(10s)` → { name: 'http_req_rate', periodMs: 10000 }. */
export interface StoredType {
  name: string;
  periodMs?: number;
  /** Array size for `gpc(N)`, `gpt(N)`, `gpc_rate(N,period)`. */
  count?: number;
}

export interface StickEntry {
  key: string;
  /** The key as a sample of the table's type (for table dumps and in_table). */
  sample: Sample;
  /** When the entry expires (ms) if the table has `expire`; also its purge order otherwise. */
  expire: number;
  /** Streams tracking or storing the entry: it is never purged while referenced. */
  refs: number;
  /** Creation order, to break ties when purging. */
  seq: number;
  /** Server id and name stored by stick store rules. */
  serverId?: number;
  serverName?: string;
  values: Map<string, number>;
  rates: Map<string, FreqCtr>;
}

export interface StickTable {
  name: string;
  type: TableKeyType;
  keyLength: number;
  size: number;
  expireMs?: number;
  nopurge: boolean;
  store: ReadonlyMap<string, StoredType>;
  entries: Map<string, StickEntry>;
  seq: number;
}

const RATE_TYPES = new Set(['gpc0_rate', 'gpc1_rate', 'conn_rate', 'sess_rate', 'http_req_rate', 'http_err_rate', 'http_fail_rate', 'bytes_in_rate', 'bytes_out_rate', 'gpc_rate']);
const ARRAY_TYPES = new Set(['gpc', 'gpt', 'gpc_rate']);

/** Parses a time like `10s`, `1m`, `500` (ms) as HAProxy's parse_time_err does. */
export function parseTimeMs(text: string): number | undefined {
  const m = /^(\d+)(us|ms|s|m|h|d)?$/.exec(text.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  switch (m[2]) {
    case 'us': return Math.floor(n / 1000);
    case undefined: case 'ms': return n;
    case 's': return n * 1000;
    case 'm': return n * 60_000;
    case 'h': return n * 3_600_000;
    default: return n * 86_400_000;
  }
}

/** Parses one `store` item (`gpc0`, `http_req_rate(10s)`, `gpc(3)`, `gpc_rate(2,1m)`). */
export function parseStoredType(text: string): StoredType | undefined {
  const m = /^([a-z0-9_]+)(?:\(([^)]*)\))?$/.exec(text.trim());
  if (!m) return undefined;
  const name = m[1]!;
  const args = m[2] === undefined ? [] : m[2].split(',').map((s) => s.trim());
  if (ARRAY_TYPES.has(name)) {
    const count = Number(args[0]);
    if (!Number.isInteger(count) || count < 1) return undefined;
    return name === 'gpc_rate' ? { name, count, periodMs: parseTimeMs(args[1] ?? '') ?? 1000 } : { name, count };
  }
  if (RATE_TYPES.has(name)) return { name, periodMs: parseTimeMs(args[0] ?? '') ?? 1000 };
  return { name };
}

/** Builds an empty table from a proxy's `stick-table` line (named after the proxy). */
export function createStickTable(name: string, m: StickTableModel): StickTable {
  const store = new Map<string, StoredType>();
  for (const item of m.store.flatMap((s) => s.split(','))) {
    const t = parseStoredType(item);
    if (t) store.set(t.name, t);
  }
  store.set('server_id', { name: 'server_id' });
  const type = (['ip', 'ipv6', 'integer', 'string', 'binary'].includes(m.type ?? '') ? m.type : 'ip') as TableKeyType;
  return {
    name, type,
    keyLength: m.keyLength ?? 32,
    size: m.size ?? 1,
    expireMs: m.expireMs,
    nopurge: m.nopurge,
    store, entries: new Map(), seq: 0,
  };
}

/** The table key for a sample (cast to the table's type), or undefined when it cannot be one. */
export function tableKey(t: StickTable, s: Sample): { key: string; sample: Sample } | undefined {
  switch (t.type) {
    case 'ip': {
      const v = cast(s, 'ipv4');
      return v && v.type === 'ipv4' ? { key: formatAddress(v.value), sample: v } : undefined;
    }
    case 'ipv6': {
      const v = cast(s, 'ipv6');
      return v && v.type === 'ipv6' ? { key: formatAddress(v.value), sample: v } : undefined;
    }
    case 'integer': {
      const v = cast(s, 'sint');
      if (!v || v.type !== 'sint') return undefined;
      const n = v.value >>> 0;
      return { key: String(n), sample: { type: 'sint', value: n } };
    }
    case 'string': {
      const v = cast(s, 'str');
      if (!v || v.type !== 'str') return undefined;
      const text = v.value.slice(0, t.keyLength);
      return { key: text, sample: { type: 'str', value: text } };
    }
    case 'binary': {
      const v = cast(s, 'bin');
      if (!v || v.type !== 'bin') return undefined;
      const b = new Uint8Array(t.keyLength);
      b.set(v.value.subarray(0, t.keyLength));
      return { key: Buffer.from(b).toString('hex'), sample: { type: 'bin', value: b } };
    }
  }
}

const expired = (t: StickTable, e: StickEntry, now: number): boolean =>
  t.expireMs !== undefined && e.refs === 0 && e.expire <= now;

/** Drops expired entries (HAProxy's expiry task, run lazily). */
export function purgeExpired(t: StickTable, now: number): void {
  if (t.expireMs === undefined) return;
  for (const [k, e] of t.entries) if (expired(t, e, now)) t.entries.delete(k);
}

export function lookupEntry(t: StickTable, key: string, now: number): StickEntry | undefined {
  const e = t.entries.get(key);
  if (e && expired(t, e, now)) {
    t.entries.delete(key);
    return undefined;
  }
  return e;
}

/** Refreshes the expiry date (stktable_touch_local). */
export function touchEntry(t: StickTable, e: StickEntry, now: number): void {
  e.expire = now + (t.expireMs ?? 0);
}

/** Purges up to (size >> 8) + 1 unreferenced entries, soonest-expiring first. */
function trashOldest(t: StickTable, now: number): number {
  purgeExpired(t, now);
  if (t.entries.size < t.size) return 1;
  const batch = (t.size >> 8) + 1;
  const victims = [...t.entries.values()].filter((e) => e.refs === 0).sort((a, b) => a.expire - b.expire || a.seq - b.seq).slice(0, batch);
  for (const v of victims) t.entries.delete(v.key);
  return victims.length;
}

/** The entry for a key, created (purging old ones when the table is full) if missing. */
export function getOrCreateEntry(t: StickTable, k: { key: string; sample: Sample }, now: number): StickEntry | undefined {
  const found = lookupEntry(t, k.key, now);
  if (found) return found;
  if (t.entries.size >= t.size) {
    if (t.nopurge) {
      purgeExpired(t, now);
      if (t.entries.size >= t.size) return undefined;
    } else if (!trashOldest(t, now)) return undefined;
  }
  const e: StickEntry = { key: k.key, sample: k.sample, expire: now + (t.expireMs ?? 0), refs: 0, seq: t.seq++, values: new Map(), rates: new Map() };
  t.entries.set(k.key, e);
  return e;
}

/** Live entries (expired ones dropped first). */
export function entryCount(t: StickTable, now: number): number {
  purgeExpired(t, now);
  return t.entries.size;
}

const slot = (name: string, idx?: number): string => (idx === undefined ? name : `${name}[${idx}]`);

/** Whether the table stores this data type (and, for arrays, this index). */
export function stores(t: StickTable, name: string, idx?: number): boolean {
  const s = t.store.get(name);
  if (!s) return false;
  return idx === undefined || (s.count !== undefined && idx >= 0 && idx < s.count);
}

/** A stored counter's value, or a rate over its period; undefined when the type is not stored. */
export function readData(t: StickTable, e: StickEntry, name: string, now: number, idx?: number): number | undefined {
  if (!stores(t, name, idx)) return undefined;
  const s = t.store.get(name)!;
  if (name === 'server_id') return e.serverId ?? 0;
  if (s.periodMs !== undefined) {
    const c = e.rates.get(slot(name, idx));
    return c ? readFreqCtr(c, s.periodMs, now) : 0;
  }
  return e.values.get(slot(name, idx)) ?? 0;
}

/** Adds to a counter or a rate when the table stores it; returns whether it did. */
export function addData(t: StickTable, e: StickEntry, name: string, now: number, inc = 1, idx?: number): boolean {
  if (!stores(t, name, idx)) return false;
  const s = t.store.get(name)!;
  const k = slot(name, idx);
  if (s.periodMs !== undefined) {
    let c = e.rates.get(k);
    if (!c) e.rates.set(k, (c = newFreqCtr()));
    updateFreqCtr(c, s.periodMs, now, inc);
  } else {
    const v = (e.values.get(k) ?? 0) + inc;
    e.values.set(k, v < 0 ? 0 : Math.min(v, 0xffffffff));
  }
  return true;
}

/** Sets a plain counter (gpt0, gpc0 cleared…); returns whether the table stores it. */
export function setData(t: StickTable, e: StickEntry, name: string, value: number, idx?: number): boolean {
  if (!stores(t, name, idx)) return false;
  e.values.set(slot(name, idx), value >>> 0);
  return true;
}
