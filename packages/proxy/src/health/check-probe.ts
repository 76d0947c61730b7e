// One health check of one server: a TCP connect (passes once connected), or a connect, the HTTP
// check request and its response judged by the expect rules. Timeouts as HAProxy 2.6
// (tcpcheck.c): without `timeout check`, `inter` bounds the whole check; with it, the connect is
// bounded by min(inter, timeout connect) (inter alone if no timeout connect) and what follows
// the connect by `timeout check`.
import type { Socket } from 'node:net';
import type { Connector } from '../upstream/connector.js';
import { errorText } from '../upstream/failures.js';
import type { ConnectTarget } from '../upstream/server-target.js';
import { parseCheckResponse } from './check-response.js';
import { judgeResponse, type HttpCheck } from './http-check.js';

/** HAProxy's check status codes (the ones haplo produces). */
export type CheckStatus = 'L4OK' | 'L4TOUT' | 'L4CON' | 'L7OK' | 'L7STS' | 'L7RSP' | 'L7TOUT' | 'SOCKERR';

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
}

/** Runs one check; `done` is called once unless the returned abort function is called first. */
export function runProbe(spec: ProbeSpec, connector: Connector, done: (r: ProbeResult) => void): () => void {
  const started = Date.now();
  let socket: Socket | undefined;
  let timer: NodeJS.Timeout | undefined;
  let finished = false;
  let connected = false;
  let received = '';

  const finish = (r: Omit<ProbeResult, 'durationMs'>): void => {
    if (finished) return;
    finished = true;
    cleanup();
    done({ ...r, durationMs: Date.now() - started });
  };
  const cleanup = (): void => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (socket) {
      socket.removeAllListeners('data');
      socket.on('error', () => {});
      socket.destroy();
    }
  };
  const arm = (ms: number): void => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(onTimeout, Math.max(0, ms));
    timer.unref();
  };
  const onTimeout = (): void => {
    timer = undefined;
    finish(connected ? { pass: false, status: 'L7TOUT' } : { pass: false, status: 'L4TOUT' });
  };
  const judge = (closed: boolean): void => {
    const http = spec.http!;
    const parsed = parseCheckResponse(received, closed, http.needsBody);
    if (parsed.kind === 'more') return;
    if (parsed.kind === 'invalid') return finish({ pass: false, status: 'L7RSP' });
    const v = judgeResponse(http, parsed.code, parsed.reason, parsed.body);
    finish({ pass: v.pass, status: v.status, code: v.code, info: v.info });
  };

  const connectBound = spec.checkTimeout !== undefined && spec.connectTimeout !== undefined
    ? Math.min(spec.inter, spec.connectTimeout)
    : spec.inter;
  arm(connectBound);
  try {
    socket = connector(spec.target);
  } catch (err) {
    finish({ pass: false, status: 'SOCKERR', info: errorText(err) });
    return () => {};
  }
  socket.on('error', (err) => {
    if (!connected) finish({ pass: false, status: 'L4CON', info: errorText(err) });
    else judge(true);
  });
  socket.once('connect', () => {
    connected = true;
    const http = spec.http;
    if (!http) return finish({ pass: true, status: 'L4OK' });
    if (spec.checkTimeout !== undefined) arm(spec.checkTimeout);
    else arm(spec.inter - (Date.now() - started));
    socket!.setNoDelay(true);
    socket!.setEncoding('latin1');
    socket!.on('data', (d: string) => {
      received += d;
      judge(false);
    });
    socket!.on('end', () => judge(true));
    socket!.on('close', () => judge(true));
    socket!.write(http.request);
  });
  return () => {
    finished = true;
    cleanup();
  };
}
