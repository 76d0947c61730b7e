// Reading requests on an HTTP client session (http-session.ts): heads out of the request
// buffer one at a time, `option http-buffer-request`, the stream's begin() and the client
// timer's expiry. Plain functions taking the session: no closure per request.
import { ERROR_CODES } from '@haplo/sim';
import type { RequestHead } from '../http/types.js';
import { StreamLogRecord } from '../log/index.js';
import { BodyRelay } from './body-relay.js';
import { badRequest } from './http-exchange-end.js';
import { ClientWait, Phase } from './http-phase.js';
import { headerValue } from './http-replies.js';
import type { HttpSession } from './http-session.js';
import { validWebsocketKey } from './websocket-accept.js';

const EMPTY_BODY = new Uint8Array(0);
/** Where captures of a frontend that does not log put their cookie (they only feed capture.* fetches). */
const UNLOGGED = new StreamLogRecord();

/** Keeps bytes for later (the next pipelined request); stops reading past one buffer. */
export function stash(s: HttpSession, chunk: Buffer): void {
  s.input.append(chunk);
  if (s.input.length > s.bufsize) s.pauseClient();
}

/** Reads and serves every complete head in the buffer, one request at a time. */
export function readHeads(s: HttpSession): void {
  // A request answered at once (deny, redirect) finishes inside startRequest and comes back
  // here for the next pipelined one: loop instead of recursing.
  if (s.reading) {
    s.readAgain = true;
    return;
  }
  s.reading = true;
  try {
    do {
      s.readAgain = false;
      if (s.phase !== Phase.Head) break;
      const r = s.input.parseHead(s.limits);
      if (!r || r.kind === 'incomplete') break;
      if (r.kind === 'error') {
        // A refusal HAProxy has no error page for (505: a major version other than 1) is its
        // 400: errorfiles, logs and counters only know HAProxy's codes.
        badRequest(s, ERROR_CODES.includes(r.status) ? r.status : 400);
        break;
      }
      s.input.consume(r.head.headLength);
      startRequest(s, r.head);
    } while (s.readAgain);
  } finally {
    s.reading = false;
  }
}

function startRequest(s: HttpSession, head: RequestHead): void {
  s.head = head;
  s.bytesIn = head.headLength;
  s.bytesOut = 0;
  s.closeAfter = false;
  s.serverDirty = false;
  s.retriedStale = false;
  s.resHead = undefined;
  s.resDone = false;
  if (head.framing.kind === 'none') s.reqDone = true;
  else {
    const body = (s.reqBody ??= new BodyRelay());
    body.reset(head.framing);
    s.reqDone = body.done;
  }
  s.waitClient(ClientWait.None, undefined);
  if (head.upgrade === 'websocket' && !validWebsocketKey(headerValue(head.headers, 'sec-websocket-key'))) {
    badRequest(s, 400);
    return;
  }
  if (s.fes.bufferRequest && !s.reqDone) {
    s.phase = Phase.Buffering;
    s.waitClient(ClientWait.Request, s.fes.timeouts.httpRequest);
    bufferBody(s);
    return;
  }
  s.ps.begin({ method: head.method, uri: head.target, version: head.version, headers: head.headers, bodyComplete: s.reqDone, framing: head.framing });
  streamBegun(s, head);
  s.decide(s.ps.request());
}

/** begin() ran: captures read the head as received, before any rule. */
function streamBegun(s: HttpSession, head: RequestHead): void {
  s.inStream = true;
  if (s.log) s.log.requestHead(s.ps.ctx, head);
  else if (s.logger) s.logger.captureRequest(s.ps.ctx, UNLOGGED, head.headers);
}

/**
 * `option http-buffer-request`: the rules see the body (Content-Length bodies that fit in the
 * buffer); a chunked or larger body lets them run on what arrived once the buffer is full.
 */
export function bufferBody(s: HttpSession): void {
  const head = s.head!;
  const have = s.input.length;
  const length = head.framing.kind === 'length' ? head.framing.length : Infinity;
  const room = s.bufsize - head.headLength;
  if (have < length && have < room) return;
  const body = head.framing.kind === 'length' ? (s.input.bytes ?? EMPTY_BODY).subarray(0, Math.min(length, have)) : undefined;
  s.waitClient(ClientWait.None, undefined);
  s.phase = Phase.Head;
  s.ps.begin({ method: head.method, uri: head.target, version: head.version, headers: head.headers, body, bodyComplete: have >= length, framing: head.framing });
  streamBegun(s, head);
  s.decide(s.ps.request());
}

/** The client timer ran out: what happens depends on what it was counting. */
export function onClientTimeout(s: HttpSession): void {
  const wait = s.clientWait;
  s.clientWait = ClientWait.None;
  switch (wait) {
    case ClientWait.FirstRequest:
    case ClientWait.Request:
      if (s.phase === Phase.Head || s.phase === Phase.Buffering) badRequest(s, 408);
      return;
    case ClientWait.Inspect:
      if (s.phase === Phase.Rules) {
        s.ps.expire();
        s.decide(s.ps.request());
      }
      return;
    case ClientWait.None:
      return;
    case ClientWait.KeepAlive:
      s.client.destroy();
      return;
    default:
      // A client that stopped sending its body or reading the response.
      s.log?.terminate('client-timeout');
      s.client.destroy();
  }
}
