// Header actions on the request (http-request) or the response (http-response,
// http-after-response), with the semantics observed on HAProxy 2.6 (reference §5.2, R05):
// set-header removes every occurrence then appends one line at the end; add-header appends;
// del-header matches the name (-m str|beg|end|sub|reg, case-insensitive); replace-header runs
// the regex on each whole line value; replace-value on each comma-separated value, and a
// rewritten value loses the blanks around it (`old, keep, old` → `new, keep,new`).
import { reportProblem } from '../compile-env.js';
import { compileRegex } from '../regex.js';
import { addHeader, commaPieces, deleteHeader, setHeader, type HeaderList } from '../stream/headers.js';
import type { StreamContext } from '../stream/context.js';
import { expReplace, logFormat } from './args.js';
import type { ActionCompileContext, ActionCompiler, CompiledAction } from './types.js';

const isResponseSet = (cx: ActionCompileContext): boolean => cx.ruleSet !== 'http-request';

/** The header list an action edits: request headers, or response headers on the response side. */
function target(cx: ActionCompileContext): (ctx: StreamContext) => HeaderList | undefined {
  return isResponseSet(cx) ? (ctx) => ctx.response?.headers : (ctx) => ctx.request?.headers;
}

const setOrAdd = (mode: 'set' | 'add'): ActionCompiler => (cx) => {
  const name = cx.args[0]?.value ?? '';
  const value = logFormat(cx.args[1], cx.env);
  const list = target(cx);
  const said = `${mode === 'set' ? 'set' : 'added'} ${name.toLowerCase()}: `;
  return ({ ctx }) => {
    const h = list(ctx);
    if (!h) return { kind: 'continue' };
    const v = value(ctx);
    if (mode === 'set') setHeader(h, name, v);
    else addHeader(h, name, v);
    return { kind: 'continue', change: said + v };
  };
};

type NameMatch = (lowerName: string) => boolean;

function nameMatcher(cx: ActionCompileContext, pattern: string, method: string): NameMatch {
  const p = pattern.toLowerCase();
  switch (method) {
    case 'str': return (n) => n === p;
    case 'beg': return (n) => n.startsWith(p);
    case 'end': return (n) => n.endsWith(p);
    case 'sub': return (n) => n.includes(p);
    case 'reg': {
      const re = compileRegex(pattern, true);
      if (typeof re === 'string') {
        reportProblem(cx.env, re, cx.rule.range);
        return () => false;
      }
      return (n) => re.test(n);
    }
    default:
      reportProblem(cx.env, `'${cx.ruleSet} del-header' : unsupported matching method '${method}'.`, cx.rule.range);
      return () => false;
  }
}

const delHeader: ActionCompiler = (cx) => {
  const name = cx.args[0]?.value ?? '';
  const m = cx.args[1]?.value === '-m' ? cx.args[2]?.value ?? 'str' : 'str';
  const list = target(cx);
  if (m === 'str') {
    return ({ ctx }) => {
      const h = list(ctx);
      const n = h ? deleteHeader(h, name) : 0;
      return { kind: 'continue', change: n ? `removed ${n} ${name.toLowerCase()} line${n > 1 ? 's' : ''}` : `no ${name.toLowerCase()} to remove` };
    };
  }
  const match = nameMatcher(cx, name, m);
  return ({ ctx }) => {
    const h = list(ctx);
    if (!h) return { kind: 'continue' };
    const removed: string[] = [];
    const kept = h.entries.filter((e) => {
      const hit = match(e.name.toLowerCase());
      if (hit) removed.push(e.name.toLowerCase());
      return !hit;
    });
    h.entries.length = 0;
    h.entries.push(...kept);
    return { kind: 'continue', change: removed.length ? `removed ${removed.join(', ')}` : `no header matched -m ${m} ${name}` };
  };
};

/** Splits a header value at commas outside quotes, keeping the blanks around each value. */
function segments(value: string): { lead: string; value: string; trail: string }[] {
  return commaPieces(value).map((p) => {
    const m = /^([ \t]*)(.*?)([ \t]*)$/s.exec(p)!;
    return { lead: m[1]!, value: m[2]!, trail: m[3]! };
  });
}

const replace = (perValue: boolean): ActionCompiler => (cx) => {
  const name = (cx.args[0]?.value ?? '').toLowerCase();
  const re = compileRegex(cx.args[1]?.value ?? '', false);
  if (typeof re === 'string') reportProblem(cx.env, re, cx.args[1]?.range ?? cx.rule.range);
  const fmt = logFormat(cx.args[2], cx.env);
  const list = target(cx);
  const action = perValue ? 'replace-value' : 'replace-header';
  return ({ ctx }) => {
    const h = list(ctx);
    if (!h || typeof re === 'string') return { kind: 'continue' };
    const replacement = fmt(ctx);
    const changes: string[] = [];
    for (const e of h.entries) {
      if (e.name.toLowerCase() !== name) continue;
      const before = e.value;
      if (!perValue) {
        const m = re.exec(e.value);
        if (m) e.value = expReplace(replacement, m);
      } else {
        const segs = segments(e.value);
        let out = '';
        segs.forEach((s, i) => {
          const m = re.exec(s.value);
          out += (i ? ',' : '') + (m ? expReplace(replacement, m) : s.lead + s.value + s.trail);
        });
        e.value = out;
      }
      if (e.value !== before) changes.push(`${name}: ${before} → ${e.value}`);
    }
    return { kind: 'continue', change: changes.length ? changes.join('; ') : `${action}: nothing matched` };
  };
};

/**
 * `early-hint <name> <fmt>`: HAProxy sends a 103 Early Hints interim response carrying the
 * header (consecutive early-hint rules share one 103) and goes on; the request is unchanged.
 * The simulator's reply is the final response only, so the 103 is noted in the trace.
 */
const earlyHint: ActionCompiler = (cx) => {
  const name = cx.args[0]?.value ?? '';
  const value = logFormat(cx.args[1], cx.env);
  return ({ ctx }) => ({ kind: 'continue', change: `103 Early Hints to the client: ${name.toLowerCase()}: ${value(ctx)}` });
};

export const headerActions: Record<string, ActionCompiler> = {
  'early-hint': earlyHint,
  'set-header': setOrAdd('set'),
  'add-header': setOrAdd('add'),
  'del-header': delHeader,
  'replace-header': replace(false),
  'replace-value': replace(true),
};

export type { CompiledAction };
