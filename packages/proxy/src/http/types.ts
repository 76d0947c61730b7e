// The HTTP/1.x message heads and body framings the proxy reads and writes. Parsing is strict
// (RFC 9112 and current HAProxy): whatever another parser could read as two messages is an
// error, never passed on.

/** How a message body is delimited on the wire (RFC 9112 §6.3). */
export type BodyFraming =
  /** No body (GET without Content-Length, 204/304, HEAD responses…). */
  | { kind: 'none' }
  /** Exactly `length` bytes follow the head. */
  | { kind: 'length'; length: number }
  /** Transfer-Encoding ending in chunked. */
  | { kind: 'chunked' }
  /** Responses only: the body runs until the server closes. */
  | { kind: 'close' };

/** A parsed request head. Header names are kept as received, in order. */
export interface RequestHead {
  method: string;
  /** The request target as received (origin form, absolute form, authority or `*`). */
  target: string;
  /** `1.0` or `1.1`. */
  version: '1.0' | '1.1';
  headers: [string, string][];
  framing: BodyFraming;
  /** The client wants the connection kept open after this exchange. */
  keepAlive: boolean;
  /** `Expect: 100-continue` was sent (and the request has a body). */
  expectContinue: boolean;
  /** Lower-cased protocol from `Upgrade:` when `Connection: upgrade` is present (`websocket`). */
  upgrade?: string;
  /** Bytes the head took in the buffer, the final empty line included. */
  headLength: number;
}

/** A parsed response head. */
export interface ResponseHead {
  status: number;
  reason: string;
  version: '1.0' | '1.1';
  headers: [string, string][];
  framing: BodyFraming;
  /** The server keeps the connection open after this response. */
  keepAlive: boolean;
  /** 101 only: lower-cased protocol from `Upgrade:` when `Connection: upgrade` is present. */
  upgrade?: string;
  headLength: number;
}

/** Limits HAProxy applies while reading a head (tune.bufsize, tune.http.maxhdr). */
export interface HeadLimits {
  /**
   * Largest head in bytes, empty lines before the start line and the final empty line included
   * (HAProxy: tune.bufsize minus tune.maxrewrite; HAProxy 2.6 with the defaults 16384/1024 refused
   * a two-header request of 15 276 bytes and took one of 15 256, as it also counts its internal
   * per-header overhead). A larger head is answered with 400 (2.6; current HAProxy says 414/431).
   */
  maxHeadBytes: number;
  /**
   * tune.http.maxhdr, default 101. HAProxy's header table also holds the end-of-headers entry, so
   * a head may carry at most `maxHeaders - 1` header lines: 100 with the default (observed on
   * 2.6: a request with 100 lines passes, one with 101 lines gets 400).
   */
  maxHeaders: number;
}

/**
 * Optional memo for a head that arrives in pieces: pass one object per message to every call
 * (the buffer only growing by appends) and the complete lines already checked are not checked
 * again while the head is incomplete. Start from `{ offset: 0, fields: 0 }`; use a fresh one (or
 * zero it) for the next message.
 */
export interface HeadProgress {
  /** Start of the first line not yet checked (0: nothing checked yet). */
  offset: number;
  /** Header lines before `offset`. */
  fields: number;
}

/** The result of trying to read a head from the start of a buffer. */
export type HeadResult<T> =
  | { kind: 'incomplete' }
  | { kind: 'ok'; head: T }
  /**
   * The message is malformed: answer `status` and close. Requests: 400, 413 (HTTP/1.0
   * GET/HEAD/DELETE with a body), 422 (transfer coding other than chunked), 505 (HTTP major
   * version other than 1). Responses: always 502.
   */
  | { kind: 'error'; status: number; reason: string; /** Byte offset of the fault, for logs. */ offset: number };
