import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TextEdit } from 'vscode-languageserver-protocol';
import { applyEdits } from './edits.js';
import { startClient, type Client } from './harness.js';

const MESSY = 'global\n  daemon\n\n\n\nfrontend   fe\nbind    :80   # web\n      mode http\n\n\nbackend be\n  server s1 127.0.0.1:80\n\n';
const FORMATTED = 'global\n    daemon\n\nfrontend fe\n    bind :80 # web\n    mode http\n\nbackend be\n    server s1 127.0.0.1:80\n';
const OPTIONS = { tabSize: 4, insertSpaces: true };

describe('formatting over LSP', () => {
  let client: Client;
  let n = 0;
  beforeAll(async () => {
    client = await startClient();
  });
  afterAll(async () => {
    await client.close();
  });

  async function format(text: string): Promise<TextEdit[]> {
    const uri = await client.open(`f${n++}.cfg`, text);
    return (await client.request<TextEdit[] | null>('textDocument/formatting', { textDocument: { uri }, options: OPTIONS })) ?? [];
  }

  async function formatRange(text: string, startLine: number, endLine: number): Promise<TextEdit[]> {
    const uri = await client.open(`r${n++}.cfg`, text);
    const range = { start: { line: startLine, character: 0 }, end: { line: endLine, character: 0 } };
    return (await client.request<TextEdit[] | null>('textDocument/rangeFormatting', { textDocument: { uri }, range, options: OPTIONS })) ?? [];
  }

  it('formats the whole document as haplo fmt does', async () => {
    const edits = await format(MESSY);
    expect(applyEdits(MESSY, edits)).toBe(FORMATTED);
  });

  it('changes only the lines that need it', async () => {
    const edits = await format('frontend fe\n    bind :80\n  mode http\n    timeout client 5s\n');
    expect(edits).toEqual([{ range: { start: { line: 2, character: 0 }, end: { line: 2, character: 11 } }, newText: '    mode http' }]);
  });

  it('returns no edits for a formatted document', async () => {
    expect(await format(FORMATTED)).toEqual([]);
  });

  it('adds the final newline', async () => {
    const text = 'frontend fe\n    bind :80';
    expect(applyEdits(text, await format(text))).toBe('frontend fe\n    bind :80\n');
  });

  it('formats only the lines of a range, as whole lines', async () => {
    const text = 'frontend   fe\n  bind :80\n  mode http\n  timeout client 5s\n';
    const edits = await formatRange(text, 1, 3);
    expect(applyEdits(text, edits)).toBe('frontend   fe\n    bind :80\n    mode http\n  timeout client 5s\n');
    for (const e of edits) {
      expect(e.range.start.character).toBe(0);
      expect(e.range.start.line).toBeGreaterThanOrEqual(1);
      expect(e.range.end.line).toBeLessThanOrEqual(2);
    }
  });

  it('drops the extra blank lines inside a range', async () => {
    const text = 'global\n    daemon\n\n\n\nfrontend fe\n    bind :80\n';
    expect(applyEdits(text, await formatRange(text, 2, 5))).toBe('global\n    daemon\n\nfrontend fe\n    bind :80\n');
  });

  it('formats a broken, half-typed document without error', async () => {
    const text = 'frontend fe\n  http-request set-header "X-Unterminated\n  acl a hdr(\n';
    const edits = await format(text);
    const out = applyEdits(text, edits);
    expect(out).toContain('    acl a hdr(');
    expect(out).toContain('http-request set-header "X-Unterminated');
  });
});
