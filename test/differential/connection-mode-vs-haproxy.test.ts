// `haplo run` against HAProxy 2.6 for HTTP connection modes (connection-mode-cases.ts): each
// config is served by both proxies in front of their own recording origin; every conversation
// goes through each, and the test compares, request by request, the Connection header the
// client got, when the client connection was closed, which origin connection each request came
// on, the Connection header the origin got, and which origin connections the proxy closed.
// Skipped with a message when `haproxy` is not installed. Loopback only, bounded, every process
// and server stopped.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hasHaproxy } from '../support/haproxy.js';
import { CONVERSATIONS, MODE_CASES, modeConfig } from './connection-mode-cases.js';
import { converse, startRecordingOrigin, type RecordingOrigin } from './connection-rig.js';
import { ChildProcesses } from '../support/child-processes.js';

const present = hasHaproxy();
if (!present) console.warn('connection-mode-vs-haproxy: haproxy is not installed; the connection-mode differential suite is skipped.');

const dir = mkdtempSync(join(tmpdir(), 'haplo-conn-mode-'));
const children = new ChildProcesses();


/** What one conversation did, on both sides, in comparable form. */
async function transcript(port: number, origin: RecordingOrigin, requests: readonly string[]): Promise<string[]> {
  origin.reset();
  const t = await converse(port, requests, 150);
  // Let the proxy's FIN to the origin arrive.
  await new Promise((r) => setTimeout(r, 60));
  const out = t.responses.map((r, i) => {
    const s = origin.seen[i];
    return `#${i + 1} client: ${r.status} HTTP/${r.version} connection=${r.connection ?? '-'} | origin: conn ${s ? s.conn : '?'} HTTP/${s?.version.slice(5) ?? '?'} connection=${s?.connection ?? '-'}`;
  });
  out.push(`client closed after ${t.closedAfter ?? 'never'}; origin connections closed by the proxy: ${[...origin.closedByProxy].sort().join(',') || 'none'}`);
  return out;
}

describe.skipIf(!present)('HTTP connection modes: haplo run agrees with HAProxy 2.6 on loopback', () => {
  afterAll(async () => {
    await children.stopAll();
    rmSync(dir, { recursive: true, force: true });
  });
  for (const c of MODE_CASES) {
    it(c.name, async () => {
      const mismatches: string[] = [];
      await children.sideBySide(dir, startRecordingOrigin, (port, origin) => modeConfig(c, port, origin), async (ports, origins) => {
        for (const conv of CONVERSATIONS) {
          const [want, got] = await Promise.all([transcript(ports.haproxy, origins[0], conv.requests), transcript(ports.haplo, origins[1], conv.requests)]);
          if (process.env.HAPLO_SHOW_MODES) console.log(`[${c.name}] ${conv.name}\n  ${want.join('\n  ')}`);
          if (JSON.stringify(want) !== JSON.stringify(got)) mismatches.push(`${conv.name}:\n    haproxy:   ${want.join('\n               ')}\n    haplo run: ${got.join('\n               ')}`);
        }
      });
      if (mismatches.length) console.log(`[connection-mode-vs-haproxy] ${c.name}:\n  ${mismatches.join('\n  ')}`);
      expect(mismatches).toEqual([]);
    });
  }
});

describe.runIf(!present)('connection-mode-vs-haproxy without haproxy', () => {
  it('is skipped because the haproxy binary is absent', () => {
    expect(hasHaproxy()).toBe(false);
  });
});
