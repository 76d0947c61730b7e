// `.if` / `.elif` expressions, evaluated like src/cfgcond.c (HAProxy 2.6): the words after the
// directive are re-joined with single spaces, then parsed as
//   expr := and ('||' and)* ;  and := term ('&&' term)* ;
//   term := '!'* ( integer | '(' expr ')' | predicate['(' args ')'] )
// and evaluated with short-circuits. Error messages and positions are HAProxy's.
import type { Position, Range, Word } from '../ast/nodes.js';
import type { Environment } from './environment.js';

export type IfConditionResult = { value: boolean } | { error: { message: string; range: Range } };

/** HAProxy's MAX_CFG_RECURSION. */
const MAX_RECURSION = 1024;

/** Predicates of 2.6 and how many (string) arguments each takes. */
const PREDICATES: Readonly<Record<string, number>> = {
  defined: 1,
  feature: 1,
  streq: 2,
  strneq: 2,
  version_atleast: 1,
  version_before: 1,
  openssl_version_atleast: 1,
  openssl_version_before: 1,
  ssllib_name_startswith: 1,
};

type Term =
  | { kind: 'const'; neg: boolean; value: boolean; at: number }
  | { kind: 'paren'; neg: boolean; expr: OrExpr; at: number }
  | { kind: 'pred'; neg: boolean; name: string; args: string[]; at: number };
type AndExpr = Term[];
type OrExpr = AndExpr[];

interface ParseError {
  message: string;
  at: number;
}

/** Parse outcome, mirroring cfgcond.c: -1 error, 0 "desynchronised" (nothing to parse), 1 ok. */
interface Parsed<T> {
  ret: -1 | 0 | 1;
  /** Where C's `*text` points afterwards (it moves even on some failures). */
  pos: number;
  node?: T;
}

class CondParser {
  error: ParseError | undefined;
  constructor(readonly s: string) {}

  isBlank(i: number): boolean {
    const c = this.s.charCodeAt(i);
    return c === 32 || c === 9;
  }

  skipBlanks(i: number): number {
    while (i < this.s.length && this.isBlank(i)) i++;
    return i;
  }

  fail(message: string, at: number): -1 {
    if (!this.error) this.error = { message, at };
    return -1;
  }

  /** cfg_parse_cond_expr */
  expr(text: number, depth: number): Parsed<OrExpr> {
    const s = this.s;
    if (text >= s.length) return { ret: 0, pos: text };
    if (depth <= 0) {
      this.fail(`unparsable conditional expression '${s.slice(text)}'`, text);
      return { ret: -1, pos: text };
    }
    const left = this.and(text, depth - 1);
    if (left.ret === -1) return { ret: -1, pos: text };
    if (left.ret === 0) {
      this.fail(`unparsable conditional expression '${s.slice(left.pos)}'`, left.pos);
      return { ret: -1, pos: text };
    }
    let inp = this.skipBlanks(left.pos);
    const node: OrExpr = [left.node!];
    text = inp;
    if (s.charCodeAt(inp) !== 124 || s.charCodeAt(inp + 1) !== 124) return { ret: 1, pos: text, node };
    inp = this.skipBlanks(inp + 2);
    const right = this.expr(inp, depth - 1);
    if (right.ret > 0) {
      text = right.pos;
      node.push(...right.node!);
    }
    return { ret: right.ret, pos: text, node };
  }

