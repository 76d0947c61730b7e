// A response HAProxy itself sends (deny, return, redirect, errors): status line, headers in the
// order they go on the wire, and the body. Pure data, so the proxy can serialise it as is.

export interface Reply {
  status: number;
  reason: string;
  /** Header lines in wire order, names as HAProxy writes them (lower case for its own). */
  headers: [string, string][];
  body: string;
}

/** Copies a reply so a rule can add headers without touching a shared built-in. */
export function cloneReply(r: Reply): Reply {
  return { status: r.status, reason: r.reason, headers: r.headers.map(([n, v]) => [n, v]), body: r.body };
}

/** The reply as raw HTTP/1.1 bytes (what a client reads on the wire). */
export function serializeReply(r: Reply): string {
  let out = `HTTP/1.1 ${r.status} ${r.reason}\r\n`;
  for (const [n, v] of r.headers) out += `${n}: ${v}\r\n`;
  return out + '\r\n' + r.body;
}

/** UTF-8 length of a body, for content-length. */
export function byteLength(body: string): number {
  return Buffer.byteLength(body, 'utf8');
}
