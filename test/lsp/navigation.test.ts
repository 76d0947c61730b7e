import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentHighlight, Location, Range, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { startClient, withCursor, type Client, type Cursor } from './harness.js';

const CONFIG = `global
    setenv BE_NAME app

defaults base
    mode http

frontend fe from base
    bind :80
    acl is_api path_beg /api
    acl is_api hdr(host) -i api.example.com
    http-request deny if !is_api METH_POST
    http-request track-sc0 src table limits
    use_backend be_%[req.hdr(host),lower]
    use_backend app if is_api
    default_backend app

backend app
    stick-table type ip size 1m
    stick on src
    server s1 127.0.0.1:8080 check
    server-template web 1-3 10.0.0.1:80
    use-server web2 if TRUE

backend limits
    stick-table type ip size 1m

backend watcher
    server w1 10.0.0.9:80 track app/s1
    http-request set-header X-Be "\${BE_NAME}"
`;

/** The cursor placed on the `n`th occurrence (0-based) of `needle`, `offset` characters in. */
function at(text: string, needle: string, n = 0, offset = 1): string {
  let i = -1;
  for (let k = 0; k <= n; k++) {
    i = text.indexOf(needle, i + 1);
    if (i < 0) throw new Error(`no occurrence ${n} of ${needle}`);
  }
  return text.slice(0, i + offset) + '<|>' + text.slice(i + offset);
}

function lineOf(r: Range): number {
  return r.start.line;
}

