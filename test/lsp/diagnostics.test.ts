import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startClient, type Client } from './harness.js';

describe('diagnostics over LSP', () => {
  let client: Client;
  beforeAll(async () => {
    client = await startClient();
  });
  afterAll(async () => {
    await client.close();
  });

  it('publishes what haplo check reports, with the same code and range', async () => {
    const uri = await client.open('haproxy.cfg', 'frontend fe\n    bnd :80\n');
    const diagnostics = await client.diagnostics(uri);
    const unknown = diagnostics.find((d) => d.code === 'HAP2001');
    expect(unknown?.range).toEqual({ start: { line: 1, character: 4 }, end: { line: 1, character: 7 } });
    expect(unknown?.message).toContain("did you mean 'bind'");
    expect(unknown?.source).toBe('haplo');
  });

  it('refreshes diagnostics when the document changes', async () => {
    const uri = await client.open('edit.cfg', 'frontend fe\n    bnd :80\n');
    await client.diagnostics(uri);
    await client.change(uri, 'frontend fe\n    bind :80\n    timeout client 5s\n');
    const after = await client.diagnostics(uri);
    expect(after.filter((d) => d.code === 'HAP2001')).toEqual([]);
  });

  it('marks inactive .if branches as unnecessary code', async () => {
    const uri = await client.open('cond.cfg', 'global\n.if 0\n    daemon\n.endif\n');
    const diagnostics = await client.diagnostics(uri);
    const inactive = diagnostics.find((d) => d.code === 'HAP1040');
    expect(inactive?.tags).toContain(1);
    expect(inactive?.range.start.line).toBe(2);
  });
});
