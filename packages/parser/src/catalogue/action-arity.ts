// The arity of actions: how many words each action's parser takes before a condition may start.
// Read by the statement builder (to find where the condition really starts) and by the check
// that reports extra words, so both agree with HAProxy's parsers.
import type { RuleSet } from '../ast/nodes.js';
import { getAction } from './index.js';
import type { ArgSpec } from './types.js';

const isCond = (v: string | undefined): boolean => v === 'if' || v === 'unless';

/** Options of an http reply (deny, tarpit, return): how many words each takes after itself. */
const REPLY_OPTIONS: ReadonlyMap<string, number> = new Map([
  ['status', 1], ['content-type', 1], ['errorfiles', 1], ['default-errorfiles', 0], ['errorfile', 1],
  ['file', 1], ['string', 1], ['lf-file', 1], ['lf-string', 1], ['hdr', 2],
]);

/** http_parse_http_reply (after parse_http_deny's `deny_status` shortcut). */
function replyConsumes(action: string, w: readonly string[]): number | undefined {
  const v = (i: number): string | undefined => w[i];
  let i = 0;
  if ((action === 'deny' || action === 'tarpit') && v(0) === 'deny_status') {
    if (v(1) === undefined) return undefined;
    if (v(2) === undefined || isCond(v(2))) return 2;
    // otherwise parsed as `status <code>` followed by more options
  }
  while (i < w.length) {
    const word = i === 0 && v(0) === 'deny_status' ? 'status' : v(i)!;
    const n = REPLY_OPTIONS.get(word);
    if (n === undefined) break;
    if (i + n >= w.length) return undefined; // a missing value: the action's own error
    i += 1 + n;
  }
  return i;
}

/** parse_http_wait_for_body: `time <t>` and `at-least <n>` in any order. */
function waitForBodyConsumes(w: readonly string[]): number | undefined {
  let i = 0;
  while (i < w.length && (w[i] === 'time' || w[i] === 'at-least')) {
    if (i + 1 >= w.length) return undefined;
    i += 2;
  }
  return i;
}

/**
 * How many words an argument shape consumes, or undefined when the shape cannot say (a
 * trailing `repeat`, a required keyword that is not there, a missing argument).
 * Optional words come in pairs `<keyword> <value>` (`table <t>`, `-m <meth>`, `realm <r>`).
 */
function shapeConsumes(specs: readonly ArgSpec[], w: readonly string[]): number | undefined {
  let i = 0;
  let p = 0;
  while (p < specs.length) {
    const s = specs[p]!;
    if (s.repeat) return undefined;
    if (!s.optional) {
      if (i >= w.length) return undefined;
      if (s.type === 'enum' && s.values && !s.values.includes(w[i]!)) return undefined;
      i++;
      p++;
      continue;
    }
    const next = specs[p + 1];
    if (s.type === 'enum' && s.values && next?.optional && !next.repeat) {
      if (i < w.length && s.values.includes(w[i]!)) {
        if (i + 1 >= w.length) return undefined;
        i += 2;
      }
      p += 2;
      continue;
    }
    return undefined;
  }
  return i;
}

/** Actions not checked: their parsers take more than the catalogue shape says. */
const UNCHECKED = new Set(['redirect', 'normalize-uri', 'send-spoe-group', 'ot-group']);

/**
 * How many words after an action HAProxy's parser for it consumes, whatever they say (so in
 * `http-request del-header if x` the header name is `if`), or undefined when the shape is not
 * known precisely. `words` are the values after the action, up to the first empty one.
 */
export function actionArity(ruleSet: RuleSet, name: string, v: readonly string[]): number | undefined {
  if (UNCHECKED.has(name)) return undefined;
  if ((ruleSet === 'http-request' || ruleSet === 'http-response') && (name === 'deny' || name === 'tarpit' || name === 'return')) {
    if (v.length === 0 || isCond(v[0])) return 0;
    return replyConsumes(name, v);
  }
  if (name === 'wait-for-body') return waitForBodyConsumes(v);
  const spec = getAction(ruleSet, name);
  if (!spec?.args) return undefined;
  return shapeConsumes(spec.args, v);
}

