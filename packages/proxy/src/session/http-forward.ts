// Forwarding a request on an HTTP client session (http-session.ts): the queue slot, the server
// connection (a pooled one or a new one, server-connection.ts), its hold and release, the
// request head and the request body. Plain functions taking the session: no closure per request.
import { closesAfter, connectionTokensOf, requestHeadText, serverSideCloses } from '@haplo/sim';
import type { UpstreamConnection, UpstreamFailure } from '../process/types.js';
import { Deadline } from './deadline.js';
import { badRequest, finishExchange, sendReply } from './http-exchange-end.js';
import { ClientWait, Phase } from './http-phase.js';
import { stash } from './http-request-read.js';
import type { HttpSession } from './http-session.js';
import { connectServer, idleConnection } from './server-connection.js';
import { bindServer, unbindServer } from './socket-events.js';

export function connect(s: HttpSession, server: string): void {
  const be = s.be!.name;
  if (s.notFirst && !s.retriedStale) {
    const idle = idleConnection(s.ctx.upstreams, be, server);
    if (idle) {
      attach(s, idle, true);
      sendRequest(s);
      return;
    }
  }
  s.connectSettled = false;
  s.onConnected ??= (err, conn) => s.guarded(() => connected(s, err, conn));
  s.redispatch ??= () => {
    const next = s.ps.redispatch();
    s.log?.redispatched();
    return next;
  };
  // The stream goes along for a server's `sni <expr>` (req.hdr(host)…).
  const c = connectServer(s.ctx.upstreams, be, server, s.redispatch, s.onConnected, !s.notFirst || s.retriedStale, s.ps.ctx);
  // `done` may have run already.
  if (!s.connectSettled) s.cancel = c;
}

/** The queue answered: a slot (the pipeline selects a server) or none (503). */
export function slotGiven(s: HttpSession, slot: boolean): void {
  s.connectSettled = true;
  s.cancel = undefined;
  if (s.phase === Phase.Closed) return;
  if (!slot) {
    s.log?.terminate('server-timeout', 'queue');
    sendReply(s, s.ps.errorReply(503));
  } else s.decide(s.ps.select());
}

function connected(s: HttpSession, err: UpstreamFailure | undefined, conn?: UpstreamConnection): void {
  s.connectSettled = true;
  s.cancel = undefined;
  if (s.phase === Phase.Closed) {
    if (conn) s.ctx.upstreams.release(conn, false);
    return;
  }
  if (err || !conn) {
    s.log?.terminate(err?.kind === 'timeout' ? 'server-timeout' : 'server', 'connect');
    sendReply(s, s.ps.errorReply(503));
    return;
  }
  attach(s, conn, conn.reused);
  sendRequest(s);
}

/** Makes `conn` the exchange's server connection; the socket's events lead back to the session. */
function attach(s: HttpSession, conn: UpstreamConnection, reused: boolean): void {
  const sock = conn.socket;
  s.conn = conn;
  s.server = sock;
  s.connReused = reused;
  s.serverEnded = false;
  s.serverPaused = false;
  s.serverPending = undefined;
  bindServer(sock, s);
  if (sock.isPaused()) sock.resume();
  s.log?.connected(sock);
}

/** Ends the exchange's hold on its server connection. */
export function detach(s: HttpSession): UpstreamConnection | undefined {
  const conn = s.conn;
  const sock = s.server;
  if (!conn || !sock) return undefined;
  if (s.serverPaused) {
    s.serverPaused = false;
    sock.resume();
  }
  s.conn = undefined;
  s.server = undefined;
  s.serverPending = undefined;
  s.serverTimer?.disarm();
  return conn;
}

/** Gives the server connection back unusable (the exchange broke or was answered by a rule). */
export function dropServer(s: HttpSession): void {
  const conn = detach(s);
  if (conn) giveBack(s, conn, false);
}

/** Hands a connection to the upstream layer (its shared pool when reusable), without our handlers. */
export function giveBack(s: HttpSession, conn: UpstreamConnection, reusable: boolean): void {
  unbindServer(conn.socket);
  s.ctx.upstreams.release(conn, reusable);
}

export function armServerTimer(s: HttpSession): void {
  (s.serverTimer ??= new Deadline(s)).arm(s.bes!.timeouts.server);
}

export function sendRequest(s: HttpSession): void {
  const head = s.head!;
  const sock = s.server!;
  s.phase = Phase.Exchange;
  s.resHead = undefined;
  const request = s.ps.ctx.request!;
  // Each proxy's mode was read once at load; a Connection a rule wrote has the last word.
  s.serverCloses = closesAfter(serverSideCloses(s.fes.connectionMode, s.bes!.connectionMode), connectionTokensOf(request.headers));
  const text = requestHeadText(request, head.framing, s.serverCloses);
  if (s.reqDone) sock.write(text, 'latin1');
  else {
    // Head and the body bytes already here go out together.
    sock.cork();
    sock.write(text, 'latin1');
    const early = s.input.take();
    if (early) forwardRequestBody(s, early);
    sock.uncork();
  }
  armServerTimer(s);
  // A body still to come is not timed on the client side: until the response, `timeout server`
  // runs (HAProxy 2.6 answers a stalled upload with 504, observed).
  if (!s.reqDone) s.resumeClient();
}

/** Relays client body bytes to the server; the exchange ends here when the response did first. */
export function forwardRequestBody(s: HttpSession, chunk: Buffer): void {
  const body = s.reqBody!;
  const n = body.relay(chunk, 0, s.server);
  if (body.failed) {
    // Bad chunk framing: what follows cannot be trusted on either connection.
    s.serverDirty = true;
    if (s.resHead) {
      s.log?.terminate('client', 'data');
      s.client.destroy();
    } else badRequest(s, 400);
    return;
  }
  if (n > 0) {
    s.bytesIn += n;
    s.clientTimer.touch();
    if (body.blocked) s.pauseClient();
  }
  if (body.done) {
    s.reqDone = true;
    if (s.clientWait === ClientWait.Body) s.waitClient(ClientWait.None, undefined);
    if (n < chunk.length) stash(s, chunk.subarray(n));
    if (s.resDone && s.resHead) finishExchange(s);
  }
}
