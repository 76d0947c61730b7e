// Writing the heads the proxy sends: requests to servers and responses to clients, the way
// HAProxy 2.6 writes them after its HTX conversion (checked on the wire, see
// test/proxy/http-serialize.test.ts):
// * header names lower-cased, values as parsed (trimmed), order kept, `name: value` + CRLF;
// * the start line's version as received (`HTTP/1.0` stays 1.0), `status SP reason` even when the
//   reason is empty;
// * framing headers made to match the framing the proxy will use: the first Content-Length or
//   Transfer-Encoding stays in place with a canonical value, duplicates go, never both;
// * Connection: `close` and `keep-alive` tokens are removed (other tokens stay; when something
//   was removed the rest is re-joined with `,`), and the proxy's own intent is appended last:
//   `connection: close` on an HTTP/1.1 message whose connection will close, `connection:
//   keep-alive` on an HTTP/1.0 message whose connection stays open, nothing otherwise;
// * Upgrade (current HAProxy, which 2.6 did not do yet): `h2`/`h2c` are dropped from it, a
//   request's Upgrade without a `Connection: upgrade` is dropped, and an `upgrade` token without
//   an Upgrade header is dropped.
// HAProxy 2.6 forwards the other hop-by-hop headers (Keep-Alive, Proxy-Connection, TE, and the
// headers named in Connection). `hopByHop: 'rfc'` removes them as RFC 9110 §7.6.1 asks and
// writes a single Connection header of the proxy's own instead.
import { TOKEN, stringEqualLower } from './chars.js';
import { validateField } from './serialize-checks.js';
import type { BodyFraming } from './types.js';

export type HopByHopMode = 'haproxy' | 'rfc';

export interface SerializeOptions {
  /** The version written in the start line (default `1.1`). */
  version?: '1.0' | '1.1';
  /** `haproxy` (default): as HAProxy 2.6 writes them; `rfc`: strip every hop-by-hop header. */
  hopByHop?: HopByHopMode;
  /** Write header names in lower case, as HAProxy's H1 output does (default true). */
  lowerCaseNames?: boolean;
}

export interface RequestSerializeOptions extends SerializeOptions {
  /**
   * The server connection stays open after this exchange (default true, `option
   * http-keep-alive`). HAProxy forwards an HTTP/1.0 request as HTTP/1.0 and then adds
   * `connection: keep-alive`.
   */
  keepAlive?: boolean;
}

export interface ResponseSerializeOptions extends SerializeOptions {
  /**
   * The method of the request answered. With `HEAD` (and for 304) a `none` framing keeps the
   * Content-Length / Transfer-Encoding the server sent, since they describe the representation.
   */
  requestMethod?: string;
}

/** Headers RFC 9110 §7.6.1 names as connection-specific, removed in `rfc` mode. */
const RFC_HOP_BY_HOP = new Set(['keep-alive', 'proxy-connection', 'te', 'transfer-encoding', 'connection', 'upgrade']);

/**
 * The request head to send to a server: `method uri HTTP/x.y`, the headers, framing and
 * connection headers adjusted as described above. Throws a TypeError when a part could not be
 * read back as intended (a CR or LF in a value, a method that is not a token…).
 */
export function serializeRequestHead(
  method: string,
  uri: string,
  headers: readonly (readonly [string, string])[],
  framing: BodyFraming,
  options: RequestSerializeOptions = {},
): Buffer {
  checkToken(method, 'method');
  checkTarget(uri);
  if (framing.kind === 'close') throw new TypeError('a request body cannot be delimited by closing the connection');
  const version = options.version ?? '1.1';
  const count = collectFields(headers, framing, options.keepAlive ?? true, version, options.hopByHop ?? 'haproxy', true, false);
  return emit(`${method} ${uri} HTTP/${version}\r\n`, count, options.lowerCaseNames ?? true);
}

/**
 * The response head to send to a client. `keepAlive` says whether the client connection stays
 * open after this response (forced false for a `close` framing).
 */
