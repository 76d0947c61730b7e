import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompletionItem, CompletionList } from 'vscode-languageserver-protocol';
import { startClient, withCursor, type Client } from './harness.js';

const BASE = `global
    daemon

defaults web
    mode http
    timeout connect 5s
    timeout client 30s
    timeout server 30s

userlist admins
    user bob insecure-password x

backend be_app
    stick-table type ip size 1k expire 1m
    server app1 127.0.0.1:8080
    server app2 127.0.0.1:8081

backend be_static
    server s1 127.0.0.1:9000
`;

describe('completion over LSP', () => {
  let client: Client;
  let n = 0;
  beforeAll(async () => {
    client = await startClient();
  });
  afterAll(async () => {
    await client.close();
  });

  async function complete(marked: string): Promise<CompletionItem[]> {
    const { text, cursor } = withCursor(marked);
    const uri = await client.open(`c${n++}.cfg`, text);
    const result = await client.request<CompletionList | CompletionItem[] | null>('textDocument/completion', { textDocument: { uri }, position: cursor });
    return Array.isArray(result) ? result : (result?.items ?? []);
  }
  const labels = (items: CompletionItem[]) => items.map((i) => i.label);

  it('offers the keywords of a backend, with their argument shape and description', async () => {
    const items = await complete(`${BASE}\nbackend b2\n    <|>\n`);
    const balance = items.find((i) => i.label === 'balance');
    expect(balance?.detail).toContain('balance');
    expect(JSON.stringify(balance?.documentation)).toContain('Load-balancing algorithm');
    expect(labels(items)).toContain('server');
    expect(labels(items)).not.toContain('bind');
    const typed = await complete(`${BASE}\nbackend b2\n    bal<|>\n`);
    expect(labels(typed)).toEqual(['balance']);
    expect(typed[0]?.textEdit).toMatchObject({ range: { start: { character: 4 }, end: { character: 7 } } });
  });

  it('leaves HTTP-only keywords out of a mode tcp proxy', async () => {
    const tcp = await complete(`frontend f\n    mode tcp\n    bind :80\n    <|>\n`);
    expect(labels(tcp)).toContain('bind');
    expect(labels(tcp)).not.toContain('http-request');
    const http = await complete(`frontend f\n    mode http\n    bind :80\n    <|>\n`);
    expect(labels(http)).toContain('http-request');
  });

  it('offers section headers with skeleton snippets at the start of a line', async () => {
    const items = await complete(`${BASE}\nfro<|>`);
    const fe = items.find((i) => i.label === 'frontend');
    expect(fe?.insertTextFormat).toBe(2);
    expect(fe?.textEdit && 'newText' in fe.textEdit ? fe.textEdit.newText : '').toContain('timeout client');
    expect(labels(await complete(`${BASE}\n<|>`))).toEqual(expect.arrayContaining(['backend', 'global', 'userlist', 'server']));
  });

  it('offers the kinds after timeout and the option names after option', async () => {
    expect(labels(await complete(`frontend f\n    timeout <|>\n`))).toEqual(expect.arrayContaining(['client', 'http-request']));
    expect(labels(await complete(`frontend f\n    timeout <|>\n`))).not.toContain('server');
    expect(labels(await complete(`backend b\n    option <|>\n`))).toEqual(expect.arrayContaining(['httpchk', 'redispatch']));
  });

  it('offers enum values: balance algorithms, modes and log levels', async () => {
    expect(labels(await complete(`backend b\n    balance <|>\n`))).toEqual(expect.arrayContaining(['roundrobin', 'leastconn', 'source']));
    expect(labels(await complete(`backend b\n    mode <|>\n`))).toEqual(['tcp', 'http', 'health']);
    expect(labels(await complete(`frontend f\n    log 127.0.0.1:514 local0 <|>\n`))).toContain('warning');
  });

  it('offers bind and server options', async () => {
    expect(labels(await complete(`frontend f\n    bind :443 <|>\n`))).toEqual(expect.arrayContaining(['ssl', 'crt', 'alpn']));
    expect(labels(await complete(`backend b\n    server s1 10.0.0.1:80 <|>\n`))).toEqual(expect.arrayContaining(['check', 'weight', 'backup']));
    expect(labels(await complete(`backend b\n    server s1 10.0.0.1:80 weight <|>\n`))).toEqual([]);
    expect(labels(await complete(`backend b\n    default-server in<|>\n`))).toContain('inter');
  });

  it('offers the actions of each rule set', async () => {
    const http = labels(await complete(`frontend f\n    http-request <|>\n`));
    expect(http).toEqual(expect.arrayContaining(['set-header', 'deny', 'redirect']));
    const tcp = labels(await complete(`frontend f\n    tcp-request connection <|>\n`));
    expect(tcp).toEqual(expect.arrayContaining(['accept', 'reject']));
    expect(tcp).not.toContain('set-header');
    expect(labels(await complete(`frontend f\n    tcp-request <|>\n`))).toEqual(expect.arrayContaining(['connection', 'session', 'content']));
    expect(labels(await complete(`backend b\n    http-response set-st<|>\n`))).toContain('set-status');
    expect(labels(await complete(`frontend f\n    http-after-response <|>\n`))).toContain('set-header');
    expect(labels(await complete(`backend b\n    tcp-response content <|>\n`))).toContain('accept');
  });

  it('offers fetches in an ACL criterion, inside %[…] and after {', async () => {
    const acl = await complete(`frontend f\n    acl is_api pa<|>\n`);
    expect(labels(acl)).toEqual(expect.arrayContaining(['path', 'path_beg', 'http_auth_pass']));
    expect(labels(acl)).not.toContain('src');
    expect(labels(await complete(`frontend f\n    acl is_api <|>\n`))).toEqual(expect.arrayContaining(['path', 'src', 'req.hdr']));
    expect(JSON.stringify(acl.find((i) => i.label === 'path')?.documentation)).toMatch(/path/i);
    const lf = await complete(`frontend f\n    http-request set-header X-Host %[req.h<|>\n`);
    const hdr = lf.find((i) => i.label === 'req.hdr');
    expect(hdr?.textEdit).toMatchObject({ range: { start: { character: 37 }, end: { character: 42 } } });
    expect(labels(await complete(`frontend f\n    http-request deny if { <|>\n`))).toContain('src');
  });

  it('offers converters after a comma and match methods after -m', async () => {
    const conv = await complete(`frontend f\n    acl h hdr(host),<|>\n`);
    expect(labels(conv)).toEqual(expect.arrayContaining(['lower', 'upper', 'map']));
    expect(labels(conv)).not.toContain('path');
    expect(labels(await complete(`frontend f\n    acl h hdr(host),lo<|>\n`))).toContain('lower');
    expect(labels(await complete(`frontend f\n    acl h hdr(host) -m <|>\n`))).toEqual(expect.arrayContaining(['beg', 'end', 'reg', 'found']));
    expect(labels(await complete(`frontend f\n    http-request deny if { path -m <|> }\n`))).toContain('sub');
  });

  it('offers ACL flags after the criterion', async () => {
    expect(labels(await complete(`frontend f\n    acl h hdr(host) <|>\n`))).toEqual(expect.arrayContaining(['-i', '-m', '-f']));
  });

  it("offers the proxy's ACLs and the predefined ones after if, unless, ! and or", async () => {
    const fixture = (cond: string) => `frontend f\n    acl is_api path_beg /api\n    acl is_api path_beg /v2\n    acl is_admin path_beg /admin\n    http-request deny ${cond}\n`;
    for (const cond of ['if <|>', 'unless <|>', 'if is_api !<|>', 'if is_api or <|>', 'if is_api || <|>']) {
      const items = await complete(fixture(cond));
      expect(labels(items), cond).toEqual(expect.arrayContaining(['is_api', 'is_admin', 'METH_POST', 'LOCALHOST']));
    }
    const bang = await complete(fixture('if !is_a<|>'));
    expect(bang.find((i) => i.label === 'is_admin')?.textEdit).toMatchObject({ range: { start: { character: 26 } } });
  });

  it('offers backends, servers, userlists and stick tables where they are referenced', async () => {
    const be = labels(await complete(`${BASE}\nfrontend f\n    use_backend <|>\n`));
    expect(be).toEqual(expect.arrayContaining(['be_app', 'be_static']));
    expect(be).not.toContain('web');
    expect(labels(await complete(`${BASE}\nfrontend f\n    default_backend be_<|>\n`))).toContain('be_static');
    expect(labels(await complete(`${BASE}\nbackend b3\n    server x1 127.0.0.1:1\n    use-server <|> if TRUE\n`))).toEqual(['x1']);
    expect(labels(await complete(`${BASE}\nfrontend f\n    http-request auth if !{ http_auth(<|>) }\n`))).toEqual(['admins']);
    expect(labels(await complete(`${BASE}\nfrontend f\n    http-request track-sc0 src table <|>\n`))).toContain('be_app');
    expect(labels(await complete(`${BASE}\nbackend b4 from <|>\n`))).toContain('web');
  });

  it('answers on broken and half-typed lines', async () => {
    await expect(complete(`frontend f\n    http-request set-header "unterminated <|>\n`)).resolves.toBeDefined();
    await expect(complete(`frontend f\n    acl x hdr(<|>\n`)).resolves.toBeDefined();
    await expect(complete(`frontend\n    <|>`)).resolves.toBeDefined();
    expect(labels(await complete(`frontend f\n    http-request deny if { path_beg(<|>\n`))).toEqual([]);
    expect(labels(await complete(`    fr<|>\n`))).toContain('frontend');
  });
});
