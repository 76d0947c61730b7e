// Stick-counter fetches: sc_*(ctr[,table]), sc0_*…sc2_*([table]), src_*([table]) and
// table_cnt/table_avl, reading the stream's Runtime (ctx.runtime). A fetch on a counter that
// tracks nothing, or on a data type the table does not store, gives no sample, as in HAProxy.
import { addr, bool, sint, type Outcome, type Sample } from '../sample/sample.js';
import type { StreamContext } from '../stream/context.js';
import { clrGpc, incGpc, incGpcIdx, keyCounter, readCounter, scCounter, type CounterRef } from '../runtime/counters.js';
import { entryCount } from '../runtime/stick-table.js';
import type { Runtime } from '../runtime/runtime.js';
import '../runtime/link.js';
import { intArg, type FetchDef } from './registry.js';

type Op = (rt: Runtime, ref: CounterRef, idx: number | undefined) => Outcome;

const data = (name: string, shift = 0): Op => (rt, ref, idx) => {
  const v = readCounter(rt, ref, name, idx);
  return v === undefined ? undefined : sint(shift ? Math.floor(v / 2 ** shift) : v);
};

/** Data fetches by suffix; `idx` marks the array forms that take a leading index argument. */
const OPS: Record<string, { op: Op; idx?: boolean }> = {
  conn_cnt: { op: data('conn_cnt') },
  conn_cur: { op: data('conn_cur') },
  conn_rate: { op: data('conn_rate') },
  sess_cnt: { op: data('sess_cnt') },
  sess_rate: { op: data('sess_rate') },
  http_req_cnt: { op: data('http_req_cnt') },
  http_req_rate: { op: data('http_req_rate') },
  http_err_cnt: { op: data('http_err_cnt') },
  http_err_rate: { op: data('http_err_rate') },
  http_fail_cnt: { op: data('http_fail_cnt') },
  http_fail_rate: { op: data('http_fail_rate') },
  bytes_in_rate: { op: data('bytes_in_rate') },
  bytes_out_rate: { op: data('bytes_out_rate') },
  kbytes_in: { op: data('bytes_in_cnt', 10) },
  kbytes_out: { op: data('bytes_out_cnt', 10) },
  get_gpc0: { op: gpcRead('gpc0', 0) },
  get_gpc1: { op: gpcRead('gpc1', 1) },
  gpc0_rate: { op: gpcRead('gpc0_rate', 0) },
  gpc1_rate: { op: gpcRead('gpc1_rate', 1) },
  get_gpt0: { op: (rt, ref) => { const v = readCounter(rt, ref, 'gpt0') ?? readCounter(rt, ref, 'gpt', 0); return v === undefined ? undefined : sint(v); } },
  get_gpc: { op: data('gpc'), idx: true },
  gpc_rate: { op: data('gpc_rate'), idx: true },
  get_gpt: { op: data('gpt'), idx: true },
  inc_gpc0: { op: (rt, ref) => sint(incGpc(rt, ref, 0)) },
  inc_gpc1: { op: (rt, ref) => sint(incGpc(rt, ref, 1)) },
  inc_gpc: { op: (rt, ref, idx) => sint(incGpcIdx(rt, ref, idx ?? 0)), idx: true },
  clr_gpc0: { op: (rt, ref) => sint(clrGpc(rt, ref, 0)) },
  clr_gpc1: { op: (rt, ref) => sint(clrGpc(rt, ref, 1)) },
  trackers: { op: (_rt, ref) => sint(ref.entry?.refs ?? 0) },
};

function gpcRead(name: string, n: 0 | 1): Op {
  const rate = name.endsWith('_rate');
  return (rt, ref) => {
    const v = readCounter(rt, ref, name) ?? readCounter(rt, ref, rate ? 'gpc_rate' : 'gpc', n);
    return v === undefined ? undefined : sint(v);
  };
}