  /** cfg_parse_cond_and */
  and(text: number, depth: number): Parsed<AndExpr> {
    const s = this.s;
    if (text >= s.length) return { ret: 0, pos: text };
    if (depth <= 0) {
      this.fail(`unparsable conditional sub-expression '${s.slice(text)}'`, text);
      return { ret: -1, pos: text };
    }
    const left = this.term(text, depth - 1);
    if (left.ret === -1) return { ret: -1, pos: text };
    if (left.ret === 0) {
      this.fail(`unparsable conditional sub-expression '${s.slice(text)}'`, text);
      return { ret: -1, pos: text };
    }
    let inp = this.skipBlanks(left.pos);
    const node: AndExpr = [left.node!];
    text = inp;
    if (s.charCodeAt(inp) !== 38 || s.charCodeAt(inp + 1) !== 38) return { ret: 1, pos: text, node };
    inp = this.skipBlanks(inp + 2);
    const right = this.and(inp, depth - 1);
    if (right.ret > 0) {
      text = right.pos;
      node.push(...right.node!);
    }
    return { ret: right.ret, pos: text, node };
  }

  /** cfg_parse_cond_term */
  term(text: number, depth: number): Parsed<Term> {
    const s = this.s;
    let inp = this.skipBlanks(text);
    if (inp >= s.length) return { ret: 0, pos: text };
    const unparsable = (): Parsed<Term> => {
      this.fail(`unparsable conditional expression '${s.slice(text)}'`, text);
      return { ret: -1, pos: text };
    };
    if (depth <= 0) return unparsable();
    let neg = false;
    while (s.charCodeAt(inp) === 33) {
      neg = !neg;
      inp = this.skipBlanks(inp + 1);
    }
    const num = strtol(s, inp, 0);
    if (num.end !== inp) {
      return { ret: 1, pos: num.end, node: { kind: 'const', neg, value: num.nonZero, at: inp } };
    }
    if (s.charCodeAt(inp) === 40) {
      const at = inp;
      inp = this.skipBlanks(inp + 1);
      const sub = this.expr(inp, depth - 1);
      if (sub.ret === -1) return { ret: -1, pos: text };
      if (sub.ret === 0) return unparsable();
      inp = this.skipBlanks(sub.pos);
      if (s.charCodeAt(inp) !== 41) {
        this.fail(`expected ')' after conditional expression '${s.slice(text)}'`, text);
        return { ret: -1, pos: text };
      }
      inp = this.skipBlanks(inp + 1);
      return { ret: 1, pos: inp, node: { kind: 'paren', neg, expr: sub.node!, at } };
    }
    // strcspn(in, " (")
    let e = inp;
    while (e < s.length && s.charCodeAt(e) !== 32 && s.charCodeAt(e) !== 40) e++;
    const name = s.slice(inp, e);
    const nbarg = Object.prototype.hasOwnProperty.call(PREDICATES, name) ? PREDICATES[name]! : 0;
    if (!nbarg) return unparsable();
    const args = this.argList(e, nbarg);
    if ('error' in args) {
      this.fail(
        `${args.error} in argument ${args.errArg} of predicate '${name}' used in conditional expression`,
        args.end,
      );
      return { ret: -1, pos: text };
    }
    return { ret: 1, pos: args.end, node: { kind: 'pred', neg, name, args: args.args, at: inp } };
  }

