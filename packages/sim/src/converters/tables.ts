// Stick-table converters: table_<data>(table) look the input up as a key and read a stored
// value (0 when the key is absent, no sample when the table does not store that type), and
// in_table(table) tells whether the key is present. They read the stream's ctx.runtime.
import { bool, sint, type Sample } from '../sample/sample.js';
import { keyCounter, readCounter } from '../runtime/counters.js';
import '../runtime/link.js';
import type { ConverterDef } from './registry.js';

type Read = (v: number) => number;

const DATA: Record<string, { name: string; idx?: boolean; map?: Read }> = {
  conn_cnt: { name: 'conn_cnt' }, conn_cur: { name: 'conn_cur' }, conn_rate: { name: 'conn_rate' },
  sess_cnt: { name: 'sess_cnt' }, sess_rate: { name: 'sess_rate' },
  http_req_cnt: { name: 'http_req_cnt' }, http_req_rate: { name: 'http_req_rate' },
  http_err_cnt: { name: 'http_err_cnt' }, http_err_rate: { name: 'http_err_rate' },
  http_fail_cnt: { name: 'http_fail_cnt' }, http_fail_rate: { name: 'http_fail_rate' },
  bytes_in_rate: { name: 'bytes_in_rate' }, bytes_out_rate: { name: 'bytes_out_rate' },
  kbytes_in: { name: 'bytes_in_cnt', map: (v) => Math.floor(v / 1024) }, kbytes_out: { name: 'bytes_out_cnt', map: (v) => Math.floor(v / 1024) },
  gpc0: { name: 'gpc0' }, gpc1: { name: 'gpc1' }, gpc0_rate: { name: 'gpc0_rate' }, gpc1_rate: { name: 'gpc1_rate' },
  gpt0: { name: 'gpt0' }, server_id: { name: 'server_id' },
  gpc: { name: 'gpc', idx: true }, gpc_rate: { name: 'gpc_rate', idx: true }, gpt: { name: 'gpt', idx: true },
};

function dataConverter(suffix: string, d: { name: string; idx?: boolean; map?: Read }): ConverterDef {
  return {
    name: `table_${suffix}`,
    input: 'any',
    output: 'sint',
    compile(args) {
      const idx = d.idx ? Number.parseInt(args[0] ?? '0', 10) : undefined;
      const table = d.idx ? args[1] : args[0];
      return (input: Sample, ctx) => {
        const rt = ctx.runtime;
        const ref = rt && table ? keyCounter(rt, table, input) : undefined;
        if (!rt || !ref) return undefined;
        const v = readCounter(rt, ref, d.name, idx);
        return v === undefined ? undefined : sint(d.map ? d.map(v) : v);
      };
    },
  };
}

function special(name: string, output: 'sint' | 'bool', f: (ref: NonNullable<ReturnType<typeof keyCounter>>, now: number, arg?: string) => Sample | undefined): ConverterDef {
  return {
    name, input: 'any', output,
    compile(args) {
      return (input, ctx) => {
        const rt = ctx.runtime;
        const ref = rt && args[0] ? keyCounter(rt, args[0], input) : undefined;
        return rt && ref ? f(ref, rt.now(), args[1]) : undefined;
      };
    },
  };
}

export const tableConverters: readonly ConverterDef[] = [
  ...Object.entries(DATA).map(([s, d]) => dataConverter(s, d)),
  special('in_table', 'bool', (ref) => bool(ref.entry !== undefined)),
  special('table_trackers', 'sint', (ref) => sint(ref.entry?.refs ?? 0)),
  special('table_expire', 'sint', (ref, now, dflt) => {
    if (!ref.entry) return dflt !== undefined ? sint(Number(dflt)) : undefined;
    return sint(Math.max(0, ref.entry.expire - now));
  }),
  special('table_idle', 'sint', (ref, now, dflt) => {
    if (!ref.entry) return dflt !== undefined ? sint(Number(dflt)) : undefined;
    return sint(Math.max(0, now - (ref.entry.expire - (ref.table.expireMs ?? 0))));
  }),
];
