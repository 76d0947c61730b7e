// HAProxy's own answers (deny, return, redirect, 400/408/502/503/504 and the errorfiles) as the
// pipeline left them, written to the client in one corked burst; and the header lookup the
// session needs on heads it did not rewrite.
import type { Socket } from 'node:net';
import { replyHeadText, type Reply } from '@haplo/sim';

type Headers = readonly (readonly [string, string])[];

/** Writes `reply` with `body`; returns the bytes written (0 when the client is already gone). */
export function writeReply(client: Socket, reply: Reply, body: Uint8Array, close: boolean, clientVersion: string): number {
  const text = replyHeadText(reply.status, reply.reason, reply.headers, close, clientVersion);
  if (client.destroyed) return text.length + body.length;
  client.cork();
  client.write(text, 'latin1');
  if (body.length) client.write(body);
  client.uncork();
  return text.length + body.length;
}

/** The first value of a header by lower-case name. */
export function headerValue(headers: Headers, lowerName: string): string | undefined {
  for (let i = 0; i < headers.length; i++) {
    const h = headers[i]!;
    if (h[0].length === lowerName.length && h[0].toLowerCase() === lowerName) return h[1];
  }
  return undefined;
}