  /** make_arg_list() for `nbarg` mandatory string arguments, unbounded input. */
  argList(inp: number, nbarg: number): { args: string[]; end: number } | { error: string; errArg: number; end: number } {
    const s = this.s;
    const L = s.length;
    const empty = s.charCodeAt(inp) !== 40;
    if (!empty) inp++;
    const args: string[] = [];
    let pos = 0;
    while (pos < nbarg) {
      let out = '';
      let sq = false;
      let dq = false;
      while (!empty && inp < L) {
        const c = s.charCodeAt(inp);
        if (c === 34 && !sq) {
          dq = !dq;
          inp++;
          continue;
        }
        if (c === 39 && !dq) {
          sq = !sq;
          inp++;
          continue;
        }
        if (c === 92 && !sq) {
          if (inp + 1 >= L) {
            return {
              error: `failed to parse '${s.slice(inp)}' after '${out}' as type 'string' at position ${pos + 1}`,
              errArg: pos,
              end: inp,
            };
          }
          const n = s[inp + 1]!;
          if (n === '\\' || n === ' ' || n === '"' || n === "'") {
            out += n;
            inp += 2;
          } else if (n === 'r') {
            out += '\r';
            inp += 2;
          } else if (n === 'n') {
            out += '\n';
            inp += 2;
          } else if (n === 't') {
            out += '\t';
            inp += 2;
          } else {
            out += '\\';
            inp += 1;
          }
          continue;
        }
        if (!sq && !dq && (c === 44 || c === 41)) break;
        out += s[inp];
        inp++;
      }
      args.push(out);
      pos++;
      if (empty || inp >= L || s.charCodeAt(inp) === 41 || pos >= nbarg) break;
      inp++; // the comma
    }
    if (pos < nbarg) {
      return { error: `missing arguments (got ${pos}/${nbarg}), type 'string' expected`, errArg: pos, end: inp };
    }
    if (!empty) {
      if (s.charCodeAt(inp) === 41) inp++;
      else {
        const word = s.slice(inp);
        const error = word ? `expected ')' before '${word}'` : `expected ')'`;
        return { error, errArg: pos > 1 ? pos - 1 : pos, end: inp };
      }
    }
    return { args, end: inp };
  }
}

/** C strtol() as far as `.if` needs it: where it stops and whether the value is non-zero. */
function strtol(s: string, i: number, base: 0 | 10): { end: number; nonZero: boolean; digits: string; negative: boolean } {
  let k = i;
  while (k < s.length) {
    const c = s.charCodeAt(k);
    if (c === 32 || (c >= 9 && c <= 13)) k++;
    else break;
  }
  let negative = false;
  if (s[k] === '+' || s[k] === '-') {
    negative = s[k] === '-';
    k++;
  }
  let radix = 10;
  if (base === 0) {
    if (s[k] === '0' && (s[k + 1] === 'x' || s[k + 1] === 'X') && isDigitIn(s.charCodeAt(k + 2), 16)) {
      radix = 16;
      k += 2;
    } else if (s[k] === '0') radix = 8;
  }
  const from = k;
  while (k < s.length && isDigitIn(s.charCodeAt(k), radix)) k++;
  if (k === from) return { end: i, nonZero: false, digits: '', negative: false };
  const digits = s.slice(from, k);
  return { end: k, nonZero: /[^0]/.test(digits), digits, negative };
}