describe('navigation over LSP', () => {
  let client: Client;
  let counter = 0;
  beforeAll(async () => {
    client = await startClient();
  });
  afterAll(async () => {
    await client.close();
  });

  async function openAt(marked: string): Promise<{ uri: string; cursor: Cursor }> {
    const { text, cursor } = withCursor(marked);
    const uri = await client.open(`nav-${counter++}.cfg`, text);
    return { uri, cursor };
  }

  const params = (uri: string, cursor: Cursor) => ({ textDocument: { uri }, position: cursor });

  describe('definition', () => {
    it('goes from use_backend to the backend header', async () => {
      const { uri, cursor } = await openAt(at(CONFIG, 'use_backend app', 0, 13));
      const locs = await client.request<Location[]>('textDocument/definition', params(uri, cursor));
      expect(locs).toEqual([{ uri, range: { start: { line: 16, character: 8 }, end: { line: 16, character: 11 } } }]);
    });

    it('goes from an ACL use to every line declaring it', async () => {
      const { uri, cursor } = await openAt(at(CONFIG, '!is_api', 0, 3));
      const locs = await client.request<Location[]>('textDocument/definition', params(uri, cursor));
      expect(locs.map((l) => l.range)).toEqual([
        { start: { line: 8, character: 8 }, end: { line: 8, character: 14 } },
        { start: { line: 9, character: 8 }, end: { line: 9, character: 14 } },
      ]);
    });

    it('goes from `from` to the named defaults', async () => {
      const { uri, cursor } = await openAt(at(CONFIG, 'from base', 0, 6));
      const locs = await client.request<Location[]>('textDocument/definition', params(uri, cursor));
      expect(locs.map((l) => lineOf(l.range))).toEqual([3]);
    });

    it('goes from `table X` to the proxy declaring the stick table', async () => {
      const { uri, cursor } = await openAt(at(CONFIG, 'table limits', 0, 8));
      const locs = await client.request<Location[]>('textDocument/definition', params(uri, cursor));
      expect(locs.map((l) => lineOf(l.range))).toEqual([23]);
    });

    it('goes from track be/srv to the server, and from use-server to a server-template', async () => {
      const { uri, cursor } = await openAt(at(CONFIG, 'app/s1', 0, 5));
      const locs = await client.request<Location[]>('textDocument/definition', params(uri, cursor));
      expect(locs).toEqual([{ uri, range: { start: { line: 19, character: 11 }, end: { line: 19, character: 13 } } }]);
      const tpl = withCursor(at(CONFIG, 'web2', 0, 2));
      const tplLocs = await client.request<Location[]>('textDocument/definition', params(uri, tpl.cursor));
      expect(tplLocs.map((l) => l.range.start)).toEqual([{ line: 20, character: 20 }]);
    });

    it('goes from ${VAR} to its setenv in global', async () => {
      const { uri, cursor } = await openAt(at(CONFIG, '${BE_NAME}', 0, 4));
      const locs = await client.request<Location[]>('textDocument/definition', params(uri, cursor));
      expect(locs.map((l) => l.range)).toEqual([{ start: { line: 1, character: 11 }, end: { line: 1, character: 18 } }]);
    });

    it('goes to userlists, caches, http-errors, peers and resolvers from the lines that name them', async () => {
      const text = [
        'userlist admins', //                                              0
        '    user alice insecure-password x', //                           1
        'cache small', //                                                  2
        '    total-max-size 4', //                                         3
        'http-errors site', //                                             4
        '    errorfile 503 /dev/null', //                                  5
        'peers mesh', //                                                   6
        '    peer a 127.0.0.1:1024', //                                    7
        'resolvers dns', //                                                8
        '    nameserver ns1 127.0.0.1:53', //                              9
        'backend be', //                                                  10
        '    stick-table type ip size 1m peers mesh', //                  11
        '    http-request auth unless { http_auth(admins) }', //          12
        '    http-request cache-use small', //                            13
        '    errorfiles site', //                                         14
        '    server s 127.0.0.1:80 resolvers dns', //                     15
        '',
      ].join('\n');
      const uri = await client.open(`nav-${counter++}.cfg`, text);
      const cases: [string, number, number][] = [
        ['peers mesh', 11, 6],
        ['http_auth(admins', 12, 0],
        ['cache-use small', 13, 2],
        ['errorfiles site', 14, 4],
        ['resolvers dns', 15, 8],
      ];
      for (const [needle, line, expected] of cases) {
        const col = text.split('\n')[line]!.indexOf(needle) + needle.length - 1;
        const locs = await client.request<Location[]>('textDocument/definition', params(uri, { line, character: col }));
        expect([needle, locs?.map((l) => lineOf(l.range))]).toEqual([needle, [expected]]);
      }
    });

    it('answers null on keywords, dynamic backends and predefined ACLs', async () => {
      const { uri } = await openAt(at(CONFIG, 'bind'));
      for (const marked of [at(CONFIG, 'bind'), at(CONFIG, 'be_%[', 0, 4), at(CONFIG, 'METH_POST', 0, 2)]) {
        const { cursor } = withCursor(marked);
        expect(await client.request('textDocument/definition', params(uri, cursor))).toBeNull();
      }
    });

    it('resolves across the files of a file set', async () => {
      const multi = await startClient({ fileSets: [['a.cfg', 'b.cfg']] });
      try {
        const bText = 'backend shared\n    server s 127.0.0.1:80\n';
        writeFileSync(join(multi.dir, 'b.cfg'), bText);
        const { text, cursor } = withCursor('frontend fe\n    bind :80\n    default_backend sha<|>red\n');
        const uriA = await multi.open('a.cfg', text);
        const locs = await multi.request<Location[]>('textDocument/definition', params(uriA, cursor));
        const uriB = pathToFileURL(join(multi.dir, 'b.cfg')).href;
        expect(locs).toEqual([{ uri: uriB, range: { start: { line: 0, character: 8 }, end: { line: 0, character: 14 } } }]);
        const refs = await multi.request<Location[]>('textDocument/references', {
          textDocument: { uri: uriA }, position: cursor, context: { includeDeclaration: true },
        });
        expect(refs.map((l) => l.uri).sort()).toEqual([uriA, uriB].sort());
        const edit = await multi.request<WorkspaceEdit>('textDocument/rename', { textDocument: { uri: uriA }, position: cursor, newName: 'common' });
        expect(Object.keys(edit.changes!).sort()).toEqual([uriA, uriB].sort());
      } finally {
        await multi.close();
      }
    });
  });

  describe('references', () => {
    it('lists every use of a backend, with its declaration when asked', async () => {
      const { uri, cursor } = await openAt(at(CONFIG, 'backend app', 0, 9));
      const withDecl = await client.request<Location[]>('textDocument/references', { ...params(uri, cursor), context: { includeDeclaration: true } });
      // header, use_backend, default_backend, track app/s1
      expect(withDecl.map((l) => lineOf(l.range))).toEqual([16, 13, 14, 27]);
      const without = await client.request<Location[]>('textDocument/references', { ...params(uri, cursor), context: { includeDeclaration: false } });
      expect(without.map((l) => lineOf(l.range))).toEqual([13, 14, 27]);
    });

    it('lists ACL uses from a declaration line', async () => {
      const { uri, cursor } = await openAt(at(CONFIG, 'acl is_api hdr', 0, 5));
      const refs = await client.request<Location[]>('textDocument/references', { ...params(uri, cursor), context: { includeDeclaration: false } });
      expect(refs.map((l) => l.range)).toEqual([
        { start: { line: 10, character: 26 }, end: { line: 10, character: 32 } },
        { start: { line: 13, character: 23 }, end: { line: 13, character: 29 } },
      ]);
    });
  });

  describe('rename', () => {
    it('prepares with the name range and placeholder', async () => {
      const { uri, cursor } = await openAt(at(CONFIG, 'default_backend app', 0, 17));
      const prep = await client.request<{ range: Range; placeholder: string }>('textDocument/prepareRename', params(uri, cursor));
      expect(prep).toEqual({ range: { start: { line: 14, character: 20 }, end: { line: 14, character: 23 } }, placeholder: 'app' });
    });

    it('renames a backend everywhere, including `table X` refs to its stick table, but not `from`', async () => {
      const { uri, cursor } = await openAt(at(CONFIG, 'backend limits', 0, 9));
      const edit = await client.request<WorkspaceEdit>('textDocument/rename', { ...params(uri, cursor), newName: 'rate_limits' });
      const edits = edit.changes![uri]!;
      expect(edits.map((e) => [e.range.start.line, e.range.start.character, e.newText])).toEqual([
        [23, 8, 'rate_limits'],
        [11, 37, 'rate_limits'],
      ]);
    });

    it('renames a server-template prefix in the names it generates', async () => {
      const { uri, cursor } = await openAt(at(CONFIG, 'web 1-3', 0, 1));
      const edit = await client.request<WorkspaceEdit>('textDocument/rename', { ...params(uri, cursor), newName: 'node' });
      expect(edit.changes![uri]!.map((e) => [e.range.start.line, e.range.start.character, e.range.end.character, e.newText])).toEqual([
        [20, 20, 23, 'node'],
        [21, 15, 18, 'node'],
      ]);
    });

    it('renames all same-name ACL lines and their uses', async () => {
      const { uri, cursor } = await openAt(at(CONFIG, 'if is_api', 0, 5));
      const edit = await client.request<WorkspaceEdit>('textDocument/rename', { ...params(uri, cursor), newName: 'api' });
      expect(edit.changes![uri]!.map((e) => e.range.start.line)).toEqual([8, 9, 10, 13]);
    });

    it('renames a setenv variable inside ${…}', async () => {
      const { uri, cursor } = await openAt(at(CONFIG, 'BE_NAME app', 0, 2));
      const edit = await client.request<WorkspaceEdit>('textDocument/rename', { ...params(uri, cursor), newName: 'BACKEND' });
      expect(edit.changes![uri]!.map((e) => [e.range.start.line, e.range.start.character, e.range.end.character])).toEqual([
        [1, 11, 18],
        [28, 36, 43],
      ]);
    });

    it.each([
      ['a keyword', at(CONFIG, 'bind'), /not a name declared/],
      ['a predefined ACL', at(CONFIG, 'METH_POST', 0, 2), /predefined ACL/],
      ['an implicit table use', at(CONFIG, 'stick on', 0, 2), /without naming it/],
      ['a dynamic backend', at(CONFIG, 'be_%[', 0, 4), /computed at run time/],
      ['blank space', at(CONFIG, '\n\ndefaults', 0, 1), /Nothing to rename/],
    ])('refuses %s with a message', async (_what, marked, message) => {
      const { uri, cursor } = await openAt(marked);
      await expect(client.request('textDocument/prepareRename', params(uri, cursor))).rejects.toThrow(message);
    });

    it('refuses names HAProxy would not accept, and names already taken', async () => {
      const { uri, cursor } = await openAt(at(CONFIG, 'backend app', 0, 9));
      await expect(client.request('textDocument/rename', { ...params(uri, cursor), newName: 'my app' })).rejects.toThrow(/not a valid name/);
      await expect(client.request('textDocument/rename', { ...params(uri, cursor), newName: 'limits' })).rejects.toThrow(/already exists/);
    });
  });

  describe('document highlight', () => {
    it('marks declarations as writes and uses as reads', async () => {
      const { uri, cursor } = await openAt(at(CONFIG, 'use_backend app', 0, 13));
      const hl = await client.request<DocumentHighlight[]>('textDocument/documentHighlight', params(uri, cursor));
      expect(hl.map((h) => [h.range.start.line, h.kind])).toEqual([
        [16, 3],
        [13, 2],
        [14, 2],
        [27, 2],
      ]);
    });
  });

  describe('stale and broken documents', () => {
    it('answers every navigation request on half-typed text without error', async () => {
      const { uri, cursor } = await openAt('frontend\n    use_backend <|>\n    acl\n    http-request deny if { \nbackend "unterminated\n    server\n');
      for (const method of ['textDocument/definition', 'textDocument/documentHighlight']) {
        expect(await client.request(method, params(uri, cursor))).toBeNull();
      }
      expect(await client.request('textDocument/references', { ...params(uri, cursor), context: { includeDeclaration: true } })).toBeNull();
      await expect(client.request('textDocument/prepareRename', params(uri, cursor))).rejects.toThrow(/rename/i);
    });

    it('answers positions past the end and unknown documents with null', async () => {
      const { uri } = await openAt(at(CONFIG, 'bind'));
      expect(await client.request('textDocument/definition', { textDocument: { uri }, position: { line: 500, character: 3 } })).toBeNull();
      const gone = pathToFileURL(join(client.dir, 'never-opened.cfg')).href;
      expect(await client.request('textDocument/definition', { textDocument: { uri: gone }, position: { line: 0, character: 0 } })).toBeNull();
      expect(await client.request('textDocument/rename', { textDocument: { uri: gone }, position: { line: 0, character: 0 }, newName: 'x' })).toBeNull();
    });

    it('follows the document after a change', async () => {
      const { text, cursor } = withCursor('backend one\nfrontend fe\n    default_backend o<|>ne\n');
      const uri = await client.open('changing.cfg', text);
      await client.change(uri, 'backend zero\nbackend one\nfrontend fe\n    default_backend one\n');
      const locs = await client.request<Location[]>('textDocument/definition', { textDocument: { uri }, position: { line: 3, character: 22 } });
      expect(locs.map((l) => lineOf(l.range))).toEqual([1]);
      // The old cursor now points at a header keyword: no answer, no error.
      expect(await client.request('textDocument/definition', params(uri, cursor))).toBeNull();
    });
  });
});
