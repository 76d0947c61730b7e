// Integer converters: arithmetic and bitwise operations whose argument is a number or a
// variable name, and the boolean ones.
import { reportProblem, type CompileEnv } from '../compile-env.js';
import { bool, cast, parseLeadingInt, sint, type Sample } from '../sample/sample.js';
import type { StreamContext } from '../stream/context.js';
import { getVar, parseVarName } from '../stream/variables.js';
import { simple, type ConverterDef } from './registry.js';


/** An integer argument or a variable (read per request, cast to int; missing → no sample). */
function intOrVar(arg: string | undefined, name: string, env: CompileEnv): (ctx: StreamContext) => number | undefined {
  const a = arg ?? '';
  if (/^[-+]?\d+$/.test(a)) {
    const n = parseLeadingInt(a);
    return () => n;
  }
  const ref = parseVarName(a);
  if (!ref) {
    reportProblem(env, `converter '${name}' : failed to parse '${a}' as an integer or a variable`);
    return () => undefined;
  }
  return (ctx) => {
    const v = getVar(ctx, ref);
    const c = v && cast(v, 'sint');
    return c ? (c.value as number) : undefined;
  };
}

function arith(name: string, op: (a: number, b: number) => number): ConverterDef {
  return {
    name,
    input: 'sint',
    output: 'sint',
    compile(args, env) {
      const arg = intOrVar(args[0], name, env);
      return (s, ctx) => {
        const b = arg(ctx);
        return b === undefined ? undefined : sint(op(s.value as number, b));
      };
    },
  };
}

const MAX = 2n ** 63n - 1n;
const MIN = -(2n ** 63n);
const wrap = (x: bigint): bigint => BigInt.asIntN(64, x);

/** HAProxy's capped arith_add, including its check that wraps (so -5 + -1 gives LLONG_MAX, as 2.6 does). */
function arithAdd(a: bigint, b: bigint): bigint {
  if ((a ^ b) >= 0n) {
    if (a < 0n && MIN - a > b) return MIN;
    if (wrap(MAX - a) < b) return MAX;
  }
  return wrap(a + b);
}

function arithSub(a: bigint, b: bigint): bigint {
  if (b === MIN) {
    const r = arithAdd(a, MAX);
    return r < MAX ? r + 1n : r;
  }
  return arithAdd(a, -b);
}

function arithMul(a: bigint, b: bigint): bigint {
  if (a === 0n || b === 0n) return 0n;
  if (a === MIN && b === -1n) return MAX;
  const c = a * b;
  if (c > MAX || c < MIN) return (a < 0n) === (b < 0n) ? MAX : MIN;
  return c;
}

function arithDiv(a: bigint, b: bigint): bigint {
  if (b === 0n) return MAX;
  if (a === MIN && b === -1n) return MAX;
  return a / b;
}

function arithMod(a: bigint, b: bigint): bigint {
  if (b === 0n || (a === MIN && b === -1n)) return 0n;
  return a % b;
}

const big = (f: (a: bigint, b: bigint) => bigint) => (a: number, b: number): number => {
  const r = f(BigInt(Math.trunc(a)), BigInt(Math.trunc(b)));
  return r === MAX ? 2 ** 63 : Number(r);
};

const n = (s: Sample): number => s.value as number;

export const arithmeticConverters: readonly ConverterDef[] = [
  arith('add', big(arithAdd)),
  arith('sub', big(arithSub)),
  arith('mul', big(arithMul)),
  arith('div', big(arithDiv)),
  arith('mod', big(arithMod)),
  arith('and', big((a, b) => a & b)),
  arith('or', big((a, b) => a | b)),
  arith('xor', big((a, b) => a ^ b)),
  simple('neg', 'sint', 'sint', (s) => sint(big((a) => wrap(-a))(n(s), 0))),
  simple('cpl', 'sint', 'sint', (s) => sint(big((a) => ~a)(n(s), 0))),
  simple('bool', 'sint', 'bool', (s) => bool(n(s) !== 0)),
  simple('not', 'sint', 'bool', (s) => bool(n(s) === 0)),
  simple('even', 'sint', 'bool', (s) => bool(n(s) % 2 === 0)),
  simple('odd', 'sint', 'bool', (s) => bool(n(s) % 2 !== 0)),
];
