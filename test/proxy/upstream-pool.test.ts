// The idle pool: keep-alive sockets are reused (LIFO), idle sockets the server closes are
// dropped, non-reusable ones are destroyed, close() ends everything.
import { afterEach, describe, expect, it } from 'vitest';
import type { UpstreamConnection, UpstreamFailure } from '../../packages/proxy/src/process/types.js';
import { createUpstreams, type PooledUpstreams } from '../../packages/proxy/src/upstream/index.js';
import { pipelineOf, readBytes, startOrigin, until, type Origin } from './upstream-helpers.js';

const RESPONSE = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok';

function config(port: number): string {
  return ['defaults', '  mode http', '  timeout connect 500ms', 'backend be', `  server s1 127.0.0.1:${port}`, ''].join('\n');
}

function connect(up: PooledUpstreams, server = 's1', opts?: { fresh?: boolean }): Promise<{ err?: UpstreamFailure; conn?: UpstreamConnection }> {
  return new Promise((resolve) => up.connect('be', server, () => undefined, (err, conn) => resolve({ err, conn }), opts));
}

async function exchange(conn: UpstreamConnection): Promise<string> {
  const reply = readBytes(conn.socket, RESPONSE.length);
  conn.socket.write('GET / HTTP/1.1\r\nhost: x\r\n\r\n');
  return reply;
}

describe('upstream idle pool', () => {
  let origin: Origin | undefined;
  let up: PooledUpstreams | undefined;
  afterEach(async () => {
    up?.close();
    await origin?.close();
    up = origin = undefined;
  });

  it('reuses one keep-alive connection for several exchanges', async () => {
    origin = await startOrigin(() => RESPONSE);
    const { pipeline, runtime } = pipelineOf(config(origin.port));
    up = createUpstreams(pipeline, runtime);
    const sockets = new Set<unknown>();
    const reused: boolean[] = [];
    for (let i = 0; i < 4; i++) {
      const { err, conn } = await connect(up);
      expect(err).toBeUndefined();
      reused.push(conn!.reused);
      sockets.add(conn!.socket);
      expect(await exchange(conn!)).toBe(RESPONSE);
      up.release(conn!, true);
    }
    expect(reused).toEqual([false, true, true, true]);
    expect(sockets.size).toBe(1);
    expect(origin.accepted).toBe(1);
    expect(origin.requests).toBe(4);
  });

  it('lends the most recently released socket first (LIFO)', async () => {
    origin = await startOrigin(() => RESPONSE);
    const { pipeline, runtime } = pipelineOf(config(origin.port));
    up = createUpstreams(pipeline, runtime);
    const a = (await connect(up)).conn!;
    const b = (await connect(up)).conn!;
    expect(a.socket).not.toBe(b.socket);
    up.release(a, true);
    up.release(b, true);
    expect(up.idle('be', 's1')).toBe(2);
    expect((await connect(up)).conn!.socket).toBe(b.socket);
    expect((await connect(up)).conn!.socket).toBe(a.socket);
  });

  it('drops an idle socket the server closed and connects afresh', async () => {
    origin = await startOrigin(() => RESPONSE);
    const { pipeline, runtime } = pipelineOf(config(origin.port));
    up = createUpstreams(pipeline, runtime);
    const first = (await connect(up)).conn!;
    await exchange(first);
    up.release(first, true);
    expect(up.idle('be', 's1')).toBe(1);
    for (const s of origin.sockets) s.end();
    await until(() => up!.idle('be', 's1') === 0, 2000, 'the idle socket to be dropped');
    const second = (await connect(up)).conn!;
    expect(second.reused).toBe(false);
    expect(await exchange(second)).toBe(RESPONSE);
    expect(origin.accepted).toBe(2);
  });

  it('removes the listeners a session left on a released socket', async () => {
    origin = await startOrigin(() => RESPONSE);
    const { pipeline, runtime } = pipelineOf(config(origin.port));
    up = createUpstreams(pipeline, runtime);
    const conn = (await connect(up)).conn!;
    let sessionSaw = 0;
    conn.socket.on('data', () => sessionSaw++);
    conn.socket.on('close', () => sessionSaw++);
    await exchange(conn);
    const seen = sessionSaw;
    up.release(conn, true);
    for (const s of origin.sockets) s.destroy();
    await until(() => up!.idle('be', 's1') === 0, 2000, 'the idle socket to be dropped');
    expect(sessionSaw).toBe(seen);
  });

  it('destroys non-reusable connections and skips the pool when asked for a fresh one', async () => {
    origin = await startOrigin(() => RESPONSE);
    const { pipeline, runtime } = pipelineOf(config(origin.port));
    up = createUpstreams(pipeline, runtime);
    const a = (await connect(up)).conn!;
    up.release(a, false);
    expect(a.socket.destroyed).toBe(true);
    expect(up.idle('be', 's1')).toBe(0);
    const b = (await connect(up)).conn!;
    up.release(b, true);
    const c = (await connect(up, 's1', { fresh: true })).conn!;
    expect(c.reused).toBe(false);
    expect(c.socket).not.toBe(b.socket);
    expect(up.idle('be', 's1')).toBe(1);
  });

  it('bounds the idle sockets kept per server', async () => {
    origin = await startOrigin(() => RESPONSE);
    const { pipeline, runtime } = pipelineOf(config(origin.port));
    up = createUpstreams(pipeline, runtime, { maxIdlePerServer: 2 });
    const conns = [];
    for (let i = 0; i < 3; i++) conns.push((await connect(up)).conn!);
    for (const c of conns) up.release(c, true);
    expect(up.idle('be', 's1')).toBe(2);
    expect(conns[2]!.socket.destroyed).toBe(true);
  });

  it('close() ends idle sockets and aborts pending connects', async () => {
    origin = await startOrigin(() => RESPONSE);
    const { pipeline, runtime } = pipelineOf(config(origin.port));
    up = createUpstreams(pipeline, runtime);
    const idle = (await connect(up)).conn!;
    up.release(idle, true);
    let called = false;
    up.connect('be', 's1', () => undefined, () => (called = true));
    up.close();
    await until(() => idle.socket.destroyed, 1000, 'idle socket destroyed');
    await new Promise((r) => setTimeout(r, 20));
    expect(called).toBe(false);
    await until(() => origin!.sockets.size === 0, 2000, 'origin to see every socket closed');
  });
});
