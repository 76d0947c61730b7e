// Fetches about the stream itself and constants: proxy and server names, variables,
// environment, time, randomness, literal values, and facts a Runtime supplies (nbsrv).
import { parseAddress } from '../sample/address.js';
import { reportProblem } from '../compile-env.js';
import { addr, bin, bool, MISS, sint, str, type Sample } from '../sample/sample.js';
import { badVarMessage, getVar, parseVarName } from '../stream/variables.js';
import { intArg, plain, type FetchDef } from './registry.js';

const constant = (name: string, output: FetchDef['output'], make: (arg: string) => Sample | undefined): FetchDef => ({
  name,
  output,
  compile(args, env) {
    const s = make(args[0] ?? '');
    if (!s) reportProblem(env, `fetch method '${name}' : invalid argument '${args[0] ?? ''}'`);
    return { one: () => s };
  },
});

function hexBytes(text: string): Uint8Array | undefined {
  if (text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) return undefined;
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** `date([offset[,unit]])`: seconds (or ms/us) since the epoch, from the injected clock. */
const date: FetchDef = {
  name: 'date',
  output: 'sint',
  compile(args) {
    const offset = intArg(args[0]) ?? 0;
    const unit = args[1] ?? 's';
    return {
      one(ctx) {
        const ms = ctx.now();
        if (unit === 'ms') return sint(Math.floor(ms) + offset);
        if (unit === 'us') return sint(Math.floor(ms * 1000) + offset);
        return sint(Math.floor(ms / 1000) + offset);
      },
    };
  },
};

export const internalFetches: readonly FetchDef[] = [
  plain('fe_name', 'str', (ctx) => str(ctx.frontend)),
  plain('be_name', 'str', (ctx) => (ctx.backend === undefined ? undefined : str(ctx.backend))),
  plain('srv_name', 'str', (ctx) => (ctx.server === undefined ? undefined : str(ctx.server))),
  plain('hostname', 'str', (ctx) => str(ctx.hostname)),
  plain('unique-id', 'str', (ctx) => (ctx.uniqueId === undefined ? undefined : str(ctx.uniqueId))),
  plain('always_true', 'bool', () => bool(true)),
  plain('always_false', 'bool', () => bool(false)),
  plain('stopping', 'bool', () => bool(false)),
  plain('wait_end', 'bool', (ctx) => (ctx.final ? bool(true) : MISS)),
  plain('uuid', 'str', (ctx) => {
    const h = Array.from({ length: 16 }, () => Math.floor(ctx.random() * 256));
    h[6] = (h[6]! & 0x0f) | 0x40;
    h[8] = (h[8]! & 0x3f) | 0x80;
    const x = h.map((b) => b.toString(16).padStart(2, '0')).join('');
    return str(`${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`);
  }),
  date,
  {
    name: 'rand',
    output: 'sint',
    compile(args) {
      const range = intArg(args[0]);
      return {
        one(ctx) {
          const r = Math.floor(ctx.random() * 2 ** 32);
          return sint(range === undefined ? r : Math.floor((r * range) / 2 ** 32));
        },
      };
    },
  },
  constant('str', 'str', (a) => str(a)),
  constant('int', 'sint', (a) => (intArg(a) === undefined ? undefined : sint(intArg(a)!))),
  constant('bool', 'bool', (a) => {
    const v = a.toLowerCase();
    if (v === 'true' || v === '1') return bool(true);
    if (v === 'false' || v === '0') return bool(false);
    return undefined;
  }),
  constant('bin', 'bin', (a) => { const b = hexBytes(a); return b && bin(b); }),
  constant('ipv4', 'ipv4', (a) => { const x = parseAddress(a); return x?.family === 4 ? addr(x) : undefined; }),
  constant('ipv6', 'ipv6', (a) => { const x = parseAddress(a); return x?.family === 6 ? addr(x) : undefined; }),
  constant('meth', 'meth', (a) => ({ type: 'meth', value: a })),
  {
    name: 'env',
    output: 'str',
    compile(args) {
      const name = args[0] ?? '';
      return { one: (ctx) => { const v = ctx.env(name); return v === undefined ? undefined : str(v); } };
    },
  },
  {
    name: 'var',
    output: 'any',
    compile(args, env) {
      const ref = parseVarName(args[0] ?? '');
      if (!ref) {
        reportProblem(env, badVarMessage(args[0] ?? ''));
        return { one: () => undefined };
      }
      const fallback = args[1] !== undefined ? str(args[1]) : undefined;
      return { one: (ctx) => getVar(ctx, ref) ?? fallback };
    },
  },
  {
    name: 'nbsrv',
    output: 'sint',
    compile(args) {
      const be = args[0];
      return {
        one(ctx) {
          const name = be ?? ctx.backend;
          const n = name === undefined ? undefined : ctx.serverCounts?.(name);
          return n === undefined ? undefined : sint(n);
        },
      };
    },
  },
];
