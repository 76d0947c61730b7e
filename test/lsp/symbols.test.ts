import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SymbolKind, type DocumentSymbol, type SymbolInformation } from 'vscode-languageserver-protocol';
import { startClient, type Client } from './harness.js';

const CONFIG = `global
    daemon

frontend fe
    bind :80
    bind :443 ssl crt /etc/site.pem
    acl is_api path_beg /api
    acl is_static path_end .css
    acl is_api hdr(host) -i api.example.com
    http-request set-header X-Api 1 if is_api
    http-request deny if is_static !is_api
    use_backend api_servers if is_api
    default_backend web_servers

backend api_servers
    server api1 10.0.0.1:8080 check
    server api2 10.0.0.2:8080 check

backend web_servers
    server web1 10.0.1.1:80

userlist admins
    user alice password secret
`;

describe('document and workspace symbols over LSP', () => {
  let client: Client;
  let uri: string;
  beforeAll(async () => {
    client = await startClient();
    uri = await client.open('symbols.cfg', CONFIG);
  });
  afterAll(async () => {
    await client.close();
  });

  it('outlines sections with their servers, ACLs, binds, rules and routing', async () => {
    const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
    expect(symbols.map((s) => [s.name, s.kind])).toEqual([
      ['global', SymbolKind.Module],
      ['frontend fe', SymbolKind.Interface],
      ['backend api_servers', SymbolKind.Class],
      ['backend web_servers', SymbolKind.Class],
      ['userlist admins', SymbolKind.Struct],
    ]);
    const fe = symbols[1]!;
    expect(fe.range).toEqual({ start: { line: 3, character: 0 }, end: { line: 12, character: 31 } });
    expect(fe.children!.map((c) => [c.name, c.kind])).toEqual([
      ['bind :80', SymbolKind.Event],
      ['bind :443', SymbolKind.Event],
      ['is_api', SymbolKind.Variable],
      ['is_static', SymbolKind.Variable],
      ['set-header', SymbolKind.Function],
      ['deny', SymbolKind.Function],
      ['use_backend api_servers', SymbolKind.Method],
      ['default_backend web_servers', SymbolKind.Method],
    ]);
    const isApi = fe.children![2]!;
    expect(isApi.children!.map((c) => c.range.start.line)).toEqual([6, 8]);
    expect(isApi.range).toEqual({ start: { line: 6, character: 4 }, end: { line: 8, character: 43 } });
    expect(fe.children![4]!.detail).toBe('http-request if is_api');
    expect(symbols[2]!.children!.map((c) => [c.name, c.detail])).toEqual([
      ['api1', 'server 10.0.0.1:8080'],
      ['api2', 'server 10.0.0.2:8080'],
    ]);
    expect(symbols[4]!.children!.map((c) => c.name)).toEqual(['alice']);
  });

  it('finds workspace symbols by a subsequence of their name', async () => {
    const found = await client.request<SymbolInformation[]>('workspace/symbol', { query: 'api' });
    const names = found.map((s) => `${s.name}@${s.containerName ?? ''}`);
    expect(names).toEqual(expect.arrayContaining(['api_servers@', 'api1@api_servers', 'api2@api_servers', 'is_api@fe']));
    // One entry per ACL name, though is_api is written on two lines.
    expect(names.filter((n) => n.startsWith('is_api'))).toHaveLength(1);
    expect(found.every((s) => s.location.uri === uri)).toBe(true);
    const sub = await client.request<SymbolInformation[]>('workspace/symbol', { query: 'wbsrv' });
    expect(sub.map((s) => s.name)).toEqual(['web_servers']);
    const users = await client.request<SymbolInformation[]>('workspace/symbol', { query: 'alice' });
    expect(users.map((s) => [s.name, s.kind, s.containerName])).toEqual([['alice', SymbolKind.Field, 'admins']]);
  });

  it('outlines half-typed text without error', async () => {
    const broken = await client.open('broken.cfg', 'frontend\n    acl\n    http-request\n    use_backend\nbackend "x\n    server\nuserlist\n');
    const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: broken } });
    expect(symbols.map((s) => s.name)).toEqual(['frontend', 'backend x', 'userlist']);
    expect(symbols[0]!.children!.map((c) => c.name)).toEqual(['http-request', 'use_backend']);
    const unknown = await client.request('textDocument/documentSymbol', { textDocument: { uri: uri.replace('symbols.cfg', 'missing.cfg') } });
    expect(unknown).toBeNull();
    expect(await client.request('workspace/symbol', { query: '' })).toEqual(expect.any(Array));
  });
});
