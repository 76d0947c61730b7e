// What `haplo sim` shows as the request as forwarded and the response as returned: the heads
// `haplo run` writes for the same messages (forwarded-head.ts, the one writer both use), read
// back into name/value pairs. A described request or simulated reply has no wire framing, so
// its headers give it: `Transfer-Encoding: chunked`, else `Content-Length`, else the length of
// the body given (as a well-behaved peer would send it).
import type { StreamContext } from '../stream/context.js';
import type { CompiledProxy } from './compile.js';
import { clientSideCloses, serverSideCloses } from './connection-mode.js';
import { closesAfter, connectionTokensOf, peerKeepsAlive, replyConnectionTokens } from './connection-header.js';
import type { BodyFraming } from './content-length-line.js';
import { ClientSide, replyHeadText, requestHeadText, responseHeadText } from './forwarded-head.js';

export interface WrittenRequest {
  method: string;
  uri: string;
  version: string;
  headers: [string, string][];
}

export interface WrittenResponse {
  status: number;
  reason: string;
  headers: [string, string][];
}

/** The framing a described request's headers and body give it. */
export function requestFraming(headers: readonly (readonly [string, string])[], bodyLength: number): BodyFraming {
  return declaredFraming(headers) ?? (bodyLength > 0 ? { kind: 'length', length: bodyLength } : { kind: 'none' });
}

/** The framing of a simulated reply: none where HTTP allows no body (HEAD, 1xx, 204, 304). */
export function responseFraming(headers: readonly (readonly [string, string])[], bodyLength: number, status: number, method: string): BodyFraming {
  if (method === 'HEAD' || status < 200 || status === 204 || status === 304) return { kind: 'none' };
  return declaredFraming(headers) ?? { kind: 'length', length: bodyLength };
}

function declaredFraming(headers: readonly (readonly [string, string])[]): BodyFraming | undefined {
  let length: number | undefined;
  for (const [name, value] of headers) {
    const n = name.toLowerCase();
    if (n === 'transfer-encoding' && /(^|,)\s*chunked\s*$/i.test(value)) return { kind: 'chunked' };
    if (n === 'content-length' && length === undefined && /^\s*\d+\s*$/.test(value)) length = Number(value);
  }
  return length === undefined ? undefined : { kind: 'length', length };
}

/** The request head `haplo run` writes to the server for the stream's request as the rules left it. */
export function writtenRequest(ctx: StreamContext, fe: CompiledProxy, be: CompiledProxy, framing: BodyFraming): WrittenRequest {
  const r = ctx.request!;
  const closes = closesAfter(serverSideCloses(fe.connectionMode, be.connectionMode), connectionTokensOf(r.headers));
  const text = requestHeadText(r, framing, closes);
  const startLine = `${r.method} ${r.uri} HTTP/1.x\r\n`;
  return { method: r.method, uri: r.uri, version: text.slice(startLine.length - 5, startLine.length - 2), headers: headerPairs(text, startLine.length) };
}

/**
 * The response head `haplo run` writes to the client: the server's response as the rules left
 * it, or HAProxy's own answer (`fromServer` false). `clientTokens` are what the client's
 * Connection lines said.
 */
export function writtenResponse(ctx: StreamContext, fe: CompiledProxy, fromServer: boolean, clientTokens: number, framing: BodyFraming): WrittenResponse {
  const res = ctx.response!;
  const clientVersion = ctx.request?.version ?? '1.1';
  const clientCloses = !peerKeepsAlive(clientVersion, clientTokens);
  const modeCloses = clientSideCloses(fe.connectionMode);
  let text: string;
  if (!fromServer) {
    // The same decision as the proxy's for its own answers (session/http-exchange-end.ts).
    const pairs = res.headers.entries.map((e) => [e.name, e.value] as const);
    text = replyHeadText(res.status, res.reason, pairs, clientCloses || closesAfter(modeCloses, replyConnectionTokens(pairs)), clientVersion);
  } else {
    const closes = clientCloses || closesAfter(modeCloses, connectionTokensOf(res.headers));
    const tunnel = res.status === 101 || (ctx.request?.method === 'CONNECT' && res.status >= 200 && res.status < 300);
    const side = tunnel ? ClientSide.Tunnel : closes || framing.kind === 'close' ? ClientSide.Close : ClientSide.Keep;
    text = responseHeadText(res, framing, clientVersion, side);
  }
  return { status: res.status, reason: res.reason, headers: headerPairs(text, `HTTP/1.x ${res.status} ${res.reason}\r\n`.length) };
}

/**
 * The header lines of a head the writers made, after its start line (`skip` characters). A
 * line without a colon is the rest of a value that held a line break (what the peer would read
 * as a broken line is shown with the value it came from).
 */
function headerPairs(text: string, skip: number): [string, string][] {
  const headers: [string, string][] = [];
  // The header lines end where the head's closing empty line starts.
  const stop = text.length - 4;
  if (stop + 2 <= skip) return headers;
  for (let i = skip; ; ) {
    let eol = text.indexOf('\r\n', i);
    if (eol < 0 || eol > stop) eol = stop;
    const colon = text.indexOf(': ', i);
    const last = headers[headers.length - 1];
    if (colon >= 0 && colon < eol) headers.push([text.slice(i, colon), text.slice(colon + 2, eol)]);
    else if (last) last[1] += `\r\n${text.slice(i, eol)}`;
    else headers.push([text.slice(i, eol), '']);
    if (eol >= stop) return headers;
    i = eol + 2;
  }
}
