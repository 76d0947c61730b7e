import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InlayHint } from 'vscode-languageserver-protocol';
import { startClient, type Client } from './harness.js';

const CONFIG = `defaults web
    mode http
    timeout connect 5s
    timeout client 30s
    timeout server 30s

frontend fe
    bind "\${ADDR}:\${PORT}"
    timeout client 10s
    default_backend be

backend be
    server s1 "$BACKEND_HOST":80

.if streq("$STAGE",prod)
    # production only
.elif streq("$STAGE",staging)
    # staging only
.else
    # elsewhere
.endif
`;

describe('inlay hints over LSP', () => {
  let client: Client;
  let hints: InlayHint[];
  let listen: { line: number; label: string }[];
  const labelOf = (h: InlayHint) => (typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join(''));
  const on = (line: number) => hints.filter((h) => h.position.line === line).map((h) => ({ character: h.position.character, label: labelOf(h) }));

  beforeAll(async () => {
    client = await startClient({ env: { ADDR: '0.0.0.0', PORT: '8080', STAGE: 'staging' }, inheritEnv: false });
    const uri = await client.open('hints.cfg', CONFIG);
    hints = await client.request<InlayHint[]>('textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 40, character: 0 } } });
    const other = await client.open('listen.cfg', 'defaults\n    timeout client 30s\n    timeout server 30s\nlisten li\n    bind :80\n    timeout connect 5s\n    server s1 127.0.0.1:80\n');
    const got = await client.request<InlayHint[]>('textDocument/inlayHint', { textDocument: { uri: other }, range: { start: { line: 3, character: 0 }, end: { line: 3, character: 9 } } });
    listen = got.map((h) => ({ line: h.position.line, label: labelOf(h) }));
  });
  afterAll(async () => {
    await client.close();
  });

  it('shows what each environment variable expands to', () => {
    expect(on(7)).toEqual([
      { character: 17, label: '= "0.0.0.0"' },
      { character: 25, label: '= "8080"' },
    ]);
    expect(on(12)).toEqual([{ character: 28, label: '= (unset)' }]);
  });

  it('shows the mode and the timeouts a proxy inherits from its defaults, not those it sets', () => {
    expect(on(6)).toEqual([{ character: 11, label: ' mode http (from defaults web)' }]);
    expect(on(11)).toEqual([{ character: 10, label: ' mode http · connect 5s · server 30s (from defaults web)' }]);
    expect(listen).toEqual([{ line: 3, label: ' mode tcp · client 30s · server 30s (from defaults)' }]);
    expect(on(0)).toEqual([]);
  });

  it('marks each .if branch active or inactive for the configured environment', () => {
    expect(on(14)).toContainEqual({ character: 24, label: ' ✗ inactive' });
    expect(on(16)).toContainEqual({ character: 29, label: ' ✓ active' });
    expect(on(18)).toEqual([{ character: 5, label: ' ✗ inactive' }]);
    expect(on(20)).toEqual([]);
  });

  it('answers for a broken, half-typed document', async () => {
    const uri = await client.open('broken.cfg', 'frontend fe\n    bind "${PORT\n.if\nbackend\n');
    const broken = await client.request<InlayHint[] | null>('textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 10, character: 0 } } });
    expect(Array.isArray(broken)).toBe(true);
  });
});
