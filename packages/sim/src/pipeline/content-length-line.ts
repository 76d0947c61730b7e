// The one Content-Length line a forwarded head carries: the body is relayed by the framing read
// from the wire, so the header must say the same, once. HAProxy 2.6 (observed) forwards
// `Content-Length: 5` twice, or `5, 5`, as one `content-length: 5` and keeps the value as
// written (`005`). A length the rules left that contradicts the framing is refused before any
// head is written (contentLengthContradicts). Chunked or close-delimited: no line. No body on
// the wire: a request gets none (a rule-made one would make the server wait for bytes that never
// come); a response keeps its first one (a HEAD or 304 response states the length it did not send).

import type { HeaderList } from '../stream/headers.js';

/** How a message's body is delimited on the wire (the proxy's BodyFraming, structurally). */
export type BodyFraming =
  | { kind: 'none' }
  | { kind: 'length'; length: number }
  | { kind: 'chunked' }
  /** Responses only: the body runs until the server closes. */
  | { kind: 'close' };

export class ContentLengthWriter {
  private written = false;

  constructor(private readonly framing: BodyFraming, private readonly response: boolean) {}

  /** What to write for a `content-length` header met in the head (often nothing). */
  line(value: string): string {
    if (this.written) return '';
    const f = this.framing;
    if (f.kind === 'length') {
      this.written = true;
      const v = value.trim();
      // The value as written when it says the framing's length (HAProxy keeps `005`).
      return `content-length: ${/^\d+$/.test(v) && Number(v) === f.length ? v : f.length}\r\n`;
    }
    // Chunked or close-delimited: a length line would contradict the bytes that follow.
    if (f.kind === 'chunked' || f.kind === 'close' || !this.response) return '';
    this.written = true;
    return `content-length: ${value}\r\n`;
  }

  /** The line a length-framed body still needs when no header was met (a rule removed it). */
  missing(): string {
    return this.framing.kind === 'length' && !this.written ? `content-length: ${this.framing.length}\r\n` : '';
  }
}

/**
 * Whether the Content-Length lines the rules left contradict how the body is delimited on the
 * wire: a length other than the body's, or any length on a chunked or close-delimited body.
 * HAProxy 2.6 refuses to send such a message (observed): a request is answered 500 and never
 * reaches the server, a response is dropped and the client connection closed. No body on the
 * wire: no contradiction (a request's line is left out, a HEAD or 304 response keeps it).
 */
export function contentLengthContradicts(headers: HeaderList, framing: BodyFraming): boolean {
  if (framing.kind === 'none') return false;
  const entries = headers.entries;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (e.name.length !== 14 || e.name.toLowerCase() !== 'content-length') continue;
    if (framing.kind !== 'length') return true;
    const v = e.value.trim();
    if (!/^\d+$/.test(v) || Number(v) !== framing.length) return true;
  }
  return false;
}
