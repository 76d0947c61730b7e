// Over the protocol, diagnostics after an edit inside one section (re-analysed on its own by the
// server) and the features that follow must be those of the same text opened afresh.
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startClient, type Client } from './harness.js';

function tenants(count: number): string {
  const out = ['global', '    log stdout format raw local0', '', 'defaults', '    mode http', '    timeout connect 5s', '    timeout client 30s', '    timeout server 30s', ''];
  for (let i = 0; i < count; i++) {
    out.push(`frontend fe_${i}`, `    bind :${8000 + i}`, `    acl a_${i} path_beg /api/v${i}`, `    acl unused_${i} src 10.0.0.0/8`);
    out.push(`    use_backend be_${i} if a_${i}`, `    default_backend be_${i}`, '');
    out.push(`backend be_${i}`, `    server s${i} 10.0.${i}.1:8080 check`, '');
  }
  return out.join('\n');
}

describe('incremental diagnostics over LSP', () => {
  let client: Client;
  beforeAll(async () => {
    client = await startClient();
  });
  afterAll(async () => {
    await client.close();
  });

  it('publishes after an edit exactly what a fresh analysis of the new text publishes', async () => {
    const text = tenants(30);
    const uri = await client.open('tenants.cfg', text);
    await client.diagnostics(uri);
    // Break an ACL's fetch, then add a line with an unknown keyword in the same frontend.
    const broken = text.replace('path_beg /api/v12', 'path_bg /api/v12');
    const edited = broken.replace('    use_backend be_12 if a_12', '    use_backend be_12 if a_12\n    bnd :80');
    for (const next of [broken, edited]) {
      await client.change(uri, next);
      const incremental = await client.diagnostics(uri);
      const fresh = await client.open(`fresh-${next.length}.cfg`, next);
      // Related information names the file: the fresh copy's is another.
      const freshDiagnostics = JSON.parse(JSON.stringify(await client.diagnostics(fresh)).replaceAll(fresh, uri));
      expect(incremental).toEqual(freshDiagnostics);
      expect(incremental.map((d) => d.code)).toContain('HAP3001');
    }
    // Features read the full analysis of the current text.
    const fresh = await client.open('fresh-symbols.cfg', edited);
    const symbols = await client.request('textDocument/documentSymbol', { textDocument: { uri } });
    expect(symbols).toEqual(await client.request('textDocument/documentSymbol', { textDocument: { uri: fresh } }));
  });

  it('says which version of the document its diagnostics describe', async () => {
    const own = await startClient();
    try {
      const versions: (number | undefined)[] = [];
      own.connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
        versions.push(p.version);
      });
      const uri = await own.open('versioned.cfg', tenants(2));
      await own.change(uri, tenants(2).replace('/api/v1', '/api/v12'));
      // A request answered after both notifications were handled.
      await own.request('textDocument/documentSymbol', { textDocument: { uri } });
      expect(versions).toEqual([1, 2]);
    } finally {
      await own.close();
    }
  });
});
