// Actions that steer rule evaluation or the connection without a reply of their own:
// allow/accept (end the rule set), reject/close/silent-drop (close, nothing sent), and the
// connection-level ones: expect-proxy (no-op here, traced), set-src/set-dst, capture,
// set-log-level, set-timeout, switch-mode.
import { parseAddress } from '../sample/address.js';
import { MISS, sampleToString } from '../sample/sample.js';
import { sample } from './args.js';
import type { ActionCompiler } from './types.js';

const stop: ActionCompiler = () => () => ({ kind: 'stop' });
const close = (what: string): ActionCompiler => () => () => ({ kind: 'final', outcome: 'reject', change: what });

const setAddress = (which: 'src' | 'dst'): ActionCompiler => (cx) => {
  const expr = sample(cx.args[0], cx.env);
  return ({ ctx }) => {
    const s = expr(ctx);
    if (s === undefined || s === MISS) return { kind: 'continue', change: `${which} unchanged (no sample)` };
    const a = parseAddress(sampleToString(s));
    if (!a) return { kind: 'continue', change: `${which} unchanged (not an address)` };
    ctx.conn[which] = a;
    return { kind: 'continue', change: `${which} = ${sampleToString(s)}` };
  };
};

const setPort = (which: 'srcPort' | 'dstPort'): ActionCompiler => (cx) => {
  const expr = sample(cx.args[0], cx.env);
  return ({ ctx }) => {
    const s = expr(ctx);
    if (s === undefined || s === MISS) return { kind: 'continue' };
    ctx.conn[which] = Number(sampleToString(s));
    return { kind: 'continue', change: `${which === 'srcPort' ? 'src_port' : 'dst_port'} = ${ctx.conn[which]}` };
  };
};

const capture: ActionCompiler = (cx) => {
  const expr = sample(cx.args[0], cx.env);
  const lenAt = cx.args.findIndex((w) => w.value === 'len');
  const idAt = cx.args.findIndex((w) => w.value === 'id');
  const len = lenAt >= 0 ? Number(cx.args[lenAt + 1]?.value) : Infinity;
  const id = idAt >= 0 ? Number(cx.args[idAt + 1]?.value) : undefined;
  const response = cx.ruleSet === 'http-response' || cx.ruleSet === 'tcp-response content';
  return ({ ctx }) => {
    const s = expr(ctx);
    if (s === undefined || s === MISS) return { kind: 'continue', change: 'nothing captured (no sample)' };
    const text = sampleToString(s).slice(0, len);
    const slots = response ? ctx.captures.responseHeaders : ctx.captures.requestHeaders;
    const slot = id ?? slots.length;
    slots[slot] = text;
    return { kind: 'continue', change: `captured "${text}" in slot ${slot}` };
  };
};

const note = (name: string): ActionCompiler => (cx) => {
  const text = cx.args.map((w) => w.value).join(' ');
  return ({ notes }) => {
    notes.set(name, text);
    return { kind: 'continue', change: `${name} ${text} (recorded; no effect in the simulator)` };
  };
};

export const controlActions: Record<string, ActionCompiler> = {
  allow: stop,
  accept: stop,
  reject: close('connection closed, no response'),
  close: close('server connection closed'),
  'silent-drop': close('connection dropped silently'),
  'expect-proxy': note('expect-proxy'),
  'expect-netscaler-cip': note('expect-netscaler-cip'),
  'set-src': setAddress('src'),
  'set-dst': setAddress('dst'),
  'set-src-port': setPort('srcPort'),
  'set-dst-port': setPort('dstPort'),
  capture,
  'set-log-level': note('set-log-level'),
  'set-timeout': note('set-timeout'),
  'set-nice': note('set-nice'),
  'set-mark': note('set-mark'),
  'set-tos': note('set-tos'),
  'disable-l7-retry': note('disable-l7-retry'),
  'wait-for-handshake': note('wait-for-handshake'),
  'wait-for-body': note('wait-for-body'),
  'switch-mode': note('switch-mode'),
};
