import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FoldingRange } from 'vscode-languageserver-protocol';
import { startClient, type Client } from './harness.js';

const CONFIG = [
  '# haproxy.cfg', //                 0  comment run
  '# managed by haplo', //            1
  'global', //                        2  section 2..3
  '    daemon', //                    3
  '', //                              4
  '# ---- frontends ----', //         5  (single comment: no fold; belongs to the next section)
  'frontend fe', //                   6  section 6..18
  '    bind :80', //                  7
  '.if defined(TLS)', //              8  block 8..13
  '    bind :443 ssl crt /x.pem', //  9
  '.elif streq(a,b)', //             10  branch 10..11
  '    bind :8443', //               11
  '.else', //                        12  branch 12..13 (else + body)
  '    bind :8080', //               13
  '.endif', //                       14
  '    # a', //                      15  comment run 15..16
  '    # b', //                      16
  '    default_backend app', //      17
  '    timeout client 5s', //        18
  '', //                             19
  '', //                             20
  'backend app', //                  21  single line: no fold
  '',
].join('\n');

describe('folding ranges over LSP', () => {
  let client: Client;
  beforeAll(async () => {
    client = await startClient();
  });
  afterAll(async () => {
    await client.close();
  });

  it('folds sections, .if blocks and their branches, and comment runs', async () => {
    const uri = await client.open('fold.cfg', CONFIG);
    const ranges = await client.request<FoldingRange[]>('textDocument/foldingRange', { textDocument: { uri } });
    expect(ranges).toEqual([
      { startLine: 0, endLine: 1, kind: 'comment' },
      { startLine: 2, endLine: 3 },
      { startLine: 6, endLine: 18 },
      { startLine: 8, endLine: 13 },
      { startLine: 10, endLine: 11 },
      { startLine: 12, endLine: 13 },
      { startLine: 15, endLine: 16, kind: 'comment' },
    ]);
  });

  it('folds an unterminated .if and half-typed sections without error', async () => {
    const uri = await client.open('broken.cfg', 'backend\n    server\n.if 1\n    balance\n\n# x\n# y\n');
    const ranges = await client.request<FoldingRange[]>('textDocument/foldingRange', { textDocument: { uri } });
    expect(ranges).toEqual(expect.arrayContaining([{ startLine: 5, endLine: 6, kind: 'comment' }]));
    expect(ranges.every((r) => r.endLine > r.startLine)).toBe(true);
    const missing = await client.request('textDocument/foldingRange', { textDocument: { uri: uri.replace('broken.cfg', 'missing.cfg') } });
    expect(missing).toBeNull();
  });
});
