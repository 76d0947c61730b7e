// How an exchange ends on an HTTP client session (http-session.ts): HAProxy's own replies
// (rules, errors, 400/408), the server connection's return to the pool, the stream's end() and
// its log, then keep-alive (the next pipelined request) or close. Plain functions taking the
// session: no closure per request.
import { clientSideCloses, closesAfter, replyConnectionTokens, type Reply } from '@haplo/sim';
import { CHUNKED_END_BYTES } from '../log/index.js';
import { detach, dropServer, giveBack } from './http-forward.js';
import { ClientWait, Phase } from './http-phase.js';
import { writeReply } from './http-replies.js';
import { readHeads } from './http-request-read.js';
import { leave } from './http-retire.js';
import type { HttpSession } from './http-session.js';

const EMPTY_BODY = new Uint8Array(0);

/** A malformed or timed-out request: HAProxy's 400/408 (errorfiles, after-response), then close. */
export function badRequest(s: HttpSession, code: number): void {
  s.waitClient(ClientWait.None, undefined);
  let raw = false;
  if (!s.inStream) {
    // No stream exists for bytes that never made a request: open one for the error's sake.
    s.ps.begin({ method: '<BADREQ>', uri: '', version: '1.1', headers: [] });
    s.inStream = true;
    raw = true;
  }
  if (s.log) s.log.terminate(code === 408 ? 'client-timeout' : 'proxy', 'request');
  s.head = undefined;
  s.closeAfter = true;
  sendReply(s, s.ps.errorReply(code), raw);
}

/** Writes the pipeline's reply (deny, return, redirect, errors) and finishes the stream. */
export function sendReply(s: HttpSession, reply: Reply, raw = false): void {
  dropServer(s);
  const head = s.head;
  const input = s.input;
  if (head && !s.reqDone && input.bytes) {
    // The request body already here is read past (not forwarded) so the connection can go on.
    const body = s.reqBody!;
    const n = body.relay(input.bytes, 0, undefined);
    if (!body.failed) {
      input.consume(n);
      s.reqDone = body.done;
    }
  }
  // A `close` or `keep-alive` a rule wrote in the reply decides over the frontend's mode (2.6).
  const close = s.closeAfter || s.retiring === null || !head || !head.keepAlive || !s.reqDone || closesAfter(clientSideCloses(s.fes.connectionMode), replyConnectionTokens(reply.headers));
  s.closeAfter = close;
  const body = head?.method === 'HEAD' ? EMPTY_BODY : (s.ps.ctx.response?.body ?? EMPTY_BODY);
  const n = writeReply(s.client, reply, body, close, head?.version ?? '1.1');
  s.bytesOut += n;
  if (s.log) {
    if (raw) s.log.rawReply(s.ps.ctx, n);
    else s.log.reply(reply, body.length);
  }
  s.resDone = true;
  finishExchange(s);
}

/** How a stream the rules answered ends in the log (first cause wins). */
export function logOutcome(s: HttpSession, outcome: string): void {
  const log = s.log!;
  if (outcome === 'deny') log.terminate('proxy');
  else if (outcome === 'tarpit') log.terminate('proxy', 'tarpit');
  else if (outcome === 'redirect' || outcome === 'return' || outcome === 'service') log.terminate('local');
  // 'error': no backend or no server left (503).
  else if (outcome === 'error') log.terminate(s.be ? 'server' : 'proxy', s.be ? 'connect' : 'request');
}

/** The request and the response are both done: the next request, or close. */
export function finishExchange(s: HttpSession): void {
  if (!s.reqDone) s.closeAfter = true;
  const conn = detach(s);
  const keepClient = !s.closeAfter && !s.clientEnded;
  if (conn) {
    // Back to the server's shared pool at once (http-reuse safe): an idle client pins nothing.
    const reusable = !s.serverDirty && !s.serverEnded && !s.serverCloses && s.reqDone && s.resHead?.keepAlive === true;
    giveBack(s, conn, reusable);
  }
  endStream(s);
  s.notFirst = true;
  s.resHead = undefined;
  if (!keepClient) {
    s.phase = Phase.Closed;
    s.client.destroySoon();
    return;
  }
  s.phase = Phase.Head;
  s.head = undefined;
  // An idle keep-alive client holds no request, response, body relay or context of its last stream.
  s.reqBody = undefined;
  s.resBody = undefined;
  s.ps.rest();
  if (s.retiring) return leave(s);
  s.log?.next();
  s.waitClient(ClientWait.KeepAlive, s.fes.timeouts.httpKeepAlive);
  s.resumeClient();
  if (s.input.bytes) {
    s.log?.requestStart();
    s.waitClient(ClientWait.Request, s.fes.timeouts.httpRequest);
    readHeads(s);
  }
}

export function endStream(s: HttpSession): void {
  if (!s.inStream) return;
  s.inStream = false;
  s.ps.end({ bytesIn: s.bytesIn, bytesOut: s.bytesOut, keepSession: !s.closeAfter && !s.finished });
  if (s.holdsSlot) {
    s.holdsSlot = false;
    s.ctx.upstreams.slotFreed(s.be!.name);
  }
  const log = s.log;
  if (log) {
    if (s.reqBody && s.head && s.head.framing.kind !== 'none') log.bodyIn(s.reqBody.payload);
    const res = s.resHead;
    if (s.resBody && res) log.bodyOut(s.resBody.payload + (res.framing.kind === 'chunked' ? CHUNKED_END_BYTES : 0));
    log.end(s.ps.ctx);
  }
}

/**
 * The client went away with a stream open (its fault unless something else ended it first),
 * or with half a request head: HAProxy logs that one as a 400 with no request line.
 */
export function logAbort(s: HttpSession, phase: Phase): void {
  const log = s.log!;
  if (s.inStream) {
    log.terminate('client');
    return;
  }
  if (phase !== Phase.Head || s.input.length === 0) return;
  s.ps.begin({ method: '<BADREQ>', uri: '', version: '1.1', headers: [] });
  s.inStream = true;
  log.rawReply(s.ps.ctx, 0);
  log.status = 400;
  log.terminate('client', 'request');
}
