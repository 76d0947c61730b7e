// HAProxy's own answers (deny, return, redirect, 400/408/502/503/504 and the errorfiles) as the
// pipeline left them, written to the client in one corked burst; and the two header lookups
// the session needs on heads it did not rewrite.
import type { Socket } from 'node:net';
import type { Reply } from '@haplo/sim';
import { replyHeadText } from './head-text.js';

type Headers = readonly (readonly [string, string])[];

/** Writes `reply` with `body`; returns the bytes written (0 when the client is already gone). */
export function writeReply(client: Socket, reply: Reply, body: Uint8Array, close: boolean): number {
  const text = replyHeadText(reply.status, reply.reason, reply.headers, close);
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

/** The message says `Connection: close`. */
export function saysClose(headers: Headers): boolean {
  const v = headerValue(headers, 'connection');
  return v !== undefined && v.toLowerCase().includes('close');
}
