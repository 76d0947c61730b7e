// What a reload carries into the new configuration's Runtime (state-carry.ts), in-process: a
// server an operator put in MAINT stays in MAINT and gets no traffic, an operator's weight
// stays, a server the health checks found DOWN starts DOWN (its checks need `rise` passes), and
// what the configuration itself changes (a new weight on an untouched server) takes effect.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type LoadedConfig } from '../../packages/proxy/src/config/load-config.js';
import { defaultProcessOptions } from '../../packages/proxy/src/process/defaults.js';
import { ProxyProcess } from '../../packages/proxy/src/process/proxy-process.js';
import { header, oneRequest, parseResponses, RawClient } from './run-harness.js';
import { get, portsInRange, startEchoOrigin, waitForText, type EchoOrigin } from './run-signal-helpers.js';

let dir: string;
let a: EchoOrigin;
let b: EchoOrigin;
let ports: { proxy: number; dead: number };

const text = (gen: string, s2Weight: number): string => `global
    maxconn 100
defaults
    mode http
    timeout connect 1s
    timeout client 5s
    timeout server 5s
frontend fe
    bind 127.0.0.1:${ports.proxy}
    http-request set-header x-gen ${gen}
    default_backend be
backend be
    balance roundrobin
    server s1 127.0.0.1:${a.port}
    server s2 127.0.0.1:${b.port} weight ${s2Weight}
    server s3 127.0.0.1:${b.port}
backend checked
    server dead 127.0.0.1:${ports.dead} check inter 100ms rise 2 fall 1
`;

function load(t: string): LoadedConfig {
  writeFileSync(join(dir, 'haproxy.cfg'), t);
  const r = loadConfig({ files: ['haproxy.cfg'], cwd: dir, env: {} });
  if (!r.ok) throw new Error(JSON.stringify(r));
  return r.config;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'haplo-reload-state-'));
  const [pa, pb, proxy, dead] = await portsInRange(4);
  a = await startEchoOrigin(pa!);
  b = await startEchoOrigin(pb!);
  ports = { proxy: proxy!, dead: dead! };
});

afterAll(async () => {
  await a?.close();
  await b?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('reload: server state carries over', () => {
  it('keeps MAINT, an operator weight and a DOWN verdict (checked again from DOWN); takes the new configuration for the rest', async () => {
    const quiet = { ...defaultProcessOptions(), log: () => {} };
    const proc = new ProxyProcess(load(text('one', 1)), quiet);
    const stderr = process.stderr.write;
    // The checks' DOWN notice goes to stderr; keep the test output clean.
    process.stderr.write = (() => true) as typeof process.stderr.write;
    try {
      await proc.start();
      const rt = () => proc.context.runtime;
      rt().setServerState('be', 's1', 'MAINT');
      rt().setWeight('be', 's3', 7);
      await waitForText(() => rt().serverState('checked', 'dead')?.status ?? '', 'DOWN', 5000);

      const r = await proc.reload(load(text('two', 3)));
      expect(r.generation).toBe(2);
      expect(r.carried.servers.sort()).toEqual(['be/s1', 'be/s3', 'checked/dead']);
      expect(rt().serverState('be', 's1')?.status).toBe('MAINT');
      expect(rt().serverState('be', 's3')?.weight).toBe(7);
      // s2's weight was never changed by hand: the new configuration's 3 applies.
      expect(rt().serverState('be', 's2')?.weight).toBe(3);
      expect(rt().serverState('checked', 'dead')?.status).toBe('DOWN');

      const before = a.seen.length;
      for (let i = 0; i < 4; i++) {
        const { response, client } = await oneRequest(ports.proxy, get(`/r${i}`));
        expect(header(response, 'x-seen-gen')).toBe('two');
        client.close();
      }
      expect(a.seen.length).toBe(before);
      // The new generation's checks start from DOWN: once the server answers, `rise` passes
      // bring it back UP (started from UP they would never report the change).
      const revived = await startEchoOrigin(ports.dead);
      try {
        await waitForText(() => rt().serverState('checked', 'dead')?.status ?? '', 'UP', 5000);
      } finally {
        await revived.close();
      }
    } finally {
      await proc.stop();
      process.stderr.write = stderr;
    }
  });

  it("closes the old generation's pooled server connections once its last session has moved on", async () => {
    const proc = new ProxyProcess(load(text('one', 1)), { ...defaultProcessOptions(), services: [], log: () => {} });
    try {
      await proc.start();
      // A keep-alive client in the middle of a slow request, and one pooled connection to s1.
      const { client: idle } = await oneRequest(ports.proxy, get('/warm'));
      idle.close();
      const busy = new RawClient(ports.proxy);
      await busy.ready();
      const pooledBefore = a.open() + b.open();
      busy.send(get('/slow/300'));
      await waitForText(() => (a.seen.concat(b.seen).some((r) => r.path === '/slow/300') ? 'seen' : ''), 'seen');
      await proc.reload(load(text('two', 1)));
      // The old generation still has the busy session: its server connections stay.
      expect(proc.retiredSessions).toBe(1);
      await busy.untilResponses(1, 3000);
      // The busy connection moved to generation 2 after its response; generation 1 closed its pools.
      await waitForText(() => (proc.retiredSessions === 0 && a.open() + b.open() === 0 ? 'closed' : ''), 'closed', 3000);
      expect(pooledBefore).toBeGreaterThan(0);
      const next = parseResponses(busy.received).length + 1;
      busy.send(get('/after'));
      await busy.untilResponses(next, 3000);
      expect(header(parseResponses(busy.received)[next - 1]!, 'x-seen-gen')).toBe('two');
      busy.close();
    } finally {
      await proc.stop();
    }
  });
});