const CREATES = new Set(['inc_gpc0', 'inc_gpc1', 'inc_gpc', 'clr_gpc0', 'clr_gpc1']);

/** The table a fetch defaults to: the current backend's, else the frontend's. */
const defaultTable = (ctx: StreamContext): string => ctx.backend ?? ctx.frontend;

function scFetch(name: string, slot: number | undefined, op: Op, idx: boolean): FetchDef {
  return {
    name,
    output: 'sint',
    compile(args) {
      let i = 0;
      const ctr = slot ?? intArg(args[i++]) ?? 0;
      const index = idx ? intArg(args[i++]) : undefined;
      const table = args[i] !== undefined && args[i] !== '' ? args[i] : undefined;
      return {
        one(ctx) {
          const rt = ctx.runtime;
          if (!rt) return undefined;
          const ref = scCounter(ctx, rt, ctr, table);
          return ref ? op(rt, ref, index) : undefined;
        },
      };
    },
  };
}

function srcFetch(suffix: string, op: Op, idx: boolean): FetchDef {
  return {
    name: `src_${suffix}`,
    output: 'sint',
    compile(args) {
      const index = idx ? intArg(args[0]) : undefined;
      const tableArg = idx ? args[1] : args[0];
      const create = CREATES.has(suffix);
      return {
        one(ctx) {
          const rt = ctx.runtime;
          if (!rt) return undefined;
          const ref = keyCounter(rt, tableArg || defaultTable(ctx), addr(ctx.conn.src) as Sample, create);
          return ref ? op(rt, ref, index) : undefined;
        },
      };
    },
  };
}

function tableFetch(name: 'table_cnt' | 'table_avl'): FetchDef {
  return {
    name,
    output: 'sint',
    compile(args) {
      return {
        one(ctx) {
          const rt = ctx.runtime;
          const t = rt?.table(args[0] || defaultTable(ctx));
          if (!rt || !t) return undefined;
          const n = entryCount(t, rt.now());
          return sint(name === 'table_cnt' ? n : Math.max(0, t.size - n));
        },
      };
    },
  };
}

function trackedFetch(name: string, slot: number | undefined): FetchDef {
  return {
    name,
    output: 'bool',
    compile(args) {
      const ctr = slot ?? intArg(args[0]) ?? 0;
      const table = slot === undefined ? args[1] : args[0];
      return {
        one(ctx) {
          const rt = ctx.runtime;
          if (!rt) return bool(false);
          const c = rt.tracked(ctx, ctr);
          return bool(c !== undefined && (!table || c.table.name === table));
        },
      };
    },
  };
}

function build(): FetchDef[] {
  const out: FetchDef[] = [];
  for (const [suffix, { op, idx }] of Object.entries(OPS)) {
    out.push(scFetch(`sc_${suffix}`, undefined, op, idx ?? false));
    if (!idx) for (const n of [0, 1, 2]) out.push(scFetch(`sc${n}_${suffix}`, n, op, false));
    if (suffix !== 'trackers') out.push(srcFetch(suffix, op, idx ?? false));
  }
  out.push(trackedFetch('sc_tracked', undefined), ...[0, 1, 2].map((n) => trackedFetch(`sc${n}_tracked`, n)));
  out.push({
    name: 'src_updt_conn_cnt',
    output: 'sint',
    compile(args) {
      return {
        one(ctx) {
          const rt = ctx.runtime;
          if (!rt) return undefined;
          const ref = keyCounter(rt, args[0] || defaultTable(ctx), addr(ctx.conn.src) as Sample, true);
          if (!ref?.entry) return undefined;
          const before = readCounter(rt, ref, 'conn_cnt');
          if (before === undefined) return undefined;
          ref.entry.values.set('conn_cnt', before + 1);
          return sint(before + 1);
        },
      };
    },
  });
  out.push(tableFetch('table_cnt'), tableFetch('table_avl'));
  return out;
}

export const counterFetches: readonly FetchDef[] = build();
