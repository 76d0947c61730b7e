// Relaying the response on an HTTP client session (http-session.ts): the server's heads
// (interim ones passed on), the pipeline's response step, the head written to the client, the
// body with backpressure, and what a server that closes, breaks or stalls leads to. Plain
// functions taking the session: no closure per request.
import { ClientSide, clientSideCloses, closesAfter, connectionTokensOf, interimHeadText, responseHeadText } from '@haplo/sim';
import { parseResponseHead } from '../http/response-head.js';
import type { RequestHead, ResponseHead } from '../http/types.js';
import { BodyRelay } from './body-relay.js';
import { finishExchange, sendReply } from './http-exchange-end.js';
import { armServerTimer, connect, dropServer } from './http-forward.js';
import { ClientWait, Phase } from './http-phase.js';
import { headerValue } from './http-replies.js';
import type { HttpSession } from './http-session.js';
import { startUpgradeTunnel } from './http-upgrade-tunnel.js';
import { websocketAccept } from './websocket-accept.js';

/** Bodies up to this size are copied next to their head to leave in one write. */
const SMALL_BODY = 8192;
const EMPTY_BUFFER = Buffer.alloc(0);

export function responseData(s: HttpSession, chunk: Buffer): void {
  if (!s.resHead) {
    s.serverPending = s.serverPending ? Buffer.concat([s.serverPending, chunk]) : chunk;
    readResponseHeads(s);
    return;
  }
  if (!s.resDone) forwardResponseBody(s, chunk, 0);
  else s.serverDirty = true;
}

function readResponseHeads(s: HttpSession): void {
  for (;;) {
    const buf = s.serverPending;
    if (!buf) return;
    const r = parseResponseHead(buf, s.limits, s.head!.method);
    if (r.kind === 'incomplete') return;
    if (r.kind === 'error') {
      badResponse(s);
      return;
    }
    const h = r.head;
    const rest = h.headLength < buf.length ? buf.subarray(h.headLength) : undefined;
    if (h.status < 200 && h.status !== 101) {
      // 100 Continue and other interim responses go to the client as they are.
      s.serverPending = rest;
      const text = interimHeadText(h);
      s.client.write(text, 'latin1');
      s.bytesOut += text.length;
      continue;
    }
    s.serverPending = undefined;
    responseHead(s, h, rest);
    return;
  }
}

function responseHead(s: HttpSession, h: ResponseHead, rest: Buffer | undefined): void {
  const head = s.head!;
  if (h.status === 101 && !upgradeAccepted(head, h)) {
    badResponse(s);
    return;
  }
  s.serverTimer?.disarm();
  s.log?.serverHead(s.ps.ctx, h.headers);
  const step = s.ps.response({ status: h.status, reason: h.reason, version: h.version, headers: h.headers, framing: h.framing });
  if (step.kind === 'close') {
    s.log?.terminate('proxy', 'headers');
    s.serverDirty = true;
    s.phase = Phase.Closed;
    s.client.destroy();
    return;
  }
  if (step.kind === 'reply') {
    s.log?.terminate(step.outcome === 'deny' || step.outcome === 'error' ? 'proxy' : 'local', 'headers');
    sendReply(s, step.reply);
    return;
  }
  s.resHead = h;
  s.log?.responseHead(s.ps.ctx);
  // A 2xx to CONNECT makes the connection a tunnel, as a 101 does (RFC 9110 §9.3.6; HAProxy
  // 2.6 relays what follows verbatim, observed); any other answer to CONNECT stays HTTP.
  const connectTunnel = head.method === 'CONNECT' && h.status >= 200 && h.status < 300;
  const upgrade = h.status === 101 || connectTunnel;
  const resBody = (s.resBody ??= new BodyRelay());
  resBody.reset(upgrade ? { kind: 'none' } : h.framing);
  const response = s.ps.ctx.response!;
  let side: ClientSide;
  // A tunnel follows a 101 (its `connection: upgrade` stays) or a 2xx to CONNECT: nothing is added.
  if (upgrade) side = ClientSide.Tunnel;
  // A client that already shut its side is closed after the response but not told (as HAProxy).
  // The frontend's httpclose closes whatever the client asked for (HAProxy 2.6, observed),
  // unless a response rule wrote a Connection of its own.
  else if (h.framing.kind === 'close' || !head.keepAlive || s.retiring === null || closesAfter(clientSideCloses(s.fes.connectionMode), connectionTokensOf(response.headers))) side = ClientSide.Close;
  else side = ClientSide.Keep;
  s.closeAfter = side === ClientSide.Close;
  const text = responseHeadText(response, h.framing, head.version, side);
  const c = s.client;
  s.bytesOut += text.length;
  const framing = h.framing;
  if (!upgrade && framing.kind === 'length' && framing.length <= SMALL_BODY && (rest?.length ?? 0) >= framing.length) {
    // The common small response, all here: head and body leave in one buffer, one syscall.
    const n = framing.length;
    const out = Buffer.allocUnsafe(text.length + n);
    out.write(text, 0, 'latin1');
    if (n) rest!.copy(out, text.length, 0, n);
    resBody.relay(rest ?? EMPTY_BUFFER, 0, undefined);
    s.bytesOut += n;
    if (rest && rest.length > n) s.serverDirty = true;
    if (!c.write(out) && !resBody.done) pauseServer(s);
    responseDone(s);
    return;
  }
  c.cork();
  c.write(text, 'latin1');
  if (upgrade) {
    startUpgradeTunnel(s, rest);
    c.uncork();
    return;
  }
  if (rest) forwardResponseBody(s, rest, 0);
  else if (resBody.done) responseDone(s);
  c.uncork();
  if (!s.resDone) armServerTimer(s);
}

