// `haplo run` against HAProxy 2.6 on loopback, and against `haplo sim`'s own prediction. Each
// config of the HTTP differential suite (http-cases.ts) is served by both proxies at once, in
// front of the same echo origins; the same requests go through each, and for every request the
// test compares the status, which server answered, the request as the origin received it (method,
// URI, headers) and the response headers the client got. The simulator then predicts the same
// sequence, and its prediction must equal what `haplo run` did. Skipped with a message when
// `haproxy` is not installed. Loopback only, bounded, every process killed.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimRequest, SimResult } from '../../packages/sim/src/index.js';
import { hasHaproxy } from '../support/haproxy.js';
import { pipelineOf } from '../sim/pipeline-helpers.js';
import { httpCases, keep, type Req } from './http-cases.js';
import { closeAll, echoOf, send, startEchoOrigins, withReplyHeaders, type Observed } from './loopback.js';
import { ChildProcesses } from '../support/child-processes.js';

const present = hasHaproxy();
if (!present) console.warn('run-vs-haproxy: haproxy is not installed; the differential suite is skipped (.ci/run installs it).');

// A block of 200 ports below the ephemeral range, apart from sim-vs-haproxy's 20000–29999:
// HAProxy on BASE+i, haplo on BASE+100+i, origins on BASE+190….
const BASE = 10000 + Math.floor(Math.random() * 20) * 200;
const ORIGINS = [1, 2, 3, 4, 5, 6].map((i) => BASE + 190 + i);
const CASES = httpCases(ORIGINS);

const origins: Server[] = [];
const children = new ChildProcesses();
const dir = mkdtempSync(join(tmpdir(), 'haplo-run-diff-'));


beforeAll(async () => {
  if (!present) return;
  origins.push(...await startEchoOrigins(ORIGINS));
});

afterAll(async () => {
  await children.stopAll();
  await closeAll(origins);
  rmSync(dir, { recursive: true, force: true });
});

/** What one request did, in comparable form. */
interface Seen { status: number | null; server: number | undefined; forwarded: string | null; forwardedHeaders: string[] | null; responseHeaders: string[]; body: string | null }

function seenFromWire(o: Observed): Seen {
  const echo = echoOf(o);
  return {
    status: o.status,
    server: echo?.port,
    forwarded: echo ? `${echo.method} ${echo.uri}` : null,
    forwardedHeaders: echo ? keep(echo.headers) : null,
    responseHeaders: keep(o.headers),
    body: echo === undefined && o.status !== null ? o.body : null,
  };
}

function seenFromSim(r: SimResult, p: ReturnType<typeof pipelineOf>): Seen {
  const port = r.backend && r.server ? p.backends.get(r.backend)?.model.servers.find((s) => s.name === r.server)?.port : undefined;
  return {
    status: r.status,
    server: port,
    forwarded: r.request ? `${r.request.method} ${r.request.uri}` : null,
    forwardedHeaders: r.request ? keep(r.request.headers) : null,
    responseHeaders: keep(r.response?.headers ?? []),
    body: r.request === null && r.status !== null ? r.body : null,
  };
}

function differences(a: Seen, b: Seen, names: [string, string]): string[] {
  const out: string[] = [];
  for (const k of Object.keys(a) as (keyof Seen)[]) {
    // The body is compared only when both came from the proxy itself (HAProxy's own replies).
    if (k === 'body' && (a.body === null || b.body === null)) continue;
    if (JSON.stringify(a[k]) !== JSON.stringify(b[k])) out.push(`${k}: ${names[0]} ${JSON.stringify(a[k])} vs ${names[1]} ${JSON.stringify(b[k])}`);
  }
  return out;
}

const totals = { requests: 0, withHaproxy: 0, withSim: 0, known: 0 };

describe.skipIf(!present)('haplo run agrees with HAProxy 2.6 and with haplo sim on loopback', () => {
  CASES.forEach((c, index) => {
    it(c.name, async () => {
      const files: Record<string, string> = {};
      for (const [name, text] of Object.entries(c.files ?? {})) {
        files[join(dir, name)] = text;
        writeFileSync(join(dir, name), text);
      }
      const hPort = BASE + index;
      const rPort = BASE + 100 + index;
      const hFile = join(dir, `h${index}.cfg`);
      const rFile = join(dir, `r${index}.cfg`);
      writeFileSync(hFile, c.cfg(hPort, dir));
      writeFileSync(rFile, c.cfg(rPort, dir));
      const { haproxy, haplo } = await children.startPeers(hFile, rFile, { haproxy: hPort, haplo: rPort });
      const mismatches: string[] = [];
      try {
        const p = pipelineOf(c.cfg(rPort, dir), files);
        const rt = p.createRuntime();
        for (const [i, plain] of c.requests.entries()) {
          const r: Req = withReplyHeaders(plain);
          const [fromHaproxy, fromHaplo] = [await send(hPort, r), await send(rPort, r)];
          const request: SimRequest = { uri: r.uri, method: r.method, headers: [['host', 'test.local'], ...(r.headers ?? [])], dst: `127.0.0.1:${rPort}` };
          const predicted = p.run(request, rt, { status: plain.reply?.status ?? 200, headers: [['content-type', 'application/json'], ...(plain.reply?.headers ?? [])] }, { trace: false });
          const run = seenFromWire(fromHaplo);
          const withHaproxy = differences(seenFromWire(fromHaproxy), run, ['haproxy', 'haplo run']);
          const withSim = differences(run, seenFromSim(predicted, p), ['haplo run', 'haplo sim']);
          totals.requests++;
          // A mismatch the simulator suite already owns (`known`) shows here as well.
          const known = c.known?.[i];
          const unexplained = known ? withHaproxy.filter((d) => !d.startsWith(known)) : withHaproxy;
          if (known && unexplained.length < withHaproxy.length) totals.known++;
          if (unexplained.length === 0) totals.withHaproxy++;
          if (withSim.length === 0) totals.withSim++;
          const label = `${r.method ?? 'GET'} ${r.uri}`;
          for (const d of unexplained) mismatches.push(`${label}: ${d}`);
          for (const d of withSim) mismatches.push(`${label}: ${d}`);
        }
      } finally {
        await Promise.all([children.stop(haproxy), children.stop(haplo)]);
      }
      if (mismatches.length) console.log(`[run-vs-haproxy] ${c.name}:\n  ${mismatches.join('\n  ')}`);
      expect(mismatches).toEqual([]);
    });
  });
  afterAll(() => {
    console.log(`[run-vs-haproxy] ${totals.requests} requests over ${CASES.length} configs: haplo run = HAProxy on ${totals.withHaproxy} (${totals.known} with a known simulator mismatch), haplo run = haplo sim on ${totals.withSim}`);
  });
});

describe.runIf(!present)('run-vs-haproxy without haproxy', () => {
  it('is skipped because the haproxy binary is absent (.ci/run installs it)', () => {
    expect(hasHaproxy()).toBe(false);
  });
});
