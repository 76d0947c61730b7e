// Moves one message body from the socket it arrives on to the other side, finding where it
// ends: a byte count for Content-Length, the codec's ChunkedDecoder for chunked bodies (the data
// is written re-chunked, as HAProxy does: extensions dropped, trailer names lower-cased), or the
// end of the connection. Nothing is buffered here: each piece is written as it comes, and the
// caller pauses the source when a write says the destination is full.
import type { Socket } from 'node:net';
import { ChunkedDecoder, CRLF, chunkSizeLine, encodeLastChunk } from '../http/chunked.js';
import type { BodyFraming } from '../http/types.js';

export class BodyRelay {
  /** The whole body went by (always true for `none`). */
  done = true;
  /** The chunk framing was malformed: neither side can be trusted any more. */
  failed = false;
  /** The last write found the destination full. */
  blocked = false;
  /** Body bytes received so far, framing included (for byte counters). */
  received = 0;
  /** Payload bytes so far, chunk framing excluded (HAProxy's log byte counts). */
  payload = 0;
  private kind: BodyFraming['kind'] = 'none';
  private remaining = 0;
  private decoder: ChunkedDecoder | undefined;

  reset(framing: BodyFraming): void {
    this.kind = framing.kind;
    this.received = 0;
    this.payload = 0;
    this.failed = false;
    this.blocked = false;
    this.remaining = framing.kind === 'length' ? framing.length : 0;
    this.done = framing.kind === 'none' || (framing.kind === 'length' && framing.length === 0);
    this.decoder = framing.kind === 'chunked' ? new ChunkedDecoder() : undefined;
  }

  /** The body runs until the sender closes. */
  get untilClose(): boolean {
    return this.kind === 'close';
  }

  /**
   * Writes the body bytes of `buf` (from `off`) to `dst` (none: they are dropped, a body read
   * only to reach the next request); returns how many bytes of `buf` the body took. Bytes after
   * the end of the body are left for the next message.
   */
  relay(buf: Buffer, off: number, dst: Socket | undefined): number {
    this.blocked = false;
    if (this.done) return 0;
    const avail = buf.length - off;
    if (this.kind === 'chunked') return this.relayChunked(off === 0 ? buf : buf.subarray(off), dst);
    let n = avail;
    if (this.kind === 'length') {
      if (n > this.remaining) n = this.remaining;
      this.remaining -= n;
      if (this.remaining === 0) this.done = true;
    }
    if (n > 0) {
      this.received += n;
      this.payload += n;
      if (dst) this.blocked = !dst.write(off === 0 && n === buf.length ? buf : buf.subarray(off, off + n));
    }
    return n;
  }

  /** The sender closed: a close-delimited body is complete, any other is truncated. */
  senderClosed(): void {
    if (this.kind === 'close') this.done = true;
  }

  private relayChunked(piece: Buffer, dst: Socket | undefined): number {
    const r = this.decoder!.push(piece);
    if (r.kind === 'error') {
      this.failed = true;
      this.done = true;
      return 0;
    }
    const taken = piece.length - (r.rest?.length ?? 0);
    this.received += taken;
    for (let i = 0; i < r.data.length; i++) this.payload += r.data[i]!.length;
    if (r.done) this.done = true;
    if (!dst) return taken;
    let ok = true;
    for (let i = 0; i < r.data.length; i++) {
      const d = r.data[i]!;
      if (d.length === 0) continue;
      dst.write(chunkSizeLine(d.length));
      dst.write(d);
      ok = dst.write(CRLF);
    }
    if (r.done) {
      ok = dst.write(encodeLastChunk(r.trailers ?? []));
    }
    this.blocked = !ok;
    return taken;
  }
}
