// `option httpchk [<method>] [<uri>] [<version>]`, `http-check send …` and `http-check expect …`
// read into the bytes of the check request and the rules its response must pass. HAProxy 2.6
// defaults: `OPTIONS / HTTP/1.0`; HTTP/1.1 adds `connection: close`; header names go lower-case;
// with no `expect`, any 2xx or 3xx status passes (all observed with the binary).
import type { ProxyModel, Statement } from '@haplo/parser';

export type ExpectKind = 'status' | 'rstatus' | 'string' | 'rstring';

export interface ExpectRule {
  kind: ExpectKind;
  negate: boolean;
  /** status: code ranges; rstatus/rstring: a regex; string: the text. */
  codes?: [number, number][];
  regex?: RegExp;
  text?: string;
}

export interface HttpCheck {
  request: Buffer;
  /** In order; every one must pass. Empty: 2xx/3xx passes. */
  expects: ExpectRule[];
  /** Some rule reads the body (the response is then read to its end). */
  needsBody: boolean;
}

/** `http-check` lines in effect: the proxy's own, else those of the defaults it inherits. */
function httpCheckLines(p: ProxyModel): Statement[] {
  for (let q: ProxyModel | undefined = p; q; q = q.defaults) {
    const own = q.statements.filter((s) => s.keywordWords[0]?.value === 'http-check' && s.line.active && !s.modifier);
    if (own.length) return own;
  }
  return [];
}

/** The words after `http-check <sub>` (or after `option httpchk`), whether or not the catalogue joined them. */
function wordsAfter(st: Statement, sub: string): string[] {
  const words = [...st.keywordWords.slice(1), ...st.args].map((w) => w.value);
  return words[0] === sub ? words.slice(1) : words;
}

/** `200`, `200-399`, `200,302,400-404`. */
function parseCodes(text: string): [number, number][] {
  const out: [number, number][] = [];
  for (const part of text.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (m) out.push([Number(m[1]), Number(m[2] ?? m[1])]);
  }
  return out;
}

/** Expect options that take one argument (skipped: haplo does not implement them). */
const EXPECT_OPTIONS_WITH_ARG = new Set(['min-recv', 'comment', 'ok-status', 'error-status', 'tout-status', 'on-success', 'on-error', 'status-code']);

function parseExpect(words: string[]): ExpectRule | undefined {
  let i = 0;
  while (i < words.length && EXPECT_OPTIONS_WITH_ARG.has(words[i]!)) i += 2;
  let negate = false;
  if (words[i] === '!') {
    negate = true;
    i++;
  } else if (words[i]?.startsWith('!')) {
    negate = true;
    words = [...words.slice(0, i), words[i]!.slice(1), ...words.slice(i + 1)];
  }
  const kind = words[i];
  const pattern = words[i + 1];
  if (pattern === undefined) return undefined;
  switch (kind) {
    case 'status': return { kind, negate, codes: parseCodes(pattern) };
    case 'rstatus': return { kind, negate, regex: new RegExp(pattern) };
    case 'string': return { kind, negate, text: pattern };
    case 'rstring': return { kind, negate, regex: new RegExp(pattern) };
    default: return undefined;
  }
}

/** The HTTP check of a backend with `option httpchk`, else undefined (a plain TCP check). */
export function httpCheckOf(p: ProxyModel): HttpCheck | undefined {
  const opt = p.options.get('httpchk');
  if (!opt?.value) return undefined;
  const args = wordsAfter(opt.statement, 'httpchk');
  let method = 'OPTIONS';
  let uri = '/';
  let version = 'HTTP/1.0';
  // One argument is the URI; two are method and URI; three add the version.
  if (args.length === 1) uri = args[0]!;
  else if (args.length >= 2) {
    method = args[0]!;
    uri = args[1]!;
    if (args[2]) version = args[2];
  }
  const headers: [string, string][] = [];
  let body = '';
  const expects: ExpectRule[] = [];
  for (const st of httpCheckLines(p)) {
    const sub = st.keywordWords[1]?.value ?? st.args[0]?.value;
    if (sub === 'send') {
      const w = wordsAfter(st, 'send');
      for (let i = 0; i < w.length; i++) {
        const k = w[i];
        if (k === 'meth') method = w[++i] ?? method;
        else if (k === 'uri') uri = w[++i] ?? uri;
        else if (k === 'ver') version = w[++i] ?? version;
        else if (k === 'hdr') {
          headers.push([(w[i + 1] ?? '').toLowerCase(), w[i + 2] ?? '']);
          i += 2;
        } else if (k === 'body') body = w[++i] ?? '';
        else if (k === 'uri-lf' || k === 'body-lf' || k === 'comment') i++;
      }
    } else if (sub === 'expect') {
      const rule = parseExpect(wordsAfter(st, 'expect'));
      if (rule) expects.push(rule);
    }
  }
  let head = `${method} ${uri} ${version}\r\n`;
  for (const [n, v] of headers) head += `${n}: ${v}\r\n`;
  if (body) head += `content-length: ${Buffer.byteLength(body)}\r\n`;
  if (version !== 'HTTP/1.0' && !headers.some(([n]) => n === 'connection')) head += 'connection: close\r\n';
  head += '\r\n';
  return {
    request: Buffer.from(head + body, 'latin1'),
    expects,
    needsBody: expects.some((e) => e.kind === 'string' || e.kind === 'rstring'),
  };
}

/** What an HTTP check concluded from a response. */
export interface HttpVerdict {
  pass: boolean;
  /** L7OK, L7STS (status) or L7RSP (content). */
  status: 'L7OK' | 'L7STS' | 'L7RSP';
  code: number;
  info?: string;
}

/** Applies the expect rules to a response (status, reason, body as latin1). */
export function judgeResponse(check: HttpCheck, code: number, reason: string, body: string | undefined): HttpVerdict {
  if (check.expects.length === 0) {
    return code >= 200 && code < 400 ? { pass: true, status: 'L7OK', code } : { pass: false, status: 'L7STS', code, info: reason };
  }
  for (const e of check.expects) {
    let match: boolean;
    if (e.kind === 'status' || e.kind === 'rstatus') {
      match = e.kind === 'status' ? e.codes!.some(([lo, hi]) => code >= lo && code <= hi) : e.regex!.test(String(code));
      if (match === e.negate) return { pass: false, status: 'L7STS', code, info: reason };
      continue;
    }
    if (!body) return { pass: false, status: 'L7RSP', code, info: 'HTTP content check could not find a response body' };
    match = e.kind === 'string' ? body.includes(e.text!) : e.regex!.test(body);
    if (match === e.negate) {
      return { pass: false, status: 'L7RSP', code, info: e.negate ? 'HTTP check matched unwanted content' : 'HTTP content check did not match' };
    }
  }
  return { pass: true, status: 'L7OK', code };
}
