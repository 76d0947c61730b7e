// The heads the proxy writes, from the pipeline's rewritten request and response: `haplo run`
// sends these bytes and `haplo sim` prints them as the request as forwarded and the response as
// returned, so a dry run shows exactly what the proxy does. What HAProxy 2.6 does on the wire
// (checked against the binary): header names go out lower-cased; Connection lines lose their
// `close`/`keep-alive` tokens and the proxy appends its own (connection-header.ts);
// Content-Length follows the framing the proxy relays by (content-length-line.ts): exactly one
// line, never with chunked. Built as one latin1 string, no array per head: the proxy's hot path.
import type { HttpRequest, HttpResponse } from '../stream/context.js';
import type { HeaderList } from '../stream/headers.js';
import { cleanConnectionValue, connectionTokens, connectionTokensOf, requestConnection, responseConnection } from './connection-header.js';
import { ContentLengthWriter, type BodyFraming } from './content-length-line.js';

/**
 * The request head for the server; `framing` is how its body is relayed, `closes` whether the
 * server connection closes after this exchange (the mode, or a `close` a rule wrote).
 */
export function requestHeadText(r: HttpRequest, framing: BodyFraming, closes: boolean): string {
  const version = r.version === '1.0' ? '1.0' : '1.1';
  let out = `${r.method} ${r.uri} HTTP/${version}\r\n` + fieldLines(r.headers, new ContentLengthWriter(framing, false));
  const said = requestConnection(version, closes, connectionTokensOf(r.headers));
  if (said !== '') out += `connection: ${said}\r\n`;
  return out + '\r\n';
}

/**
 * A message's header lines as the proxy writes them: names lower-cased, Connection lines without
 * their `close`/`keep-alive` tokens, one Content-Length line by `cl`'s rule.
 */
function fieldLines(headers: HeaderList, cl: ContentLengthWriter): string {
  let out = '';
  const entries = headers.entries;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    const name = e.name.toLowerCase();
    if (name === 'content-length') out += cl.line(e.value);
    else if (name === 'connection') {
      const v = cleanConnectionValue(e.value);
      if (v !== '') out += `connection: ${v}\r\n`;
    } else out += `${name}: ${e.value}\r\n`;
  }
  return out + cl.missing();
}

/** How the client connection goes on after a response. */
export const ClientSide = {
  /** Kept open for the next request. */
  Keep: 0,
  /** Closed after this response. */
  Close: 1,
  /** A tunnel follows (2xx to CONNECT): nothing is said. */
  Tunnel: 2,
} as const;
export type ClientSide = (typeof ClientSide)[keyof typeof ClientSide];

/**
 * The response head for the client; `framing` is how its body is relayed, `clientVersion` the
 * request's version. A 101's `connection: upgrade` stays and nothing is appended to it.
 */
export function responseHeadText(r: HttpResponse, framing: BodyFraming, clientVersion: string, side: ClientSide): string {
  const version = r.version === '1.0' ? '1.0' : '1.1';
  let out = `HTTP/${version} ${r.status} ${r.reason}\r\n` + fieldLines(r.headers, new ContentLengthWriter(framing, true));
  const said = side === ClientSide.Tunnel ? '' : responseConnection(version, clientVersion, side === ClientSide.Close, connectionTokensOf(r.headers));
  if (said !== '') out += `connection: ${said}\r\n`;
  return out + '\r\n';
}

/**
 * One of HAProxy's own answers, as the pipeline left it (errorfiles and http-after-response
 * applied), for a client speaking `clientVersion`, names lower-cased. Its Connection lines are
 * cleaned as a server's are (a rule's `keep-alive, X-A` goes out as `X-A`) and the proxy's own
 * line is appended, as for a response from a server (observed on 2.6).
 */
export function replyHeadText(status: number, reason: string, headers: readonly (readonly [string, string])[], close: boolean, clientVersion: string): string {
  let out = `HTTP/1.1 ${status} ${reason}\r\n`;
  let tokens = 0;
  for (let i = 0; i < headers.length; i++) {
    const [n, value] = headers[i]!;
    const name = n.toLowerCase();
    if (name === 'connection') {
      tokens |= connectionTokens(value);
      const kept = cleanConnectionValue(value);
      if (kept !== '') out += `connection: ${kept}\r\n`;
    } else out += `${name}: ${value}\r\n`;
  }
  const appended = responseConnection('1.1', clientVersion, close, tokens);
  if (appended !== '') out += `connection: ${appended}\r\n`;
  return out + '\r\n';
}

/** A 1xx interim response (100 Continue, 103 Early Hints), relayed as the server sent it. */
export function interimHeadText(h: { status: number; reason: string; headers: readonly (readonly [string, string])[] }): string {
  let out = `HTTP/1.1 ${h.status} ${h.reason}\r\n`;
  for (let i = 0; i < h.headers.length; i++) {
    const [name, value] = h.headers[i]!;
    out += `${name.toLowerCase()}: ${value}\r\n`;
  }
  return out + '\r\n';
}
