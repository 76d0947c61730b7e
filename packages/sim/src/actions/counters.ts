// Stick counters: track-sc0/1/2 <key> [table <t>], sc-inc-gpc0(<sc>), sc-set-gpt0(<sc>) <int>.
// Entries live in the Runtime (tables by name), so counters carry across requests. The table
// defaults to the rule's own proxy. (S3's runtime/** will own the table semantics; these go
// through the small interface in pipeline/runtime-port.ts.)
import { MISS, sampleToString } from '../sample/sample.js';
import { stickEntry } from '../pipeline/runtime-port.js';
import { sample } from './args.js';
import type { ActionCompiler } from './types.js';

const track = (slot: number): ActionCompiler => (cx) => {
  const key = sample(cx.args[0], cx.env);
  const table = cx.args[1]?.value === 'table' ? cx.args[2]?.value ?? cx.proxy.name : cx.proxy.name;
  return ({ ctx, rt, tracked }) => {
    if (tracked.has(slot)) return { kind: 'continue', change: `sc${slot} already tracked` };
    const k = key(ctx);
    if (k === undefined || k === MISS) return { kind: 'continue', change: `sc${slot}: no key` };
    const text = sampleToString(k);
    const e = stickEntry(rt, table, text);
    e.httpReqCnt++;
    e.hits.push(rt.now());
    tracked.set(slot, { table, key: text });
    return { kind: 'continue', change: `sc${slot} tracks ${text} in table ${table}` };
  };
};

const incGpc0: ActionCompiler = (cx) => {
  const slot = Number(cx.paren ?? 0);
  return ({ rt, tracked }) => {
    const t = tracked.get(slot);
    if (!t) return { kind: 'continue', change: `sc${slot} not tracked` };
    const e = stickEntry(rt, t.table, t.key);
    e.gpc0++;
    return { kind: 'continue', change: `gpc0 of ${t.key} in ${t.table} = ${e.gpc0}` };
  };
};

const setGpt0: ActionCompiler = (cx) => {
  const slot = Number(cx.paren ?? 0);
  const value = sample(cx.args[0], cx.env);
  const literal = /^-?\d+$/.test(cx.args[0]?.value ?? '') ? Number(cx.args[0]!.value) : undefined;
  return ({ ctx, rt, tracked }) => {
    const t = tracked.get(slot);
    if (!t) return { kind: 'continue', change: `sc${slot} not tracked` };
    let n = literal;
    if (n === undefined) {
      const s = value(ctx);
      n = s === undefined || s === MISS ? undefined : Number(sampleToString(s));
    }
    if (n === undefined || !Number.isFinite(n)) return { kind: 'continue', change: 'gpt0 not set (no sample)' };
    stickEntry(rt, t.table, t.key).gpt0 = n;
    return { kind: 'continue', change: `gpt0 of ${t.key} in ${t.table} = ${n}` };
  };
};

export const counterActions: Record<string, ActionCompiler> = {
  'track-sc0': track(0),
  'track-sc1': track(1),
  'track-sc2': track(2),
  'sc-inc-gpc0': incGpc0,
  'sc-set-gpt0': setGpt0,
};
