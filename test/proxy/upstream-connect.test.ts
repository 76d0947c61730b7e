// New connections: refused and timed-out connects retried `retries` times (retries + 1 attempts),
// HAProxy's pause before retrying the same server after an error, redispatch to another server.
import { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { UpstreamConnection, UpstreamFailure } from '../../packages/proxy/src/process/types.js';
import { createUpstreams, netConnector, type Connector, type PooledUpstreams } from '../../packages/proxy/src/upstream/index.js';
import { closedPort, pipelineOf, sessionOn, startOrigin, until, type Origin } from './upstream-helpers.js';

type Result = { err?: UpstreamFailure; conn?: UpstreamConnection };

function connect(up: PooledUpstreams, server: string, redispatch: () => string | undefined = () => undefined): Promise<Result> {
  return new Promise((resolve) => up.connect('be', server, redispatch, (err, conn) => resolve({ err, conn })));
}

/** A connector that records the port of every attempt. */
function counting(inner: Connector = netConnector): { connector: Connector; ports: number[] } {
  const ports: number[] = [];
  return { ports, connector: (t) => (ports.push(t.kind === 'inet' ? t.port : -1), inner(t)) };
}

/** A connector whose sockets never connect (a SYN lost in the void), without leaving loopback. */
const hanging: Connector = () => new Socket();

function backend(lines: string[], servers: string[]): string {
  return ['defaults', '  mode http', 'frontend fe', '  bind 127.0.0.1:32999', '  default_backend be', 'backend be', ...lines.map((l) => '  ' + l), ...servers.map((s) => '  ' + s), ''].join('\n');
}

describe('upstream connect', () => {
  let up: PooledUpstreams | undefined;
  let origin: Origin | undefined;
  afterEach(async () => {
    up?.close();
    await origin?.close();
    up = origin = undefined;
  });

  it('gives up on a refused server after retries + 1 attempts', async () => {
    const port = await closedPort();
    const { pipeline, runtime } = pipelineOf(backend(['timeout connect 20ms', 'retries 2'], [`server s1 127.0.0.1:${port}`]));
    const c = counting();
    up = createUpstreams(pipeline, runtime, { connector: c.connector });
    const { err, conn } = await connect(up, 's1');
    expect(conn).toBeUndefined();
    expect(err?.kind).toBe('refused');
    expect(err?.message).toBe('Connection refused');
    expect(c.ports).toEqual([port, port, port]);
  });

  it('uses HAProxy\'s default of 3 retries', async () => {
    const port = await closedPort();
    const { pipeline, runtime } = pipelineOf(backend(['timeout connect 10ms'], [`server s1 127.0.0.1:${port}`]));
    const c = counting();
    up = createUpstreams(pipeline, runtime, { connector: c.connector });
    const { err } = await connect(up, 's1');
    expect(err?.kind).toBe('refused');
    expect(c.ports.length).toBe(4);
  });

  it('pauses min(1 s, timeout connect) before retrying the same server after an error', async () => {
    const port = await closedPort();
    const { pipeline, runtime } = pipelineOf(backend(['timeout connect 60ms', 'retries 2'], [`server s1 127.0.0.1:${port}`]));
    const times: number[] = [];
    up = createUpstreams(pipeline, runtime, { connector: (t) => (times.push(Date.now()), netConnector(t)) });
    await connect(up, 's1');
    expect(times.length).toBe(3);
    // Each retry waited for the pause (timers may fire a little early; never much).
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(50);
  });

  it('fails with `timeout` when the connect does not complete within timeout connect', async () => {
    const { pipeline, runtime } = pipelineOf(backend(['timeout connect 30ms', 'retries 1'], ['server s1 127.0.0.1:32998']));
    const c = counting(hanging);
    up = createUpstreams(pipeline, runtime, { connector: c.connector });
    const { err } = await connect(up, 's1');
    expect(err?.kind).toBe('timeout');
    expect(c.ports.length).toBe(2);
  });

  it('connects with TCP_NODELAY and reports the server it connected to', async () => {
    origin = await startOrigin();
    const { pipeline, runtime } = pipelineOf(backend(['timeout connect 1s'], [`server s1 127.0.0.1:${origin.port}`]));
    up = createUpstreams(pipeline, runtime);
    const { err, conn } = await connect(up, 's1');
    expect(err).toBeUndefined();
    expect(conn).toMatchObject({ backend: 'be', server: 's1', reused: false });
    expect(conn!.socket.remotePort).toBe(origin.port);
    up.release(conn!, false);
  });

  it('connects to an address written with a socket-type prefix (tcp@, stream+ip@), as HAProxy does', async () => {
    origin = await startOrigin();
    const { pipeline, runtime } = pipelineOf(backend(['timeout connect 1s'], [`server s1 tcp@127.0.0.1:${origin.port}`, `server s2 stream+ip@127.0.0.1:${origin.port}`]));
    up = createUpstreams(pipeline, runtime);
    for (const name of ['s1', 's2']) {
      const { err, conn } = await connect(up, name);
      expect(err).toBeUndefined();
      expect(conn!.socket.remotePort).toBe(origin.port);
      up.release(conn!, false);
    }
  });

  it('redispatches to another server on the last retry with option redispatch', async () => {
    origin = await startOrigin();
    const dead = await closedPort();
    // leastconn is not round-robin: HAProxy stays on the server until the last retry.
    const { pipeline, runtime } = pipelineOf(backend(['timeout connect 10ms', 'retries 3', 'option redispatch', 'balance leastconn'],
      [`server s1 127.0.0.1:${dead}`, `server s2 127.0.0.1:${origin.port}`]));
    const c = counting();
    up = createUpstreams(pipeline, runtime, { connector: c.connector });
    let asked = 0;
    const { err, conn } = await connect(up, 's1', () => (asked++, 's2'));
    expect(err).toBeUndefined();
    expect(conn!.server).toBe('s2');
    expect(asked).toBe(1);
    expect(c.ports).toEqual([dead, dead, dead, origin.port]);
    up.release(conn!, false);
  });

  it('redispatches at once under round-robin with several active servers', async () => {
    origin = await startOrigin();
    const dead = await closedPort();
    const { pipeline, runtime } = pipelineOf(backend(['timeout connect 10ms', 'retries 3', 'option redispatch'],
      [`server s1 127.0.0.1:${dead}`, `server s2 127.0.0.1:${origin.port}`]));
    const c = counting();
    up = createUpstreams(pipeline, runtime, { connector: c.connector });
    const { conn } = await connect(up, 's1', () => 's2');
    expect(conn!.server).toBe('s2');
    expect(c.ports).toEqual([dead, origin.port]);
    up.release(conn!, false);
  });

  it('keeps a persistent (direct) choice until the last retry', async () => {
    origin = await startOrigin();
    const dead = await closedPort();
    const { pipeline, runtime } = pipelineOf(backend(['timeout connect 10ms', 'retries 2', 'option redispatch'],
      [`server s1 127.0.0.1:${dead}`, `server s2 127.0.0.1:${origin.port}`]));
    const c = counting();
    up = createUpstreams(pipeline, runtime, { connector: c.connector });
    const r = await new Promise<Result>((resolve) => up!.connect('be', 's1', () => 's2', (err, conn) => resolve({ err, conn }), { direct: true }));
    expect(r.conn!.server).toBe('s2');
    expect(c.ports).toEqual([dead, dead, origin.port]);
    up.release(r.conn!, false);
  });

  it('never redispatches without option redispatch', async () => {
    const dead = await closedPort();
    const { pipeline, runtime } = pipelineOf(backend(['timeout connect 10ms', 'retries 2'], [`server s1 127.0.0.1:${dead}`, 'server s2 127.0.0.1:32997']));
    up = createUpstreams(pipeline, runtime);
    let asked = 0;
    const { err } = await connect(up, 's1', () => (asked++, 's2'));
    expect(err?.kind).toBe('refused');
    expect(asked).toBe(0);
  });

  it('redispatches through the session, which balances again', async () => {
    origin = await startOrigin();
    const dead = await closedPort();
    const { pipeline, runtime } = pipelineOf(backend(['timeout connect 10ms', 'retries 1', 'option redispatch', 'balance first'],
      [`server s1 127.0.0.1:${dead}`, `server s2 127.0.0.1:${origin.port}`]));
    up = createUpstreams(pipeline, runtime);
    const session = sessionOn(pipeline, runtime);
    const step = session.request();
    expect(step).toMatchObject({ kind: 'forward', server: 's1' });
    // The proxy's health checks would have marked s1 DOWN by now; the session then re-balances to s2.
    runtime.setServerState('be', 's1', 'DOWN');
    const { conn } = await connect(up, 's1', () => session.redispatch());
    expect(conn!.server).toBe('s2');
    expect(runtime.serverState('be', 's2')!.served).toBe(1);
    expect(runtime.serverState('be', 's1')!.served).toBe(0);
    up.release(conn!, false);
  });

  it('cancel stops the retries and never calls done', async () => {
    const { pipeline, runtime } = pipelineOf(backend(['timeout connect 30ms', 'retries 5'], ['server s1 127.0.0.1:32996']));
    const c = counting(hanging);
    up = createUpstreams(pipeline, runtime, { connector: c.connector });
    let called = false;
    const cancel = up.connect('be', 's1', () => undefined, () => (called = true));
    await until(() => c.ports.length === 2, 2000, 'the first retry');
    cancel();
    await new Promise((r) => setTimeout(r, 100));
    expect(called).toBe(false);
    expect(c.ports.length).toBe(2);
  });

  it('reports a server without a port as unreachable', async () => {
    const { pipeline, runtime } = pipelineOf(backend(['timeout connect 30ms'], ['server s1 127.0.0.1']));
    up = createUpstreams(pipeline, runtime);
    const { err } = await connect(up, 's1');
    expect(err?.kind).toBe('unreachable');
  });
});