export function serializeResponseHead(
  status: number,
  reason: string,
  headers: readonly (readonly [string, string])[],
  framing: BodyFraming,
  keepAlive: boolean,
  options: ResponseSerializeOptions = {},
): Buffer {
  if (!Number.isInteger(status) || status < 100 || status > 999) throw new TypeError(`invalid status code ${status}`);
  const reasonProblem = validateField('reason', reason);
  if (reasonProblem) throw new TypeError(`cannot write the reason phrase: ${reasonProblem.replace('header reason', 'the reason phrase')}`);
  const version = options.version ?? '1.1';
  // Responses without a body keep the length headers that describe the representation (HEAD, 304).
  const keepLengthHeaders = framing.kind === 'none' && (status === 304 || options.requestMethod === 'HEAD');
  const count = collectFields(headers, framing, framing.kind === 'close' ? false : keepAlive, version, options.hopByHop ?? 'haproxy', false, keepLengthHeaders, status);
  return emit(`HTTP/${version} ${status} ${reason}\r\n`, count, options.lowerCaseNames ?? true);
}

function checkToken(s: string, what: string): void {
  const problem = s.length === 0 ? `empty ${what}` : validateField(s, '');
  if (problem) throw new TypeError(`cannot write the ${what} ${JSON.stringify(s)}: not a token`);
}

function checkTarget(uri: string): void {
  if (uri.length === 0) throw new TypeError('cannot write an empty request target');
  for (let i = 0; i < uri.length; i++) {
    const c = uri.charCodeAt(i);
    if (c <= 0x20 || c >= 0x7f) throw new TypeError(`cannot write the request target ${JSON.stringify(uri)}: it contains a space, control or non-ASCII character`);
  }
}

/** Splits a list value into trimmed, non-empty members. */
function members(value: string): string[] {
  const out: string[] = [];
  for (const part of value.split(',')) {
    const m = part.trim();
    if (m !== '') out.push(m);
  }
  return out;
}

const isH2 = (m: string) => stringEqualLower(m, 'h2c') || stringEqualLower(m, 'h2');

// The fields to write, gathered by collectFields (synchronous, so shared scratch arrays).
const outNames: string[] = [];
const outValues: string[] = [];

/**
 * Decides the header lines to write, in order, into outNames/outValues; returns their count.
 * Names are written as given here, lower-cased (or not) by `emit`.
 */
function collectFields(
  headers: readonly (readonly [string, string])[],
  framing: BodyFraming,
  keepAlive: boolean,
  version: '1.0' | '1.1',
  mode: HopByHopMode,
  request: boolean,
  keepLengthHeaders: boolean,
  status = 0,
): number {
  // What Connection and Upgrade say, to know whether an upgrade goes through.
  let connUpgrade = false;
  let upgradeOffered = false;
  let named: Set<string> | undefined;
  for (let i = 0; i < headers.length; i++) {
    const [name, value] = headers[i]!;
    if (name.length === 10 && stringEqualLower(name, 'connection')) {
      for (const m of members(value)) {
        const lm = m.toLowerCase();
        if (lm === 'upgrade') connUpgrade = true;
        else if (mode === 'rfc' && lm !== 'close' && lm !== 'keep-alive') (named ??= new Set()).add(lm);
      }
    } else if (name.length === 7 && stringEqualLower(name, 'upgrade')) {
      if (members(value).some((m) => !isH2(m))) upgradeOffered = true;
    }
  }
  // A request's Upgrade needs Connection: upgrade and vice versa; a response keeps its Upgrade
  // (servers advertise one in 426 and other answers) but its `upgrade` token needs an Upgrade.
  const keepUpgradeHeader = request ? connUpgrade && upgradeOffered : upgradeOffered;
  const keepUpgradeToken = connUpgrade && upgradeOffered;
  const upgrading = keepUpgradeToken && (request || status === 101);

  let count = 0;
  const push = (n: string, v: string) => {
    outNames[count] = n;
    outValues[count] = v;
    count++;
  };
  let wroteLength = false;
  let wroteCoding = false;
  for (let i = 0; i < headers.length; i++) {
    const [name, value] = headers[i]!;
    let v: string | undefined = value;
    const n = name.length;
    if (n === 14 && stringEqualLower(name, 'content-length')) {
      if (keepLengthHeaders) v = value;
      else if (framing.kind === 'length' && !wroteLength) {
        v = String(framing.length);
        wroteLength = true;
      } else v = undefined;
    } else if (n === 17 && stringEqualLower(name, 'transfer-encoding')) {
      if (keepLengthHeaders) v = value;
      else if (framing.kind === 'chunked' && !wroteCoding) {
        v = stringEqualLower(value, 'chunked') ? value : 'chunked';
        wroteCoding = true;
      } else v = undefined;
    } else if (n === 10 && stringEqualLower(name, 'connection')) {
      v = mode === 'rfc' ? undefined : rewriteConnection(value, keepUpgradeToken);
    } else if (n === 7 && stringEqualLower(name, 'upgrade')) {
      v = keepUpgradeHeader ? withoutH2(value) : undefined;
    } else if (mode === 'rfc') {
      const ln = name.toLowerCase();
      if (RFC_HOP_BY_HOP.has(ln) || named?.has(ln)) v = undefined;
    }
    if (v !== undefined) push(name, v);
  }
  if (framing.kind === 'length' && !wroteLength && !keepLengthHeaders) push('content-length', String(framing.length));
  if (framing.kind === 'chunked' && !wroteCoding && !keepLengthHeaders) push('transfer-encoding', 'chunked');

  const intent = upgrading ? '' : version === '1.1' ? (keepAlive ? '' : 'close') : keepAlive ? 'keep-alive' : '';
  if (mode === 'rfc') {
    const tokens = [intent, upgrading ? 'upgrade' : ''].filter((t) => t !== '');
    if (tokens.length > 0) push('connection', tokens.join(', '));
  } else if (intent !== '') {
    push('connection', intent);
  }
  return count;
}

