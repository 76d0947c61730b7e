// The client bytes a session has read but not used yet: a partial request head, pipelined
// requests behind the one being served, body bytes that came with a head. Nothing is held
// between requests of an idle keep-alive connection (the common case ends with nothing left),
// so an idle client costs no Buffer.
import { parseRequestHead } from '../http/request-head.js';
import type { HeadLimits, HeadResult, RequestHead } from '../http/types.js';

export class RequestBuffer {
  /** Bytes not used yet; undefined when there are none. */
  bytes: Buffer | undefined = undefined;

  get length(): number {
    return this.bytes?.length ?? 0;
  }

  append(chunk: Buffer): void {
    const b = this.bytes;
    this.bytes = b ? Buffer.concat([b, chunk]) : chunk;
  }

  /** Drops the first `n` bytes (a head or body that was used). */
  consume(n: number): void {
    const b = this.bytes!;
    this.bytes = n >= b.length ? undefined : b.subarray(n);
  }

  /** Hands every byte over and forgets them. */
  take(): Buffer | undefined {
    const b = this.bytes;
    this.bytes = undefined;
    return b;
  }

  /** Parses the head at the start of the bytes (undefined when there are none). */
  parseHead(limits: HeadLimits): HeadResult<RequestHead> | undefined {
    return this.bytes ? parseRequestHead(this.bytes, limits) : undefined;
  }
}
