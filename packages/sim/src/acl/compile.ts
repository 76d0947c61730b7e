// One ACL expression (`criterion[,conv…] [flags] [op] [values…]`) compiled once into a matcher:
// the fetch, converters and patterns are resolved at load; per request it fetches, tries every
// value, and answers PASS, FAIL or MISS.
import { catalogue, type AclExpr } from '@haplo/parser';
import { readConfigFile, reportProblem, type CompileEnv } from '../compile-env.js';
import { compileSample } from '../sample/evaluate.js';
import { MISS, sampleToString } from '../sample/sample.js';
import { editedView } from '../pipeline/pattern-store.js';
import type { StreamContext } from '../stream/context.js';
import '../runtime/link.js';
import { compilePatterns, MATCH_METHODS, patternFileLines, type MatchMethod, type PatternInput } from './patterns.js';

/** Patterns added at run time are HAProxy's CLI errors when bad, not configuration problems. */
const SILENT: CompileEnv = { report: () => undefined };

export type AclResult = 'pass' | 'fail' | 'miss';

export interface AclMatch {
  result: AclResult;
  /** The fetched values, as text, in the order they were tried. */
  values: string[];
}

export interface CompiledAclExpr {
  /** The expression as written (`path_beg /api`). */
  text: string;
  method: MatchMethod;
  evaluate(ctx: StreamContext): AclMatch;
  /** The same result as `evaluate`, without the fetched values (no trace wanted). */
  test(ctx: StreamContext): AclResult;
}

const VERSION_FETCHES = new Set(['req.ssl_ver', 'req_ssl_ver']);

/** The fetch and implied method an ACL criterion names (`hdr_beg` → `hdr` + beg). */
function resolveCriterion(expr: AclExpr): { fetch: string; implied?: MatchMethod } {
  const name = expr.criterion.fetch.name;
  const kw = catalogue.getAclKeyword(name);
  if (!kw) return { fetch: name };
  // `hdr_*` follow the side of the phase like the `hdr` fetch; the others name their fetch.
  const fetch = kw.fetch === 'req.hdr' && name.startsWith('hdr') ? 'hdr' : kw.fetch;
  return { fetch, implied: expr.criterion.converters.length ? undefined : (kw.method as MatchMethod) };
}

export function compileAclExpr(expr: AclExpr, env: CompileEnv): CompiledAclExpr {
  const text = [expr.criterion.text, ...expr.flags.flatMap((f) => (f.arg ? [f.flag.value, f.arg.value] : [f.flag.value])),
    ...(expr.operator ? [expr.operator.value] : []), ...expr.values.map((v) => v.value)].join(' ');
  const { fetch, implied } = resolveCriterion(expr);
  const sample = compileSample(expr.criterion, env, fetch);

  let method: MatchMethod | undefined;
  if (expr.method) {
    if ((MATCH_METHODS as readonly string[]).includes(expr.method.value)) method = expr.method.value as MatchMethod;
    else reportProblem(env, `unknown matching method '${expr.method.value}' when parsing ACL expression.`, expr.method.range);
  }
  method ??= implied ?? (catalogue.DEFAULT_MATCH_METHOD[sample.output] as MatchMethod | undefined);
  if (!method) {
    reportProblem(env, `matching method must be specified first (using '-m') when using a sample fetch of this type ('${expr.criterion.fetch.name}').`, expr.criterion.range);
    method = 'found';
  }

  // Flags apply in order: `-i` affects the patterns read after it, files included.
  const patterns: PatternInput[] = [];
  // Where each `-f` file's patterns sit, so add-acl/del-acl edits can replace them at run time.
  const fileParts: { path: string; at: number; count: number; icase: boolean; asMap: boolean; range?: PatternInput['range'] }[] = [];
  let icase = false;
  let noDns = false;
  let asMap = false;
  for (const { flag, arg } of expr.flags) {
    switch (flag.value) {
      case '-i': icase = true; break;
      case '-n': noDns = true; break;
      case '-M': asMap = true; break;
      case '-f': {
        if (!arg) break;
        const content = readConfigFile(env, arg.value, arg.range);
        const at = patterns.length;
        for (const line of patternFileLines(content ?? '')) {
          patterns.push({ text: asMap ? line.split(/[ \t]/)[0]! : line, icase, range: arg.range });
        }
        fileParts.push({ path: arg.value, at, count: patterns.length - at, icase, asMap, range: arg.range });
        break;
      }
      default: break; // -m handled above; -u and -- change nothing here
    }
  }
  for (const v of expr.values) patterns.push({ text: v.value, icase, range: v.range });

  const dotted = VERSION_FETCHES.has(fetch) && (method === 'int');
  const patternOptions = { dottedVersion: dotted, noDns, operator: expr.operator?.value };
  const loadedSet = compilePatterns(method, patterns, patternOptions, env);
  const takesPatterns = method !== 'found' && method !== 'bool';
  const loadedNever = takesPatterns && patterns.length === 0;
  const loaded = { set: loadedSet, neverMatches: loadedNever };
  // add-acl/del-acl (and set-map/del-map) edits of a `-f` file in the stream's Runtime.
  const edited = fileParts.length === 0 ? () => undefined : editedView(fileParts.map((f) => f.path), (files) => {
    const rebuilt: PatternInput[] = [];
    let next = 0;
    for (const f of fileParts) {
      rebuilt.push(...patterns.slice(next, f.at));
      const entries = files.get(f.path);
      if (entries) for (const e of entries) rebuilt.push({ text: f.asMap ? e.key.split(/[ \t]/)[0]! : e.key, icase: f.icase, range: f.range });
      else rebuilt.push(...patterns.slice(f.at, f.at + f.count));
      next = f.at + f.count;
    }
    rebuilt.push(...patterns.slice(next));
    return { set: compilePatterns(method!, rebuilt, patternOptions, SILENT), neverMatches: takesPatterns && rebuilt.length === 0 };
  });

  return {
    text,
    method,
    evaluate(ctx) {
      const { set, neverMatches } = edited(ctx.runtime) ?? loaded;
      const vs = sample.all(ctx);
      if (vs === MISS) return { result: 'miss', values: [] };
      const values: string[] = [];
      for (const v of vs) {
        values.push(sampleToString(v));
        if (!neverMatches && set.match(v) >= 0) return { result: 'pass', values };
      }
      return { result: sample.mayChange(ctx) ? 'miss' : 'fail', values };
    },
    test(ctx) {
      const { set, neverMatches } = edited(ctx.runtime) ?? loaded;
      const vs = sample.all(ctx);
      if (vs === MISS) return 'miss';
      if (!neverMatches) for (const v of vs) if (set.match(v) >= 0) return 'pass';
      return sample.mayChange(ctx) ? 'miss' : 'fail';
    },
  };
}