/** A 101 is only good for a request that asked to upgrade, and for WebSocket with the right accept key. */
function upgradeAccepted(head: RequestHead, h: ResponseHead): boolean {
  if (!head.upgrade) return false;
  if (head.upgrade !== 'websocket') return true;
  const key = headerValue(head.headers, 'sec-websocket-key');
  const accept = headerValue(h.headers, 'sec-websocket-accept');
  return key !== undefined && accept !== undefined && accept.trim() === websocketAccept(key.trim());
}

function forwardResponseBody(s: HttpSession, chunk: Buffer, off: number): void {
  const body = s.resBody!;
  const n = body.relay(chunk, off, s.client);
  if (body.failed) {
    s.log?.terminate('server', 'data');
    s.serverDirty = true;
    s.client.destroy();
    return;
  }
  if (n > 0) {
    s.bytesOut += n;
    s.serverTimer?.touch();
    if (body.blocked) {
      pauseServer(s);
      if (s.clientWait === ClientWait.None) s.waitClient(ClientWait.Write, s.fes.timeouts.client);
    }
  }
  if (body.done) {
    if (off + n < chunk.length) s.serverDirty = true;
    responseDone(s);
  }
}

function pauseServer(s: HttpSession): void {
  if (s.serverPaused || !s.server) return;
  s.serverPaused = true;
  s.server.pause();
}

function responseDone(s: HttpSession): void {
  s.resDone = true;
  if (s.reqDone) finishExchange(s);
  else s.waitClient(ClientWait.Body, s.fes.timeouts.client);
  // Else the server answered before the whole request body came: the body keeps flowing to
  // it and the exchange ends with the body (forwardRequestBody).
}

/** The server closed (or reset) its connection during an exchange. */
export function serverGone(s: HttpSession): void {
  s.serverEnded = true;
  if (s.phase !== Phase.Exchange || !s.conn) return;
  if (!s.resHead) {
    const stale = s.connReused && !s.serverPending && s.bytesIn === s.head!.headLength && !s.retriedStale;
    if (stale) {
      // A pooled connection the server had closed meanwhile: try once more on a new one,
      // as HAProxy does for idempotent retries on reused connections.
      s.retriedStale = true;
      dropServer(s);
      s.phase = Phase.Connecting;
      connect(s, s.ps.ctx.server ?? '');
      return;
    }
    badResponse(s);
    return;
  }
  const body = s.resBody!;
  if (body.untilClose && !s.resDone) {
    s.serverDirty = true;
    body.senderClosed();
    responseDone(s);
    return;
  }
  if (!s.resDone) {
    // Truncated response: the client cannot be told otherwise.
    s.log?.terminate('server', 'data');
    s.serverDirty = true;
    s.client.destroy();
  }
}

/** A broken or missing response: 502 before its head, an aborted connection after. */
export function badResponse(s: HttpSession): void {
  s.serverDirty = true;
  s.log?.terminate('server', s.resHead ? 'data' : 'headers');
  if (s.resHead) {
    s.client.destroy();
    return;
  }
  sendReply(s, s.ps.errorReply(502));
}

export function onServerTimeout(s: HttpSession): void {
  if (s.phase !== Phase.Exchange) return;
  s.log?.terminate('server-timeout', s.resHead ? 'data' : 'headers');
  if (!s.resHead) sendReply(s, s.ps.errorReply(504));
  else s.client.destroy();
}
