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

  it('publishes again on a settings notification: the same diagnostics when nothing changed, new ones when the settings did', async () => {
    const cond = await client.open('settings-cond.cfg', 'global\n.if defined(HAPLO_SETTINGS_TEST)\n    daemon\n.endif\n');
    expect((await client.diagnostics(cond)).map((d) => d.code)).toContain('HAP1040');
    const edited = await client.open('settings-edit.cfg', 'frontend fe\n    bnd :80\n');
    await client.diagnostics(edited);
    await client.change(edited, 'frontend fe\n    bnd :80\n    bnd :81\n');
    const afterEdit = await client.diagnostics(edited);
    expect(afterEdit.filter((d) => d.code === 'HAP2001')).toHaveLength(2);

    // The settings every client starts with, sent again (as VS Code's client does after opening documents).
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { haplo: {} } });
    expect((await client.diagnostics(cond)).map((d) => d.code)).toContain('HAP1040');
    expect(await client.diagnostics(edited)).toEqual(afterEdit);

    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { haplo: { env: { HAPLO_SETTINGS_TEST: '1' } } } });
    expect((await client.diagnostics(cond)).map((d) => d.code)).not.toContain('HAP1040');
    expect(await client.diagnostics(edited)).toEqual(afterEdit);
  });
});
