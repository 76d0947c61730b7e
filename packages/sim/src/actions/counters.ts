// Stick counters: track-sc0/1/2 <key> [table <t>], sc-inc-gpc0(<sc>), sc-set-gpt0(<sc>) <int>,
// through S3's Runtime (runtime/counters.ts), so the sc_*/src_* fetches read the same entries.
// The table defaults to the rule's own proxy.
import type { RuleSet } from '@haplo/parser';
import { incGpc0, setGpt0, trackSc } from '../runtime/counters.js';
import type { TrackOrigin } from '../runtime/runtime.js';
import { MISS, sampleToString } from '../sample/sample.js';
import { sample } from './args.js';
import type { ActionCompiler } from './types.js';

const ORIGIN: Partial<Record<RuleSet, TrackOrigin>> = {
  'tcp-request connection': 'tcp-request connection',
  'tcp-request session': 'tcp-request session',
  'tcp-request content': 'tcp-request content',
  'http-request': 'http-request',
  'http-response': 'http-response',
};

const track = (slot: number): ActionCompiler => (cx) => {
  const key = sample(cx.args[0], cx.env);
  const table = cx.args[1]?.value === 'table' ? cx.args[2]?.value ?? cx.proxy.name : cx.proxy.name;
  const origin = ORIGIN[cx.ruleSet] ?? 'http-request';
  const backend = !cx.proxy.capabilities.frontend;
  return ({ ctx, rt }) => {
    const k = key(ctx);
    if (k === undefined || k === MISS) return { kind: 'continue', change: `sc${slot}: no key` };
    const c = trackSc(ctx, rt, slot, table, k, origin, { backend });
    return { kind: 'continue', change: c ? `sc${slot} tracks ${sampleToString(k)} in table ${table}` : `sc${slot} already tracking (or no table ${table})` };
  };
};

const incGpc0Action: ActionCompiler = (cx) => {
  const slot = Number(cx.paren ?? 0);
  return ({ ctx, rt }) => ({ kind: 'continue', change: `sc${slot} gpc0 = ${incGpc0(ctx, rt, slot)}` });
};

const setGpt0Action: ActionCompiler = (cx) => {
  const slot = Number(cx.paren ?? 0);
  const literal = /^-?\d+$/.test(cx.args[0]?.value ?? '') ? Number(cx.args[0]!.value) : undefined;
  const value = literal === undefined ? sample(cx.args[0], cx.env) : undefined;
  return ({ ctx, rt }) => {
    let n = literal;
    if (n === undefined && value) {
      const s = value(ctx);
      n = s === undefined || s === MISS ? undefined : Number(sampleToString(s));
    }
    if (n === undefined || !Number.isFinite(n)) return { kind: 'continue', change: 'gpt0 not set (no sample)' };
    return { kind: 'continue', change: setGpt0(ctx, rt, slot, n) ? `sc${slot} gpt0 = ${n}` : `sc${slot} not tracked` };
  };
};

export const counterActions: Record<string, ActionCompiler> = {
  'track-sc0': track(0),
  'track-sc1': track(1),
  'track-sc2': track(2),
  'sc-inc-gpc0': incGpc0Action,
  'sc-set-gpt0': setGpt0Action,
};
