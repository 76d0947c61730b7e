// Sample expressions (`fetch(args),conv(args)…`) and log-format strings compiled once into
// closures over the stream context.
import { catalogue, type LogFormat, type SampleExpr } from '@haplo/parser';
import '../builtins.js';
import { reportProblem, type CompileEnv } from '../compile-env.js';
import { getConverterDef, type Convert } from '../converters/registry.js';
import { getFetchDef, type CompiledFetch } from '../fetches/registry.js';
import type { Phase, StreamContext } from '../stream/context.js';
import { logVariable } from './log-variables.js';
import { cast, MISS, sampleToString, type DeclaredType, type Miss, type Outcome, type Sample } from './sample.js';

export interface CompiledSample {
  /** The expression as HAProxy sees it. */
  text: string;
  /** The declared output type (of the last converter, else of the fetch). */
  output: DeclaredType;
  /** HAProxy's single value (no sample when the fetch or a converter fails). */
  one(ctx: StreamContext): Outcome;
  /** Every value of a multi-valued fetch, each through the converters (what ACLs try). */
  all(ctx: StreamContext): readonly Sample[] | Miss;
  /** Whether a value that did not match may still change (the ACL then gives MISS). */
  mayChange(ctx: StreamContext): boolean;
}

interface Step {
  input: DeclaredType;
  convert: Convert;
}

const phaseSets = new Map<string, ReadonlySet<Phase>>();
function allowedPhases(fetch: string): ReadonlySet<Phase> | undefined {
  let s = phaseSets.get(fetch);
  if (!s) {
    const spec = catalogue.getFetch(fetch);
    if (!spec) return undefined;
    s = new Set(spec.phases);
    phaseSets.set(fetch, s);
  }
  return s;
}

const NEVER: CompiledFetch = { one: () => undefined };
const NO_SAMPLE: Convert = () => undefined;

/**
 * Compiles a fetch's or converter's arguments; when they are refused (a problem reported, as
 * HAProxy refuses to start), `fallback` stands in, so bad user arguments never reach the
 * per-request code that assumes valid ones.
 */
function compileArgs<T>(env: CompileEnv, compile: (env: CompileEnv) => T, fallback: T): T {
  let refused = false;
  const watched: CompileEnv = { ...env, report: (p) => { refused = true; reportProblem(env, p.message, p.range); } };
  const compiled = compile(watched);
  return refused ? fallback : compiled;
}

/**
 * Compiles a sample expression. `fetchName` overrides the written fetch (ACL keywords such as
 * `path_beg` name their fetch through it).
 */
export function compileSample(expr: SampleExpr, env: CompileEnv, fetchName = expr.fetch.name): CompiledSample {
  const def = getFetchDef(fetchName);
  let fetch = NEVER;
  if (!def) reportProblem(env, `unknown fetch method '${expr.fetch.name}'`, expr.fetch.nameRange);
  else fetch = compileArgs(env, (e) => def.compile((expr.fetch.args ?? []).map((a) => a.value), e), NEVER);
  let output: DeclaredType = def?.output ?? 'any';
  const steps: Step[] = [];
  for (const c of expr.converters) {
    const cd = getConverterDef(c.name);
    if (!cd) {
      reportProblem(env, `unknown converter '${c.name}'`, c.nameRange);
      steps.push({ input: 'any', convert: () => undefined });
      continue;
    }
    const args = (c.args ?? []).map((a) => a.value);
    steps.push({ input: cd.input, convert: cd.robust ? cd.compile(args, env) : compileArgs(env, (e) => cd.compile(args, e), NO_SAMPLE) });
    output = cd.output;
  }
  const phases = allowedPhases(fetchName);
  const usable = (ctx: StreamContext): boolean => phases === undefined || phases.has(ctx.phase);
  const convert = (s: Sample, ctx: StreamContext): Sample | undefined => {
    let v: Sample | undefined = s;
    for (const step of steps) {
      v = cast(v, step.input);
      if (!v) return undefined;
      v = step.convert(v, ctx);
      if (!v) return undefined;
    }
    return v;
  };
  const one = (ctx: StreamContext): Outcome => {
    if (!usable(ctx)) return undefined;
    const s = fetch.one(ctx);
    if (s === undefined || s === MISS) return s;
    return steps.length ? convert(s, ctx) : s;
  };
  const fetchAll = fetch.all;
  const all = (ctx: StreamContext): readonly Sample[] | Miss => {
    if (!usable(ctx)) return [];
    if (!fetchAll) {
      const s = one(ctx);
      return s === MISS ? MISS : s === undefined ? [] : [s];
    }
    const vs = fetchAll(ctx);
    if (vs === MISS || steps.length === 0) return vs;
    const out: Sample[] = [];
    for (const v of vs) {
      const c = convert(v, ctx);
      if (c) out.push(c);
    }
    return out;
  };
  const mayChange = fetch.mayChange ?? (() => false);
  return { text: expr.text, output, one, all, mayChange: (ctx) => !ctx.final && mayChange(ctx) };
}

/** The text of an evaluated expression, '' for no sample (what set-header writes). */
export function sampleText(o: Outcome): string {
  return o === undefined || o === MISS ? '' : sampleToString(o);
}

/** Compiles a log-format string into a function producing its text (a missing value is empty). */
export function compileLogFormat(format: LogFormat, env: CompileEnv): (ctx: StreamContext) => string {
  const parts: ((ctx: StreamContext) => string)[] = [];
  for (const p of format.parts) {
    if (p.kind === 'text') {
      const t = p.text.replace(/%%/g, '%');
      parts.push(() => t);
    } else if (p.kind === 'sample') {
      if (!p.expr) {
        reportProblem(env, `invalid sample expression '${p.text}'`, p.range);
        continue;
      }
      const s = compileSample(p.expr, env);
      const quote = p.text.startsWith('%{') && /\+Q/.test(p.text.slice(2, p.text.indexOf('}')));
      parts.push(quote ? (ctx) => `"${sampleText(s.one(ctx))}"` : (ctx) => sampleText(s.one(ctx)));
    } else {
      const v = logVariable(p.name);
      if (!v) {
        reportProblem(env, `no such format variable '${p.name}'. If you wanted to emit the '%' character verbatim, you need to use '%%'.`, p.range);
        continue;
      }
      const quote = /\+Q/.test(p.flags);
      parts.push(quote ? (ctx) => `"${v(ctx)}"` : v);
    }
  }
  if (parts.length === 1) return parts[0]!;
  return (ctx) => {
    let out = '';
    for (const f of parts) out += f(ctx);
    return out;
  };
}
