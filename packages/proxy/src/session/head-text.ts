// The heads the proxy writes, from the pipeline's rewritten request and response. What HAProxy
// 2.6 does on the wire (checked against the binary): header names go out lower-cased; the
// `connection` header is hop-by-hop and rewritten per side — towards the server it is dropped
// (in keep-alive mode an HTTP/1.0 request gets `connection: keep-alive`; with http-server-close
// or httpclose an HTTP/1.1 request gets `connection: close`),
// towards the client it says `close` when the proxy will close, `keep-alive` to an HTTP/1.0
// client it keeps; an upgrade keeps the client's and the server's `connection: upgrade`.
// Content-Length follows the framing the proxy relays by (content-length.ts): exactly one line,
// never with chunked — HAProxy 2.6 merges `Content-Length: 5` twice, or `5, 5`, into one.
import type { HttpRequest, HttpResponse } from '@haplo/sim';
import type { BodyFraming, ResponseHead } from '../http/types.js';
import { ContentLengthWriter } from './content-length.js';

/**
 * The request head for the server; `framing` is how its body is relayed. `closing`: the proxy
 * closes the server connection after this exchange (http-server-close, httpclose), which an
 * HTTP/1.1 request says with `connection: close` and an HTTP/1.0 one by saying nothing.
 */
export function requestHeadText(r: HttpRequest, framing: BodyFraming, upgrade: boolean, closing: boolean): string {
  let out = `${r.method} ${r.uri} HTTP/${r.version === '1.0' ? '1.0' : '1.1'}\r\n`;
  const cl = new ContentLengthWriter(framing, false);
  const entries = r.headers.entries;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    const name = e.name.toLowerCase();
    if (name === 'connection' && !upgrade) continue;
    if (name === 'content-length') out += cl.line(e.value);
    else out += `${name}: ${e.value}\r\n`;
  }
  out += cl.missing();
  if (!upgrade) {
    if (r.version === '1.0') {
      if (!closing) out += 'connection: keep-alive\r\n';
    } else if (closing) out += 'connection: close\r\n';
  }
  return out + '\r\n';
}

/** How the client connection continues after a response. */
export const enum ClientConnection {
  /** Keep-alive, nothing to say (HTTP/1.1). */
  Keep,
  /** Keep-alive with an HTTP/1.0 client: say so. */
  KeepAnnounced,
  /** The proxy closes after this response. */
  Close,
  /** 101 Switching Protocols: the server's connection header stays. */
  Upgrade,
}

/** The response head for the client; `framing` is how its body is relayed. */
export function responseHeadText(r: HttpResponse, how: ClientConnection, framing: BodyFraming): string {
  const version = r.version === '1.0' ? '1.0' : '1.1';
  let out = `HTTP/${version} ${r.status} ${r.reason}\r\n`;
  const cl = new ContentLengthWriter(framing, true);
  const entries = r.headers.entries;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    const name = e.name.toLowerCase();
    if (name === 'connection' && how !== ClientConnection.Upgrade) continue;
    if (name === 'content-length') out += cl.line(e.value);
    else out += `${name}: ${e.value}\r\n`;
  }
  out += cl.missing();
  // An HTTP/1.0 response already means close.
  if (how === ClientConnection.Close && version === '1.1') out += 'connection: close\r\n';
  else if (how === ClientConnection.KeepAnnounced) out += 'connection: keep-alive\r\n';
  return out + '\r\n';
}

/**
 * One of HAProxy's own answers, as the pipeline left it (errorfiles and http-after-response
 * applied). Its headers are written as they are (the built-in 400/408 already say
 * `connection: close`); `connection: close` is added when the proxy closes and it is missing.
 */
export function replyHeadText(status: number, reason: string, headers: readonly (readonly [string, string])[], close: boolean): string {
  let out = `HTTP/1.1 ${status} ${reason}\r\n`;
  let said = false;
  for (let i = 0; i < headers.length; i++) {
    const [name, value] = headers[i]!;
    if (name.length === 10 && name.toLowerCase() === 'connection') said = true;
    out += `${name}: ${value}\r\n`;
  }
  if (close && !said) out += 'connection: close\r\n';
  return out + '\r\n';
}

/** A 1xx interim response (100 Continue, 103 Early Hints), relayed as the server sent it. */
export function interimHeadText(h: ResponseHead): string {
  let out = `HTTP/1.1 ${h.status} ${h.reason}\r\n`;
  for (let i = 0; i < h.headers.length; i++) {
    const [name, value] = h.headers[i]!;
    out += `${name.toLowerCase()}: ${value}\r\n`;
  }
  return out + '\r\n';
}
