// Where an HTTP client session stands, shared by the files that drive it (http-session.ts and
// its http-* parts). Under verbatimModuleSyntax a const enum used from another file is emitted as
// an object: a member read is a plain property load.

export const enum Phase {
  /** Waiting for (the rest of) a request head. */
  Head,
  /** `option http-buffer-request`: waiting for the body before the rules run. */
  Buffering,
  /** A tcp-request content rule waits for data (inspect-delay). */
  Rules,
  /** Waiting for a queue slot or a server connection. */
  Connecting,
  /** Request sent (its body may still stream); the response is awaited or streaming. */
  Exchange,
  /** After a 101: bytes flow both ways untouched. */
  Tunnel,
  /** Closing or closed: input is ignored. */
  Closed,
}

/** What the client timer is counting, so the right thing happens when it fires. */
export const enum ClientWait { None, FirstRequest, KeepAlive, Request, Inspect, Body, Write }
