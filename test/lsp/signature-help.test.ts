import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SignatureHelp } from 'vscode-languageserver-protocol';
import { startClient, withCursor, type Client } from './harness.js';

describe('signature help over LSP', () => {
  let client: Client;
  let n = 0;
  beforeAll(async () => {
    client = await startClient();
  });
  afterAll(async () => {
    await client.close();
  });

  async function signature(marked: string): Promise<{ label: string; active: string } | null> {
    const { text, cursor } = withCursor(marked);
    const uri = await client.open(`s${n++}.cfg`, text);
    const help = await client.request<SignatureHelp | null>('textDocument/signatureHelp', {
      textDocument: { uri },
      position: cursor,
      context: { triggerKind: 2, triggerCharacter: ' ', isRetrigger: false },
    });
    if (!help) return null;
    const sig = help.signatures[help.activeSignature ?? 0]!;
    const param = sig.parameters?.[help.activeParameter ?? sig.activeParameter ?? 0]?.label;
    const active = Array.isArray(param) ? sig.label.slice(param[0], param[1]) : (param ?? '');
    return { label: sig.label, active };
  }

  it('shows a keyword argument shape with the argument being written', async () => {
    expect(await signature('frontend f\n    timeout client <|>\n')).toEqual({ label: 'timeout client <timeout>', active: '<timeout>' });
    const capture = await signature('frontend f\n    capture request header Host len <|>\n');
    expect(capture).toEqual({ label: 'capture request header <header> len <length>', active: '<length>' });
    expect((await signature('frontend f\n    capture request header Host <|>\n'))?.active).toBe('len');
  });

  it('shows the arguments of an action', async () => {
    const first = await signature('frontend f\n    http-request set-header <|>\n');
    expect(first).toEqual({ label: 'http-request set-header <name> <format>', active: '<name>' });
    expect((await signature('frontend f\n    http-request set-header X-Foo <|>\n'))?.active).toBe('<format>');
    expect((await signature('frontend f\n    http-request set-header X-Foo ba<|>r\n'))?.active).toBe('<format>');
  });

  it('shows fetch and converter argument lists inside parentheses', async () => {
    expect(await signature('frontend f\n    acl h req.hdr(host,<|>\n')).toEqual({ label: 'req.hdr([<string>],[<integer>])', active: '[<integer>]' });
    expect(await signature('frontend f\n    http-request set-header X %[src,map_ip(<|>\n')).toMatchObject({ active: '<string>' });
    expect(await signature('frontend f\n    http-request deny if { hdr_beg(<|>\n')).toEqual({ label: 'hdr_beg([<string>],[<integer>])', active: '[<string>]' });
  });

  it('answers on broken lines without error', async () => {
    expect(await signature('frontend f\n    "unterminated <|>\n')).toBeNull();
    expect(await signature('frontend f\n    http-request <|>\n')).toBeNull();
    expect(await signature('    nokeyword (<|>\n')).toBeNull();
  });
});
