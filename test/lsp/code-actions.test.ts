import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import { applyEdits } from './edits.js';
import { startClient, type Client } from './harness.js';

const TIMEOUTS = '    timeout connect 5s\n    timeout client 5s\n    timeout server 5s\n';

describe('code actions over LSP', () => {
  let client: Client;
  let n = 0;
  beforeAll(async () => {
    client = await startClient();
  });
  afterAll(async () => {
    await client.close();
  });

  /** Opens `text`, waits for its diagnostics and asks for the actions of those with `code`. */
  async function actionsFor(text: string, code: string): Promise<{ uri: string; actions: CodeAction[]; diagnostics: Diagnostic[] }> {
    const uri = await client.open(`a${n++}.cfg`, text);
    const all = await client.diagnostics(uri);
    const diagnostics = all.filter((d) => d.code === code);
    expect(diagnostics.length, `${code} in ${JSON.stringify(all.map((d) => d.code))}`).toBeGreaterThan(0);
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: diagnostics[0]!.range,
      context: { diagnostics },
    });
    return { uri, actions, diagnostics };
  }

  function apply(text: string, uri: string, action: CodeAction | undefined): string {
    expect(action, 'action').toBeDefined();
    return applyEdits(text, action!.edit!.changes![uri]!);
  }

  it('replaces a misspelt keyword', async () => {
    const text = `frontend fe\n    bnd :80\n${TIMEOUTS}`;
    const { uri, actions } = await actionsFor(text, 'HAP2001');
    const fix = actions.find((a) => a.title === "Replace with 'bind'");
    expect(fix?.isPreferred).toBe(true);
    expect(apply(text, uri, fix)).toContain('    bind :80\n');
  });

  it('wraps a fetch used as an ACL name in anonymous-ACL braces', async () => {
    const text = `frontend fe\n    bind :80\n${TIMEOUTS}    http-request deny if path_beg /admin\n    http-request deny if ssl_fc\n`;
    const { uri, actions } = await actionsFor(text, 'HAP3007');
    const wrap = actions.find((a) => a.title === "Replace with '{ path_beg /admin }'");
    expect(wrap?.isPreferred).toBe(true);
    expect(apply(text, uri, wrap)).toContain('http-request deny if { path_beg /admin }\n');
    const alone = actions.find((a) => a.title === "Replace with '{ ssl_fc }'");
    expect(apply(text, uri, alone)).toContain('http-request deny if { ssl_fc }\n');
  });

  it('creates the missing backend', async () => {
    const text = `frontend fe\n    bind :80\n${TIMEOUTS}    use_backend be_missing\n`;
    const { uri, actions } = await actionsFor(text, 'HAP4001');
    const create = actions.find((a) => a.title.startsWith("Create backend 'be_missing'"));
    expect(apply(text, uri, create)).toMatch(/\nbackend be_missing\n {4}server /);
  });

  it('adds the missing timeouts', async () => {
    const text = 'defaults\n    mode http\n\nbackend be\n    server s1 127.0.0.1:80\n';
    const { uri, actions } = await actionsFor(text, 'HAP5004');
    const add = actions.find((a) => a.title.includes('timeout connect') && a.title.includes("backend 'be'"));
    const out = apply(text, uri, add);
    expect(out).toContain('backend be\n    timeout connect');
    expect(out).toContain('timeout server');
    const toDefaults = actions.find((a) => a.title.includes('defaults'));
    expect(apply(text, uri, toDefaults)).toMatch(/^defaults\n {4}timeout connect/);
  });

  it('replaces removed keywords', async () => {
    const text = `frontend fe\n    bind :80\n    mode http\n${TIMEOUTS}    clitimeout 30s\n    reqadd X-Proto:\\ https if { ssl_fc }\n    default_backend be\n\nbackend be\n${TIMEOUTS}    server s1 127.0.0.1:80\n`;
    const { uri, actions } = await actionsFor(text, 'HAP2008');
    const all = actions.filter((a) => a.title.startsWith('Replace'));
    let out = text;
    for (const a of all) out = applyEdits(out, a.edit!.changes![uri]!);
    expect(out).toContain('    timeout client 30s\n');
    expect(out).toContain('    http-request add-header X-Proto https if { ssl_fc }\n');
  });

  it("applies a 'did you mean' the parser gives without a fix", async () => {
    const text = `frontend fe\n    bind :80\n${TIMEOUTS}    acl is_api path_beg /api\n    http-request deny if is_apii\n`;
    const { uri, actions } = await actionsFor(text, 'HAP3005');
    expect(apply(text, uri, actions.find((a) => a.title === "Replace with 'is_api'"))).toContain('http-request deny if is_api\n');
  });

  it('silences a code on its line, merging with an existing disable comment', async () => {
    const text = `frontend fe\n    bind :80\n${TIMEOUTS}    acl unused src 10.0.0.0/8 # haplo-disable-line HAP3011\n    bnd :81\n`;
    const unused = await actionsFor(text, 'HAP3006');
    const merge = unused.actions.find((a) => a.title === 'Silence HAP3006 on this line');
    expect(apply(text, unused.uri, merge)).toContain('acl unused src 10.0.0.0/8 # haplo-disable-line HAP3011,HAP3006\n');
    const typo = await actionsFor(text, 'HAP2001');
    const silence = typo.actions.find((a) => a.title === 'Silence HAP2001 on this line');
    const silenced = apply(text, typo.uri, silence);
    expect(silenced).toContain('    bnd :81 # haplo-disable-line HAP2001\n');
    const uri = await client.open(`silenced${n++}.cfg`, silenced);
    expect((await client.diagnostics(uri)).filter((d) => d.code === 'HAP2001')).toEqual([]);
  });

  it('answers for a broken, half-typed document', async () => {
    const uri = await client.open(`broken${n++}.cfg`, 'frontend fe\n    http-request set-header "X\n    acl a hdr(\n');
    const diagnostics = await client.diagnostics(uri);
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 3, character: 0 } },
      context: { diagnostics },
    });
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.every((a) => a.edit?.changes)).toBe(true);
  });
});
