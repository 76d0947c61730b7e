// Helpers for the upstream and health-check tests: a config compiled into a pipeline and its
// Runtime, small loopback origins that count their connections, and closed ports.
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { checkSources } from '@haplo/parser';
import { compilePipeline, PipelineSession, type Pipeline, type SimRuntime } from '../../packages/sim/src/index.js';

export function pipelineOf(text: string): { pipeline: Pipeline; runtime: SimRuntime } {
  const r = checkSources([{ path: 't.cfg', text }], {});
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new Error(errors.map((d) => `${d.range.start.line + 1}: ${d.message}`).join('\n'));
  const pipeline = compilePipeline(r.model);
  return { pipeline, runtime: pipeline.createRuntime() };
}

/** A session on frontend `fe`, for driving server choice, queueing and redispatch like the proxy. */
export function sessionOn(pipeline: Pipeline, runtime: SimRuntime): PipelineSession {
  const frontend = pipeline.frontends.find((f) => f.name === 'fe')!;
  const s = new PipelineSession(pipeline, runtime, { frontend, src: '127.0.0.1', srcPort: 40000, dst: '127.0.0.1', dstPort: 80, trace: false, queueing: true });
  s.accept();
  s.begin({ method: 'GET', uri: '/', version: '1.1', headers: [['host', 'x']] });
  return s;
}

export interface Origin {
  server: Server;
  port: number;
  /** Connections accepted so far. */
  accepted: number;
  /** Requests answered so far. */
  requests: number;
  sockets: Set<Socket>;
  close(): Promise<void>;
}

export type Answer = (request: string) => string | null;

/** An HTTP/1.1 keep-alive origin answering each request head with `answer` (null: no answer). */
export function startOrigin(answer: Answer = () => 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok', port = 0): Promise<Origin> {
  const sockets = new Set<Socket>();
  const origin = { accepted: 0, requests: 0, sockets } as Origin;
  const server = createServer((c) => {
    origin.accepted++;
    sockets.add(c);
    c.on('close', () => sockets.delete(c));
    c.on('error', () => {});
    let buf = '';
    c.setEncoding('latin1');
    c.on('data', (d: string) => {
      buf += d;
      let end: number;
      while ((end = buf.indexOf('\r\n\r\n')) >= 0) {
        const head = buf.slice(0, end);
        buf = buf.slice(end + 4);
        origin.requests++;
        const reply = answer(head);
        if (reply !== null) c.write(reply);
      }
    });
  });
  origin.server = server;
  origin.close = () =>
    new Promise((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      origin.port = (server.address() as AddressInfo).port;
      resolve(origin);
    });
  });
}

/** A loopback port with nothing listening (bound, then closed). */
export async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `cond` every 5 ms until true, or fails after `ms`. */
export async function until(cond: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

/** Reads from `socket` until `n` bytes arrived (a tiny response reader for fixed bodies). */
export function readBytes(socket: Socket, n: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let got = '';
    const onData = (d: Buffer) => {
      got += d.toString('latin1');
      if (got.length >= n) {
        socket.removeListener('data', onData);
        socket.removeListener('error', reject);
        resolve(got);
      }
    };
    socket.on('data', onData);
    socket.on('error', reject);
  });
}
