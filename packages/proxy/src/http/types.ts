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
  headLength: number;
}

/** Limits HAProxy applies while reading a head (tune.bufsize, tune.http.maxhdr). */
export interface HeadLimits {
  /** Largest head in bytes (HAProxy: tune.bufsize minus tune.maxrewrite). */
  maxHeadBytes: number;
  /** Most header lines (tune.http.maxhdr, default 101). */
  maxHeaders: number;
}

/** The result of trying to read a head from the start of a buffer. */
export type HeadResult<T> =
  | { kind: 'incomplete' }
  | { kind: 'ok'; head: T }
  /** The message is malformed: answer `status` (400, 414, 431, 501, 505…) and close. */
  | { kind: 'error'; status: number; reason: string; /** Byte offset of the fault, for logs. */ offset: number };
