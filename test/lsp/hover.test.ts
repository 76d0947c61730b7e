import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { startClient, withCursor, type Client } from './harness.js';

const CONFIG = `defaults web
    mode http
    timeout connect 5s
    timeout client 30s
    timeout server 30s

userlist admins
    user bob insecure-password x

frontend fe
    bind :80
    acl is_api path_beg /api
    acl is_api path_beg /v2
    http-request auth if !{ http_auth(admins) }
    http-request deny if is_api METH_POST
    http-request set-header X-Host %[req.hdr(host),lower]
    http-request deny if { path -m beg /x }
    use_backend be_app if is_api
    default_backend be_app

backend be_app
    stick-table type ip size 1k expire 1m
    http-request track-sc0 src table be_app
    server app1 127.0.0.1:8080
    use-server app1 if TRUE
`;

describe('hover over LSP', () => {
  let client: Client;
  let uri: string;
  const lines = CONFIG.split('\n');
  beforeAll(async () => {
    client = await startClient();
    uri = await client.open('hover.cfg', CONFIG);
  });
  afterAll(async () => {
    await client.close();
  });

  /** Hovers on the `at`-th occurrence of `needle` (plus `shift` characters) in the config. */
  async function hover(needle: string, shift = 1, at = 0): Promise<string> {
    let line = -1;
    let character = -1;
    let seen = 0;
    for (let i = 0; i < lines.length && line < 0; i++) {
      let from = 0;
      for (;;) {
        const c = lines[i]!.indexOf(needle, from);
        if (c < 0) break;
        if (seen++ === at) {
          line = i;
          character = c + shift;
          break;
        }
        from = c + 1;
      }
    }
    expect(line, needle).toBeGreaterThanOrEqual(0);
    const h = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line, character } });
    return (h?.contents as MarkupContent | undefined)?.value ?? '';
  }

  it('describes a keyword with its argument shape and where it is valid', async () => {
    const text = await hover('timeout client');
    expect(text).toContain('Client inactivity timeout');
    expect(text).toContain('timeout client <timeout>');
    expect(text).toContain('Valid in: defaults, frontend, listen');
    expect(await hover('default_backend')).toContain('Backend used when no use_backend rule matches');
  });

  it('describes an action of a rule set', async () => {
    const text = await hover('set-header');
    expect(text).toContain('http-request set-header');
    expect(text).toMatch(/header/i);
    expect(await hover('track-sc0')).toContain('Tracks a key in stick counter 0');
  });

  it('describes fetches with their phases, converters and match methods', async () => {
    const fetch = await hover('req.hdr(');
    expect(fetch).toContain('req.hdr');
    expect(fetch).toContain('Valid in:');
    expect(fetch).toContain('fe-http-request');
    expect(await hover('lower]')).toContain('converter');
    expect(await hover('path_beg')).toContain('path -m beg');
    expect(await hover('beg /x', 1)).toContain('Prefix match');
  });

  it('shows every declaration line of a same-name ACL', async () => {
    const text = await hover('is_api', 2, 2);
    expect(text).toContain('acl is_api path_beg /api');
    expect(text).toContain('acl is_api path_beg /v2');
  });

  it('shows the declaration of backends, servers, userlists and tables', async () => {
    expect(await hover('be_app if')).toContain('backend be_app');
    expect(await hover('app1 if')).toContain('server app1 127.0.0.1:8080');
    expect(await hover('admins)')).toContain('userlist admins');
    expect(await hover('be_app\n'.trim(), 1, 2)).toMatch(/be_app/);
    expect(await hover('METH_POST')).toContain('Method is POST');
  });

  it('answers on a broken, half-typed line', async () => {
    const broken = await client.open('broken.cfg', 'frontend fe\n    http-request set-header "X\n    acl a hdr(\n');
    for (const [line, character] of [[1, 10], [1, 25], [2, 12]] as const) {
      const h = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: broken }, position: { line, character } });
      expect(h === null || typeof h === 'object').toBe(true);
    }
    const h = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: broken }, position: { line: 1, character: 8 } });
    expect((h?.contents as MarkupContent).value).toContain('HTTP requests');
  });
});