/**
 * The head bytes: `startLine` (already checked, CRLF included), the collected fields and the
 * empty line, written straight into one buffer. Each name is checked and lower-cased and each
 * value checked in the same pass that copies it.
 */
function emit(startLine: string, count: number, lower: boolean): Buffer {
  let len = startLine.length + 2;
  for (let i = 0; i < count; i++) len += outNames[i]!.length + outValues[i]!.length + 4;
  const out = Buffer.allocUnsafe(len);
  let o = out.write(startLine, 0, 'latin1');
  for (let i = 0; i < count; i++) {
    const name = outNames[i]!;
    const value = outValues[i]!;
    if (name.length === 0) fieldError(name, value);
    for (let j = 0; j < name.length; j++) {
      const c = name.charCodeAt(j);
      if (c > 0xff || TOKEN[c] !== 1) fieldError(name, value);
      out[o++] = lower && c >= 0x41 && c <= 0x5a ? c | 0x20 : c;
    }
    out[o++] = 0x3a;
    out[o++] = 0x20;
    for (let j = 0; j < value.length; j++) {
      const c = value.charCodeAt(j);
      if (c < 0x20 ? c !== 0x09 : c === 0x7f || c > 0xff) fieldError(name, value);
      out[o++] = c;
    }
    out[o++] = 0x0d;
    out[o++] = 0x0a;
  }
  out[o++] = 0x0d;
  out[o++] = 0x0a;
  return out;
}

function fieldError(name: string, value: string): never {
  throw new TypeError(`cannot write header: ${validateField(name, value) ?? 'invalid field'}`);
}

/** Connection without `close`/`keep-alive` (and `upgrade` unless kept); undefined when nothing is left. */
function rewriteConnection(value: string, keepUpgrade: boolean): string | undefined {
  return rewriteList(value, (m) => stringEqualLower(m, 'close') || stringEqualLower(m, 'keep-alive') || (!keepUpgrade && stringEqualLower(m, 'upgrade')));
}

function withoutH2(value: string): string | undefined {
  return rewriteList(value, isH2);
}

/**
 * Removes the members `drop` picks from a comma-separated list the way HAProxy rewrites it: the
 * text before the first removed member stays verbatim, the members after it are appended
 * trimmed, joined with `,`. Undefined when nothing is left.
 */
function rewriteList(value: string, drop: (member: string) => boolean): string | undefined {
  let verbatimEnd = 0; // value.slice(0, verbatimEnd) is kept as is
  let contiguous = true; // nothing removed yet
  let tail = '';
  let p = 0;
  const len = value.length;
  while (p < len) {
    const c = value.charCodeAt(p);
    if (c === 0x2c || c === 0x20 || c === 0x09) {
      p++;
      continue;
    }
    let n = value.indexOf(',', p);
    if (n < 0) n = len;
    let e = n;
    while (e > p && (value.charCodeAt(e - 1) === 0x20 || value.charCodeAt(e - 1) === 0x09)) e--;
    const member = value.slice(p, e);
    if (drop(member)) contiguous = false;
    else if (contiguous) verbatimEnd = n;
    else tail += (verbatimEnd > 0 || tail !== '' ? ',' : '') + member;
    p = n;
  }
  if (contiguous) return verbatimEnd > 0 ? value : undefined;
  const out = value.slice(0, verbatimEnd) + tail;
  return out === '' ? undefined : out;
}
