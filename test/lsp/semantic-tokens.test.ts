import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SemanticTokens, SemanticTokensLegend } from 'vscode-languageserver-protocol';
import { semanticTokensLegend } from '../../packages/lsp/src/semantic-legend.js';
import { startClient, type Client } from './harness.js';

const CONFIG = [
  'global', //                                                         0
  '    setenv PORT 8080', //                                           1
  '', //                                                               2
  '# the entry point', //                                              3
  'frontend fe', //                                                    4
  '    bind :"${PORT}"', //                                            5
  '    acl is_api path_beg,lower -i /api', //                           6
  '    http-request deny if !is_api || { src 10.0.0.0/8 } METH_GET', // 7
  '    use_backend app if is_api # route', //                          8
  '    timeout client 30s', //                                         9
  '.if defined(NOPE)', //                                             10
  '    use_backend never', //                                         11
  '    # kept', //                                                    12
  '.endif', //                                                        13
  '', //                                                              14
  'backend app', //                                                   15
  '    server s1 127.0.0.1:80 check', //                              16
  '    http-request set-header X-Host "%[req.hdr(host)]"', //         17
  '    bind-process 1', //                                            18
  '',
].join('\n');

interface Decoded {
  line: number;
  start: number;
  text: string;
  type: string;
  modifiers: string[];
}

function decode(data: number[], legend: SemanticTokensLegend, text: string): Decoded[] {
  const lines = text.split('\n');
  const out: Decoded[] = [];
  let line = 0;
  let start = 0;
  for (let i = 0; i < data.length; i += 5) {
    const [dl, ds, len, type, mods] = data.slice(i, i + 5) as [number, number, number, number, number];
    line += dl;
    start = dl === 0 ? start + ds : ds;
    out.push({
      line,
      start,
      text: lines[line]!.slice(start, start + len),
      type: legend.tokenTypes[type]!,
      modifiers: legend.tokenModifiers.filter((_, bit) => mods & (1 << bit)),
    });
  }
  return out;
}

describe('semantic tokens over LSP', () => {
  let client: Client;
  let legend: SemanticTokensLegend;
  let uri: string;
  let tokens: Decoded[];
  beforeAll(async () => {
    client = await startClient();
    // The legend the server announces in its capabilities (the harness keeps the initialize result to itself).
    legend = semanticTokensLegend;
    uri = await client.open('tokens.cfg', CONFIG);
    const full = await client.request<SemanticTokens>('textDocument/semanticTokens/full', { textDocument: { uri } });
    tokens = decode(full.data, legend, CONFIG);
  });
  afterAll(async () => {
    await client.close();
  });

  const on = (line: number, text: string) => tokens.filter((t) => t.line === line && t.text === text);
  const typeOf = (line: number, text: string) => on(line, text).map((t) => t.type + (t.modifiers.length ? `+${t.modifiers.join('+')}` : ''));

  it.each([
    [4, 'frontend', 'keyword'],
    [4, 'fe', 'class+declaration'],
    [15, 'app', 'class+declaration'],
    [8, 'app', 'class'],
    [16, 's1', 'property+declaration'],
    [6, 'acl', 'keyword'],
    [6, 'is_api', 'variable+declaration'],
    [6, 'path_beg', 'function'],
    [6, 'lower', 'method'],
    [6, '-i', 'operator'],
    [7, 'deny', 'keyword'],
    [7, 'if', 'keyword'],
    [7, '!', 'operator'],
    [7, 'is_api', 'variable'],
    [7, '||', 'operator'],
    [7, '{', 'operator'],
    [7, '}', 'operator'],
    [7, 'src', 'function'],
    [7, 'METH_GET', 'variable+defaultLibrary'],
    [8, '# route', 'comment'],
    [3, '# the entry point', 'comment'],
    [9, 'timeout', 'keyword'],
    [9, 'client', 'keyword'],
    [9, '30s', 'number'],
    [1, 'PORT', 'parameter+declaration'],
    [1, '8080', 'number'],
    [5, '${PORT}', 'parameter'],
    [10, '.if', 'macro'],
    [10, 'defined', 'function'],
    [13, '.endif', 'macro'],
    [12, '# kept', 'comment'],
    [17, 'req.hdr', 'function'],
    [18, 'bind-process', 'keyword+deprecated'],
  ])('line %i: %s is %s', (line, text, expected) => {
    expect(typeOf(line, text)).toEqual([expected]);
  });

  it('splits a quoted word around what is inside it', () => {
    expect(tokens.filter((t) => t.line === 5 && t.start >= 9).map((t) => [t.text, t.type])).toEqual([
      [':"', 'string'],
      ['${PORT}', 'parameter'],
      ['"', 'string'],
    ]);
  });

  it('emits nothing but comments on lines of an inactive .if branch', () => {
    expect(tokens.filter((t) => t.line === 11)).toEqual([]);
    expect(tokens.filter((t) => t.line === 12).map((t) => t.type)).toEqual(['comment']);
  });

  it('emits sorted, non-overlapping tokens', () => {
    for (let i = 1; i < tokens.length; i++) {
      const a = tokens[i - 1]!;
      const b = tokens[i]!;
      expect(b.line > a.line || (b.line === a.line && b.start >= a.start + a.text.length)).toBe(true);
    }
  });

  it('answers a range request with the tokens of those lines only', async () => {
    const range = await client.request<SemanticTokens>('textDocument/semanticTokens/range', {
      textDocument: { uri },
      range: { start: { line: 15, character: 0 }, end: { line: 17, character: 0 } },
    });
    const decoded = decode(range.data, legend, CONFIG);
    expect(decoded.map((t) => t.line).every((l) => l === 15 || l === 16)).toBe(true);
    expect(decoded.map((t) => t.text)).toEqual(['backend', 'app', 'server', 's1']);
  });

  it('tokenises half-typed text and unknown documents without error', async () => {
    const broken = await client.open('broken.cfg', 'frontend\n    acl\n    http-request deny if { src\n    bind "unterminated\n.if\n');
    const full = await client.request<SemanticTokens>('textDocument/semanticTokens/full', { textDocument: { uri: broken } });
    expect(decode(full.data, legend, 'frontend\n    acl\n    http-request deny if { src\n    bind "unterminated\n.if\n').slice(0, 2).map((t) => t.type)).toEqual(['keyword', 'keyword']);
    const missing = await client.request<SemanticTokens>('textDocument/semanticTokens/full', { textDocument: { uri: uri.replace('tokens.cfg', 'missing.cfg') } });
    expect(missing).toEqual({ data: [] });
  });
});
