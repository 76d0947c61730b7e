// The client's first bytes, kept while tcp-request content rules inspect them. The rules see at
// most `limit` bytes (HAProxy: the request buffer is "full" at tune.bufsize - tune.maxrewrite,
// and the rules then decide on what is there); every byte received is kept and forwarded.
// A single chunk is used as is; more chunks are gathered into one growing buffer.

export class InspectBuffer {
  private buf: Buffer | undefined;
  private owned = false;
  private len = 0;

  constructor(readonly limit: number) {}

  get length(): number {
    return this.len;
  }

  /** The rules' view reached the limit: no more data will change their answer. */
  get full(): boolean {
    return this.len >= this.limit;
  }

  append(chunk: Buffer): void {
    if (!this.buf) {
      this.buf = chunk;
      this.len = chunk.length;
      return;
    }
    const need = this.len + chunk.length;
    if (!this.owned || need > this.buf.length) {
      const grown = Buffer.allocUnsafe(Math.max(need, Math.min(this.limit, this.len * 2)));
      this.buf.copy(grown, 0, 0, this.len);
      this.buf = grown;
      this.owned = true;
    }
    chunk.copy(this.buf, this.len);
    this.len = need;
  }

  /** What the rules read: the first `limit` bytes (a new view each call). */
  view(): Uint8Array {
    return this.buf ? this.buf.subarray(0, Math.min(this.len, this.limit)) : EMPTY;
  }

  /** Every byte received, to forward. */
  all(): Uint8Array {
    return this.buf ? this.buf.subarray(0, this.len) : EMPTY;
  }
}

const EMPTY = new Uint8Array(0);
