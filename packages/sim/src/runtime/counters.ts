// Stick-counter operations shared by the sc_*/src_* fetches, the table_* converters and the
// actions (track-sc, sc-inc-gpc0, sc-set-gpt0…): plain functions over a Runtime.
import type { Sample } from '../sample/sample.js';
import type { StreamContext } from '../stream/context.js';
import type { Runtime, StickCounter, TrackOrigin } from './runtime.js';
import { addData, getOrCreateEntry, lookupEntry, readData, setData, stores, tableKey, touchEntry, type StickEntry, type StickTable } from './stick-table.js';
import './link.js';

/** A resolved counter: the table and the entry (undefined when the key is not in the table). */
export interface CounterRef {
  table: StickTable;
  entry?: StickEntry;
}

/** track-sc<slot>: for the pipeline's track-sc actions. */
export function trackSc(ctx: StreamContext, rt: Runtime, slot: number, table: string, key: Sample, origin: TrackOrigin, opts?: { backend?: boolean; status?: number }): StickCounter | undefined {
  return rt.track(ctx, slot, table, key, origin, opts);
}

/**
 * The counter `sc<slot>` refers to; with `table`, the same key looked up in that other table
 * (HAProxy's smp_fetch_sc_stkctr). Undefined when the slot tracks nothing.
 */
export function scCounter(ctx: StreamContext, rt: Runtime, slot: number, table?: string): CounterRef | undefined {
  const c = rt.tracked(ctx, slot);
  if (!c) return undefined;
  if (table === undefined || table === c.table.name) return { table: c.table, entry: c.entry };
  const t = rt.table(table);
  if (!t) return undefined;
  return { table: t, entry: lookupEntry(t, c.entry.key, rt.now()) };
}

/** The entry of `key` in `table` (src_* fetches); `create` for src_inc_gpc0 and friends. */
export function keyCounter(rt: Runtime, table: string, key: Sample, create = false): CounterRef | undefined {
  const t = rt.table(table);
  if (!t) return undefined;
  const k = tableKey(t, key);
  if (!k) return undefined;
  const entry = create ? getOrCreateEntry(t, k, rt.now()) : lookupEntry(t, k.key, rt.now());
  return { table: t, entry };
}

/** Reads a data type: 0 when the entry is absent, undefined when the table does not store it. */
export function readCounter(rt: Runtime, ref: CounterRef, name: string, idx?: number): number | undefined {
  if (!ref.entry) return 0;
  return readData(ref.table, ref.entry, name, rt.now(), idx);
}

/** gpc0, or the first element of the gpc array when only that is stored (2.6 compatibility). */
function gpcSlot(t: StickTable, n: 0 | 1): { name: string; rate: string; idx?: number } {
  if (stores(t, `gpc${n}`) || stores(t, `gpc${n}_rate`)) return { name: `gpc${n}`, rate: `gpc${n}_rate` };
  return { name: 'gpc', rate: 'gpc_rate', idx: n };
}

/** sc-inc-gpc0 / sc_inc_gpc0 / src_inc_gpc0: increments gpc0 and its rate; returns the new value. */
export function incGpc(rt: Runtime, ref: CounterRef, n: 0 | 1 = 0): number {
  const e = ref.entry;
  if (!e) return 0;
  const s = gpcSlot(ref.table, n);
  const t = rt.now();
  addData(ref.table, e, s.rate, t, 1, s.idx);
  const did = addData(ref.table, e, s.name, t, 1, s.idx);
  touchEntry(ref.table, e, t);
  return did ? readData(ref.table, e, s.name, t, s.idx) ?? 0 : 0;
}

/** sc-inc-gpc(idx): the array form. */
export function incGpcIdx(rt: Runtime, ref: CounterRef, idx: number): number {
  const e = ref.entry;
  if (!e) return 0;
  const t = rt.now();
  addData(ref.table, e, 'gpc_rate', t, 1, idx);
  const did = addData(ref.table, e, 'gpc', t, 1, idx);
  touchEntry(ref.table, e, t);
  return did ? readData(ref.table, e, 'gpc', t, idx) ?? 0 : 0;
}

/** sc_clr_gpc0: sets gpc0 to 0, returning its previous value. */
export function clrGpc(rt: Runtime, ref: CounterRef, n: 0 | 1 = 0): number {
  const e = ref.entry;
  if (!e) return 0;
  const s = gpcSlot(ref.table, n);
  const old = readData(ref.table, e, s.name, rt.now(), s.idx) ?? 0;
  setData(ref.table, e, s.name, 0, s.idx);
  touchEntry(ref.table, e, rt.now());
  return old;
}

/** sc-set-gpt0 / sc-set-gpt(idx): sets a general purpose tag; false when not stored. */
export function setGpt(rt: Runtime, ref: CounterRef, value: number, idx?: number): boolean {
  const e = ref.entry;
  if (!e) return false;
  const ok = idx === undefined && stores(ref.table, 'gpt0') ? setData(ref.table, e, 'gpt0', value) : setData(ref.table, e, 'gpt', value, idx ?? 0);
  if (ok) touchEntry(ref.table, e, rt.now());
  return ok;
}

/** The action side of `sc-inc-gpc0(<slot>)`: increments the tracked entry's gpc0. */
export function incGpc0(ctx: StreamContext, rt: Runtime, slot: number): number {
  const ref = scCounter(ctx, rt, slot);
  return ref ? incGpc(rt, ref, 0) : 0;
}

/** The action side of `sc-set-gpt0(<slot>) <value>`. */
export function setGpt0(ctx: StreamContext, rt: Runtime, slot: number, value: number): boolean {
  const ref = scCounter(ctx, rt, slot);
  return ref ? setGpt(rt, ref, value) : false;
}