function isDigitIn(c: number, radix: number): boolean {
  if (radix === 8) return c >= 48 && c <= 55;
  if (c >= 48 && c <= 57) return true;
  if (radix === 16) return (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
  return false;
}

/** strtol(…, 10) stored in an `unsigned int`, as split_version() does. */
function toUint(s: string, i: number): { value: number; end: number } {
  const r = strtol(s, i, 10);
  if (r.end === i) return { value: 0, end: i };
  let v = BigInt(r.digits);
  const LONG_MAX = (1n << 63n) - 1n;
  if (r.negative) v = -v;
  if (v > LONG_MAX) v = LONG_MAX;
  if (v < -LONG_MAX - 1n) v = -LONG_MAX - 1n;
  return { value: Number(BigInt.asUintN(32, v)), end: r.end };
}

/** HAProxy's split_version(): 7 numbers, or undefined when unparsable. */
export function splitVersion(v: string): number[] | undefined {
  const out = [0, 0, 0, 0, 3, 0, 0];
  if (v === '') return undefined;
  let p = 0;
  let tag = false;
  for (let idx = 0; idx < 4; idx++) {
    const r = toUint(v, p);
    out[idx] = r.value;
    p = r.end + 1;
    if (r.end >= v.length) return out;
    const ch = v[r.end];
    if (ch === '-') {
      tag = true;
      break;
    }
    if (ch !== '.' || idx === 3) return undefined;
  }
  if (!tag) return undefined;
  let commit = false;
  const c = v.charCodeAt(p);
  if (c >= 48 && c <= 57) commit = true;
  else if (v.startsWith('dev', p)) {
    out[4] = 1;
    p += 3;
  } else if (v.startsWith('rc', p)) {
    out[4] = 2;
    p += 2;
  } else if (v.startsWith('pre', p)) {
    out[4] = 2;
    p += 3;
  } else commit = true;
  if (!commit) {
    const r = toUint(v, p);
    out[5] = r.value;
    p = r.end + 1;
    if (r.end >= v.length) return out;
    if (v[r.end] !== '-') return undefined;
  }
  let q = p;
  const dash = v.lastIndexOf('-');
  if (dash >= p) {
    q = dash + 1;
    if (q >= v.length) return undefined;
  }
  const r = toUint(v, q);
  out[6] = r.end >= v.length ? r.value : 0;
  return out;
}

/** compare_current_version(): -1 older than current, 0 same, 1 newer, -2/-3 unparsable. */
export function compareVersion(current: string, version: string): number {
  const loc = splitVersion(current);
  if (!loc) return -2;
  const mod = splitVersion(version);
  if (!mod) return -3;
  for (let i = 0; i < 7; i++) {
    if (mod[i]! < loc[i]!) return -1;
    if (mod[i]! > loc[i]!) return 1;
  }
  return 0;
}

/** HAProxy's openssl_version_parser() (0 when unparsable). */
export function parseOpensslVersion(version: string): number {
  if (!version) return 0;
  const maj = toUint(version, 0);
  if (version[maj.end] !== '.' || maj.value > 0xf) return 0;
  const min = toUint(version, maj.end + 1);
  if (version[min.end] !== '.' || min.value > 0xff) return 0;
  const fix = toUint(version, min.end + 1);
  if (fix.value > 0xff) return 0;
  let p = fix.end;
  let patch = 0;
  let status = 0;
  if (p >= version.length) status = 0xf;
  else if (version[p] === '-') {
    p++;
    if (version.startsWith('beta', p)) {
      status = toUint(version, p + 4).value;
      if (status > 14) return 0;
    }
  } else {
    patch = 1;
    for (; p < version.length; p++) patch += (version.charCodeAt(p) & ~0x20) - 65;
    status = 0xf;
  }
  return (
    (((maj.value & 0xf) << 28) | ((min.value & 0xff) << 20) | ((fix.value & 0xff) << 12) | ((patch & 0xff) << 4) | (status & 0xf)) >>>
    0
  );
}

/** OPENSSL_VERSION_NUMBER of the library HAProxy was built with (OpenSSL 3 packs the patch in bits 4-11). */
function opensslVersionNumber(version: string): number {
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (m && Number(m[1]) >= 3) {
    return (((Number(m[1]) & 0xf) << 28) | ((Number(m[2]) & 0xff) << 20) | ((Number(m[3]) & 0xff) << 4) | 0xf) >>> 0;
  }
  return parseOpensslVersion(version);
}

function evalOr(expr: OrExpr, env: Environment): number {
  let ret = 0;
  for (const and of expr) {
    ret = evalAnd(and, env);
    if (ret !== 0) return ret;
  }
  return ret;
}

function evalAnd(expr: AndExpr, env: Environment): number {
  let ret = 1;
  for (const term of expr) {
    ret = evalTerm(term, env);
    if (ret <= 0) return ret;
  }
  return ret;
}

let evalError: { message: string; at: number } | undefined;

function evalTerm(term: Term, env: Environment): number {
  let ret: number;
  if (term.kind === 'const') ret = term.value ? 1 : 0;
  else if (term.kind === 'paren') ret = evalOr(term.expr, env);
  else {
    const a = term.args[0]!;
    switch (term.name) {
      case 'defined': {
        const v = a === '' ? undefined : env.vars[a];
        ret = typeof v === 'string' ? 1 : 0;
        break;
      }
      case 'feature':
        ret = a !== '' && env.features.includes(a) ? 1 : 0;
        break;
      case 'streq':
        ret = a === term.args[1] ? 1 : 0;
        break;
      case 'strneq':
        ret = a !== term.args[1] ? 1 : 0;
        break;
      case 'version_atleast':
        ret = compareVersion(env.version, a) <= 0 ? 1 : 0;
        break;
      case 'version_before':
        ret = compareVersion(env.version, a) > 0 ? 1 : 0;
        break;
      case 'openssl_version_atleast':
      case 'openssl_version_before': {
        const want = parseOpensslVersion(a);
        if (!want) {
          // HAProxy 2.6.12 reports no message here: it dereferences a NULL message and crashes.
          evalError ??= {
            message: `unparsable OpenSSL version '${a}' in predicate '${term.name}' (HAProxy 2.6 crashes on this condition)`,
            at: term.at,
          };
          return -1;
        }
        const have = opensslVersionNumber(env.opensslVersion);
        const cmp = want < have ? -1 : want > have ? 1 : 0;
        ret = (term.name === 'openssl_version_atleast' ? cmp <= 0 : cmp > 0) ? 1 : 0;
        break;
      }
      case 'ssllib_name_startswith': {
        // OpenSSL_version(OPENSSL_VERSION) reads e.g. "OpenSSL 3.0.19 27 Jan 2026".
        const full = env.ssllibName.includes(' ') ? env.ssllibName : `${env.ssllibName} ${env.opensslVersion}`;
        ret = a.length <= full.length && full.startsWith(a) ? 1 : 0;
        break;
      }
      default:
        ret = -1;
    }
  }
  if (ret >= 0 && term.neg) ret = ret ? 0 : 1;
  return ret;
}

/** Maps an index of the joined expression back to the source. */
function sourceRange(words: readonly Word[], starts: number[], index: number): Range {
  let w = 0;
  while (w + 1 < words.length && starts[w + 1]! <= index) w++;
  const word = words[w]!;
  const lineStart = word.range.start.offset - word.range.start.column;
  const at = (offset: number): Position => ({ line: word.range.start.line, column: offset - lineStart, offset });
  const k = index - starts[w]!;
  if (k >= word.value.length) return { start: word.range.end, end: word.range.end };
  const off = word.offsets ? word.offsets[k]! : word.range.start.offset + k;
  return { start: at(off), end: at(Math.min(off + 1, word.range.end.offset)) };
}

function utf8Bytes(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/**
 * Evaluates the words after `.if`/`.elif` as cfgcond.c does. `directive` only changes the
 * wording of errors (`in '.elif'`).
 */
export function evaluateIfCondition(
  words: readonly Word[],
  env: Environment,
  directive: '.if' | '.elif' = '.if',
): IfConditionResult {
  const starts: number[] = [];
  let n = 0;
  for (const w of words) {
    starts.push(n);
    n += w.value.length + 1;
  }
  const s = words.map((w) => w.value).join(' ');
  if (s === '') return { value: false };

  const error = (message: string, at: number): IfConditionResult => ({
    error: {
      message: `${message} in '${directive}' at position ${utf8Bytes(s.slice(0, at)) + 1}:`,
      range: sourceRange(words, starts, at),
    },
  });

  const parser = new CondParser(s);
  const r = parser.expr(0, MAX_RECURSION);
  if (r.ret === -1) {
    const e = parser.error ?? { message: `unparsable conditional expression '${s}'`, at: 0 };
    return error(e.message, e.at);
  }
  if (r.ret === 0) return error(`unparsable conditional expression '${s}'`, r.pos);
  const rest = parser.skipBlanks(r.pos);
  if (rest < s.length) {
    return error(`unexpected character '${s[rest]}' at the end of conditional expression '${s}'`, rest);
  }
  evalError = undefined;
  const value = evalOr(r.node!, env);
  if (value < 0) {
    const e = evalError ?? { message: `unparsable conditional expression '${s}'`, at: 0 };
    evalError = undefined;
    return error(e.message, e.at);
  }
  return { value: value > 0 };
}
