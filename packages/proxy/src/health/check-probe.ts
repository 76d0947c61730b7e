// One health check of one server: a TCP connect (passes once connected), or a connect, the HTTP
// check request and its response judged by the expect rules. Timeouts as HAProxy 2.6
// (tcpcheck.c): without `timeout check`, `inter` bounds the whole check; with it, the connect is
// bounded by min(inter, timeout connect) (inter alone if no timeout connect) and what follows
// the connect by `timeout check`. Over TLS the handshake belongs to the connect (HAProxy 2.6,
// observed): it times out as L6TOUT, fails as L6RSP "SSL handshake failure", and a TCP check
// that completes it passes as L6OK.
import type { Socket } from 'node:net';
import type { Connector } from '../upstream/connector.js';
import { errorText } from '../upstream/failures.js';
import type { ConnectTarget } from '../upstream/server-target.js';
import { parseCheckResponse } from './check-response.js';
import { checkProxyHeader, startCheckTls, type CheckTransport } from './check-transport.js';
import { judgeResponse, type HttpCheck } from './http-check.js';

/** HAProxy's check status codes (the ones haplo produces). */
export type CheckStatus = 'L4OK' | 'L4TOUT' | 'L4CON' | 'L6OK' | 'L6TOUT' | 'L6RSP' | 'L7OK' | 'L7STS' | 'L7RSP' | 'L7TOUT' | 'SOCKERR';

export interface ProbeResult {
  pass: boolean;
  status: CheckStatus;
  /** HTTP status for L7 results. */
  code?: number;
  /** HAProxy's `info` text (strerror, reason phrase, content message). */
  info?: string;
  durationMs: number;
}

export interface ProbeSpec {
  target: ConnectTarget;
  /** The server's base `inter` (ms). */
  inter: number;
  connectTimeout: number | undefined;
  checkTimeout: number | undefined;
  http: HttpCheck | undefined;
  /** A PROXY header and/or TLS first (`ssl`, `check-ssl`, `check-send-proxy`…). */
  transport?: CheckTransport | undefined;
}

const enum Stage {
  Connect,
  Handshake,
  Exchange,
}

/** Runs one check; `done` is called once unless the returned abort function is called first. */
export function runProbe(spec: ProbeSpec, connector: Connector, done: (r: ProbeResult) => void): () => void {
  const started = Date.now();
  let socket: Socket | undefined;
  /** The socket the check's bytes go on (the TLS one over TLS). */
  let io: Socket | undefined;
  let timer: NodeJS.Timeout | undefined;
  let finished = false;
  let stage = Stage.Connect;
  let received = '';
  let closeGently = false;

  const finish = (r: Omit<ProbeResult, 'durationMs'>): void => {
    if (finished) return;
    finished = true;
    cleanup();
    done({ ...r, durationMs: Date.now() - started });
  };
  const cleanup = (): void => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (closeGently && io) {
      // A passed TLS check: the handshake's last flight still has to reach the server (HAProxy's
      // server sees a complete handshake), so the socket is ended, not dropped.
      const s = io;
      s.on('error', () => {});
      s.end();
      setTimeout(() => s.destroy(), 1000).unref();
      return;
    }
    for (const s of io && io !== socket ? [io, socket] : [socket]) {
      if (!s) continue;
      s.removeAllListeners('data');
      s.on('error', () => {});
      s.destroy();
    }
  };
  const arm = (ms: number): void => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(onTimeout, Math.max(0, ms));
    timer.unref();
  };
  const onTimeout = (): void => {
    timer = undefined;
    finish({ pass: false, status: stage === Stage.Connect ? 'L4TOUT' : stage === Stage.Handshake ? 'L6TOUT' : 'L7TOUT' });
  };
  const judge = (closed: boolean): void => {
    const http = spec.http!;
    const parsed = parseCheckResponse(received, closed, http.needsBody);
    if (parsed.kind === 'more') return;
    if (parsed.kind === 'invalid') return finish({ pass: false, status: 'L7RSP' });
    const v = judgeResponse(http, parsed.code, parsed.reason, parsed.body);
    finish({ pass: v.pass, status: v.status, code: v.code, info: v.info });
  };
  /** Connected (and through TLS when asked): pass, or send the HTTP check. */
  const ready = (s: Socket, secure: boolean): void => {
    stage = Stage.Exchange;
    io = s;
    const http = spec.http;
    if (!http) {
      closeGently = secure;
      return finish({ pass: true, status: secure ? 'L6OK' : 'L4OK' });
    }
    if (spec.checkTimeout !== undefined) arm(spec.checkTimeout);
    else arm(spec.inter - (Date.now() - started));
    s.setNoDelay(true);
    s.setEncoding('latin1');
    s.on('data', (d: string) => {
      received += d;
      judge(false);
    });
    s.on('end', () => judge(true));
    s.on('close', () => judge(true));
    s.write(http.request);
  };

  const connectBound = spec.checkTimeout !== undefined && spec.connectTimeout !== undefined
    ? Math.min(spec.inter, spec.connectTimeout)
    : spec.inter;
  arm(connectBound);
  const t = spec.transport;
  if (t?.tlsMissing) {
    finish({ pass: false, status: 'SOCKERR', info: 'the TLS settings of this server were not loaded' });
    return () => {};
  }
  try {
    socket = connector(spec.target);
  } catch (err) {
    finish({ pass: false, status: 'SOCKERR', info: errorText(err) });
    return () => {};
  }
  socket.on('error', (err) => {
    if (stage === Stage.Connect) finish({ pass: false, status: 'L4CON', info: errorText(err) });
    else if (stage === Stage.Handshake) finish({ pass: false, status: 'L6RSP', info: 'SSL handshake failure' });
    else judge(true);
  });
  socket.once('connect', () => {
    const raw = socket!;
    if (t?.proxy) raw.write(checkProxyHeader(t.proxy, raw));
    if (!t?.tls) return ready(raw, false);
    stage = Stage.Handshake;
    const secure = startCheckTls(t, raw);
    io = secure;
    const failed = (): void => finish({ pass: false, status: 'L6RSP', info: 'SSL handshake failure' });
    secure.once('error', failed);
    secure.once('close', failed);
    secure.once('secureConnect', () => {
      secure.off('error', failed);
      secure.off('close', failed);
      // Errors past the handshake end the HTTP exchange (judged on what came).
      secure.on('error', () => judge(true));
      ready(secure, true);
    });
  });
  return () => {
    finished = true;
    cleanup();
  };
}
