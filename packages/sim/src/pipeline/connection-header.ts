// The Connection header as HAProxy 2.6's HTTP/1 layer reads and writes it (h1_parse_connection_header
// with H1_MF_CLEAN_CONN_HDR, set on both sides; observed with the 2.6 binary, see
// test/differential/forwarded-head-vs-haproxy.test.ts):
// * on the way in, every Connection line loses its `close` and `keep-alive` tokens before any rule
//   runs (`req.hdr_cnt(connection)` is 0 for `Connection: close`); a line left empty goes;
// * on the way out the same cleaning runs again (a rule may have set `Connection: close`), and
//   the other tokens stay: `Connection: keep-alive, X-Foo` reaches the server as `connection:
//   X-Foo`, and X-Foo itself is forwarded (2.6 removes no header a Connection line names);
// * then one line of the proxy's own is appended: `close` to an HTTP/1.1 peer when that
//   connection closes after the exchange, `keep-alive` to an HTTP/1.0 peer when it stays open,
//   nothing when an `upgrade` token is among the written lines.
// A token a rule writes decides for that side over the connection mode: `close` closes it after
// the exchange, `keep-alive` keeps it open under http-server-close or httpclose.
import type { HeaderList } from '../stream/headers.js';

/** Tokens of a Connection value, as bits. */
export const ConnectionToken = { Close: 1, KeepAlive: 2, Upgrade: 4 } as const;

const isBlank = (c: number): boolean => c === 0x20 || c === 0x09;

/** value.slice(from, to) equals `lower` (lower-case) ignoring case, without slicing. */
function wordIs(value: string, from: number, to: number, lower: string): boolean {
  if (to - from !== lower.length) return false;
  for (let i = 0; i < lower.length; i++) if ((value.charCodeAt(from + i) | 0x20) !== lower.charCodeAt(i)) return false;
  return true;
}

/** The header name is Connection, in any case (no lower-cased copy: `user-agent` has 10 letters too). */
const isConnection = (name: string): boolean => name === 'connection' || wordIs(name, 0, name.length, 'connection');

/** Which of `close`, `keep-alive`, `upgrade` the value names (ConnectionToken bits, any case). */
export function connectionTokens(value: string): number {
  const end = value.length;
  // The usual values, in one comparison.
  if (end === 10 && wordIs(value, 0, 10, 'keep-alive')) return ConnectionToken.KeepAlive;
  if (end === 5 && wordIs(value, 0, 5, 'close')) return ConnectionToken.Close;
  let bits = 0;
  for (let w = 0; w < end; w++) {
    if (isBlank(value.charCodeAt(w))) continue;
    let n = value.indexOf(',', w);
    if (n < 0) n = end;
    let e = n;
    while (e > w && isBlank(value.charCodeAt(e - 1))) e--;
    if (wordIs(value, w, e, 'close')) bits |= ConnectionToken.Close;
    else if (wordIs(value, w, e, 'keep-alive')) bits |= ConnectionToken.KeepAlive;
    else if (wordIs(value, w, e, 'upgrade')) bits |= ConnectionToken.Upgrade;
    w = n;
  }
  return bits;
}

/**
 * The value without its `close` and `keep-alive` tokens, as HAProxy rewrites it: the text stays
 * verbatim up to the first removed token, the words after it are appended trimmed and joined
 * with `,`. '' when nothing is left (the line is then not written).
 */
export function cleanConnectionValue(value: string): string {
  const end = value.length;
  // The usual values, in one comparison.
  if ((end === 5 && wordIs(value, 0, 5, 'close')) || (end === 10 && wordIs(value, 0, 10, 'keep-alive'))) return '';
  let kept = 0; // value.slice(0, kept) is the result while nothing was removed
  let p = 0; // where the text after the last word starts
  let out: string | undefined; // the rewritten result once a word was removed
  for (let w = 0; w < end; w++) {
    if (isBlank(value.charCodeAt(w))) continue;
    let n = value.indexOf(',', w);
    if (n < 0) n = end;
    let e = n;
    while (e > w && isBlank(value.charCodeAt(e - 1))) e--;
    if (!wordIs(value, w, e, 'close') && !wordIs(value, w, e, 'keep-alive')) {
      if (out === undefined && kept === p) kept = n;
      else {
        out ??= value.slice(0, kept);
        out += (out.length > 0 ? ',' : '') + value.slice(w, e);
      }
    }
    w = p = n;
  }
  return out ?? (kept === end ? value : value.slice(0, kept));
}

/**
 * Cleans every Connection line of `h` in place, as the HTTP/1 layer does on the way in (lines
 * left empty are removed); returns the tokens they named. No allocation without such a line.
 */
export function cleanConnectionHeaders(h: HeaderList): number {
  const entries = h.entries;
  let bits = 0;
  let kept = 0;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (isConnection(e.name)) {
      bits |= connectionTokens(e.value);
      e.value = cleanConnectionValue(e.value);
      if (e.value === '') continue;
    }
    // Lines after a removed one move up (no splice: it would allocate the removed ones' array).
    if (kept !== i) entries[kept] = e;
    kept++;
  }
  if (kept !== entries.length) entries.length = kept;
  return bits;
}

/** The tokens the Connection lines of `h` name (what a rule may have written since). */
export function connectionTokensOf(h: HeaderList): number {
  const entries = h.entries;
  let bits = 0;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (isConnection(e.name)) bits |= connectionTokens(e.value);
  }
  return bits;
}

/**
 * Whether a side closes after the exchange when its connection mode says `modeCloses` and the
 * Connection lines written to it name `tokens`.
 */
export function closesAfter(modeCloses: boolean, tokens: number): boolean {
  if (tokens & ConnectionToken.Close) return true;
  return modeCloses && (tokens & ConnectionToken.KeepAlive) === 0;
}

/** The tokens the Connection lines of one of HAProxy's own replies (header pairs) name. */
export function replyConnectionTokens(headers: readonly (readonly [string, string])[]): number {
  let bits = 0;
  for (let i = 0; i < headers.length; i++) {
    const [name, value] = headers[i]!;
    if (isConnection(name)) bits |= connectionTokens(value);
  }
  return bits;
}

/** An HTTP/1.x peer keeps its connection open after this message (RFC 9112 §9.3). */
export function peerKeepsAlive(version: string, tokens: number): boolean {
  if (tokens & ConnectionToken.Close) return false;
  return version === '1.0' ? (tokens & ConnectionToken.KeepAlive) !== 0 : true;
}

/**
 * The Connection value the proxy appends to a request for the server ('' for none): `closes`
 * says whether the server connection closes after this exchange, `tokens` what the written
 * Connection lines name.
 */
export function requestConnection(version: string, closes: boolean, tokens: number): '' | 'close' | 'keep-alive' {
  if (tokens & ConnectionToken.Upgrade) return '';
  if (version === '1.0') return closes ? '' : 'keep-alive';
  return closes ? 'close' : '';
}

/**
 * The Connection value the proxy appends to a response for the client ('' for none): an
 * HTTP/1.0 response or client hears `keep-alive` when the connection stays open, an HTTP/1.1
 * response `close` when it does not.
 */
export function responseConnection(version: string, clientVersion: string, closes: boolean, tokens: number): '' | 'close' | 'keep-alive' {
  if (tokens & ConnectionToken.Upgrade) return '';
  if (closes) return version === '1.0' ? '' : 'close';
  return version === '1.0' || clientVersion === '1.0' ? 'keep-alive' : '';
}
