// Robustness under typing: thousands of seeded random insertions and deletions, sent as
// incremental (range) didChange notifications to real configurations from HAProxy's own
// regression tests, with every request the server advertises in between. The server must stay
// up and answer every request (an error is fine if it is a proper JSON-RPC error response, not
// a timeout), and once the text is put back, publish the same diagnostics as for the original.
//   HAPLO_SEED=1234 npx vitest run test/lsp/random-edits.test.ts   to replay another seed
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { seededRandom as prng } from '../support/random.js';
import {
  createProtocolConnection,
  ResponseError,
  StreamMessageReader,
  StreamMessageWriter,
  type Diagnostic,
  type Position,
  type PublishDiagnosticsParams,
  type Range,
  type ServerCapabilities,
} from 'vscode-languageserver-protocol/node';

const ROOT = resolve(import.meta.dirname, '../..');
const CORPUS = resolve(ROOT, '../shared/corpus/haproxy-2.6-reg-tests');
const SEED = Number(process.env.HAPLO_SEED ?? 20_260_601);
const FILES = 12;
const EDITS_PER_FILE = 300;
/** Requests are interleaved every this many edits (on average). */
const REQUEST_EVERY = 3;
const REQUEST_TIMEOUT_MS = 5_000;
/** Stop editing (and go on to the final checks) when this much time has gone by. */
const EDIT_BUDGET_MS = 35_000;

const hasCorpus = existsSync(CORPUS);
if (!hasCorpus) console.warn(`random-edits.test.ts skipped: corpus folder ${CORPUS} is absent.`);


/** Fragments a user types into an HAProxy configuration, half-finished ones included. */
const FRAGMENTS = [
  '\n', '\n    ', ' ', '#', '"', "'", '\\', '{', '}', '(', ')', '[', ']', ',', ':', '%[', '${', '}', '$',
  'frontend ', 'backend ', 'defaults', 'listen ', 'global\n', 'acl ', 'use_backend ', 'server ', 'bind :80',
  'http-request ', 'deny', ' if ', ' unless ', '!', '||', ' or ', 'path_beg /api', 'hdr(host) -i ', '-m beg ',
  'req.hdr(x-forwarded-for),lower', '%[src]', '${HOME}', '"${X-5s}"', '.if defined(X)\n', '.elif ', '.else\n',
  '.endif\n', 'timeout client 5s', 'option httplog', 'no option ', 'mode http', 'balance roundrobin',
  'stick-table type ip size 1m', 'sc0_http_req_rate', 'set-var(txn.x) ', 'check inter 2s', '10.0.0.1:8080',
  'é', '\t', '\r\n', '😀',
];

interface Edit {
  range: Range;
  text: string;
}

function positionAt(text: string, offset: number): Position {
  let line = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, character: offset - lineStart };
}

/** A random edit that keeps offsets on UTF-16 code unit boundaries outside surrogate pairs and CRLFs. */
function randomEdit(random: () => number, text: string): { edit: Edit; next: string } {
  const pick = () => {
    let at = Math.floor(random() * (text.length + 1));
    while (at > 0 && at < text.length && (/[\uDC00-\uDFFF]/.test(text[at]!) || (text[at] === '\n' && text[at - 1] === '\r'))) at--;
    return at;
  };
  const start = pick();
  const kind = random();
  let end = start;
  let insert = '';
  if (kind < 0.45) {
    insert = FRAGMENTS[Math.floor(random() * FRAGMENTS.length)]!;
  } else if (kind < 0.55) {
    insert = String.fromCharCode(32 + Math.floor(random() * 95));
  } else {
    const span = random() < 0.8 ? 1 + Math.floor(random() * 12) : Math.floor(random() * 200);
    end = start + span;
    if (end > text.length) end = text.length;
    while (end < text.length && (/[\uDC00-\uDFFF]/.test(text[end]!) || (text[end] === '\n' && text[end - 1] === '\r'))) end++;
    if (kind > 0.85) insert = FRAGMENTS[Math.floor(random() * FRAGMENTS.length)]!;
  }
  return {
    edit: { range: { start: positionAt(text, start), end: positionAt(text, end) }, text: insert },
    next: text.slice(0, start) + insert + text.slice(end),
  };
}

/** The requests the server advertises, each with parameters built for a document and a position. */
type RequestMaker = (uri: string, position: Position, text: string, diagnostics: Diagnostic[]) => [string, unknown];

function requestsFor(caps: ServerCapabilities): Map<string, RequestMaker> {
  const td = (uri: string) => ({ textDocument: { uri } });
  const at = (uri: string, position: Position) => ({ ...td(uri), position });
  const whole = (text: string): Range => ({ start: { line: 0, character: 0 }, end: positionAt(text, text.length) });
  const options = { tabSize: 4, insertSpaces: true };
  const makers = new Map<string, RequestMaker>();
  const add = (enabled: unknown, method: string, make: RequestMaker) => enabled && makers.set(method, make);
  add(caps.hoverProvider, 'textDocument/hover', (u, p) => ['textDocument/hover', at(u, p)]);
  add(caps.completionProvider, 'textDocument/completion', (u, p) => ['textDocument/completion', { ...at(u, p), context: { triggerKind: 1 } }]);
  add(caps.signatureHelpProvider, 'textDocument/signatureHelp', (u, p) => ['textDocument/signatureHelp', at(u, p)]);
  add(caps.definitionProvider, 'textDocument/definition', (u, p) => ['textDocument/definition', at(u, p)]);
  add(caps.declarationProvider, 'textDocument/declaration', (u, p) => ['textDocument/declaration', at(u, p)]);
  add(caps.typeDefinitionProvider, 'textDocument/typeDefinition', (u, p) => ['textDocument/typeDefinition', at(u, p)]);
  add(caps.implementationProvider, 'textDocument/implementation', (u, p) => ['textDocument/implementation', at(u, p)]);
  add(caps.referencesProvider, 'textDocument/references', (u, p) => ['textDocument/references', { ...at(u, p), context: { includeDeclaration: true } }]);
  add(caps.documentHighlightProvider, 'textDocument/documentHighlight', (u, p) => ['textDocument/documentHighlight', at(u, p)]);
  add(caps.documentSymbolProvider, 'textDocument/documentSymbol', (u) => ['textDocument/documentSymbol', td(u)]);
  add(caps.workspaceSymbolProvider, 'workspace/symbol', () => ['workspace/symbol', { query: 'b' }]);
  add(caps.foldingRangeProvider, 'textDocument/foldingRange', (u) => ['textDocument/foldingRange', td(u)]);
  add(caps.selectionRangeProvider, 'textDocument/selectionRange', (u, p) => ['textDocument/selectionRange', { ...td(u), positions: [p] }]);
  add(caps.documentLinkProvider, 'textDocument/documentLink', (u) => ['textDocument/documentLink', td(u)]);
  add(caps.codeLensProvider, 'textDocument/codeLens', (u) => ['textDocument/codeLens', td(u)]);
  add(caps.inlayHintProvider, 'textDocument/inlayHint', (u, _p, t) => ['textDocument/inlayHint', { ...td(u), range: whole(t) }]);
  add(caps.codeActionProvider, 'textDocument/codeAction', (u, p, _t, d) => [
    'textDocument/codeAction',
    { ...td(u), range: { start: { line: p.line, character: 0 }, end: p }, context: { diagnostics: d.filter((x) => x.range.start.line === p.line) } },
  ]);
  add(caps.documentFormattingProvider, 'textDocument/formatting', (u) => ['textDocument/formatting', { ...td(u), options }]);
  add(caps.documentRangeFormattingProvider, 'textDocument/rangeFormatting', (u, p) => [
    'textDocument/rangeFormatting',
    { ...td(u), range: { start: { line: Math.max(0, p.line - 3), character: 0 }, end: p }, options },
  ]);
  const onType = caps.documentOnTypeFormattingProvider;
  add(onType, 'textDocument/onTypeFormatting', (u, p) => ['textDocument/onTypeFormatting', { ...at(u, p), ch: onType!.firstTriggerCharacter, options }]);
  add(caps.renameProvider, 'textDocument/rename', (u, p) => ['textDocument/rename', { ...at(u, p), newName: 'renamed_1' }]);
  add(typeof caps.renameProvider === 'object' && caps.renameProvider.prepareProvider, 'textDocument/prepareRename', (u, p) => ['textDocument/prepareRename', at(u, p)]);
  const tokens = caps.semanticTokensProvider;
  add(tokens?.full, 'textDocument/semanticTokens/full', (u) => ['textDocument/semanticTokens/full', td(u)]);
  add(tokens?.range, 'textDocument/semanticTokens/range', (u, _p, t) => ['textDocument/semanticTokens/range', { ...td(u), range: whole(t) }]);
  add(caps.diagnosticProvider, 'textDocument/diagnostic', (u) => ['textDocument/diagnostic', td(u)]);
  return makers;
}

function corpusFiles(): string[] {
  const all = readdirSync(CORPUS)
    .filter((n) => n.endsWith('.cfg'))
    .sort()
    .filter((n) => readFileSync(join(CORPUS, n), 'utf8').split('\n').length <= 400);
  const step = Math.max(1, Math.floor(all.length / FILES));
  return all.filter((_, i) => i % step === 0).slice(0, FILES);
}

describe.skipIf(!hasCorpus)('the server under random incremental edits', () => {
  it('stays up, answers every request and still publishes diagnostics afterwards', async () => {
    const started = performance.now();
    const random = prng(SEED);
    const dir = mkdtempSync(join(tmpdir(), 'haplo-random-'));
    const child = spawn(process.execPath, [join(ROOT, 'bin/haplo.js'), 'lsp', '--stdio'], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const latest = new Map<string, Diagnostic[]>();
    const listeners = new Set<(p: PublishDiagnosticsParams) => void>();
    connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      latest.set(p.uri, p.diagnostics);
      for (const listen of listeners) listen(p);
    });
    // Whatever the server asks of the client (configuration, registrations, progress) gets an empty answer.
    connection.onRequest((method: string, params: any) => (method === 'workspace/configuration' ? params.items.map(() => ({})) : null));
    connection.listen();

    /** Resolves with the first publication for `uri` that satisfies `accept`, from now on. */
    const published = (uri: string, accept: (d: Diagnostic[]) => boolean, timeoutMs = 10_000) =>
      new Promise<Diagnostic[]>((done, fail) => {
        const listen = (p: PublishDiagnosticsParams) => {
          if (p.uri !== uri || !accept(p.diagnostics)) return;
          listeners.delete(listen);
          clearTimeout(timer);
          done(p.diagnostics);
        };
        const timer = setTimeout(() => {
          listeners.delete(listen);
          fail(new Error(`no matching diagnostics for ${uri} within ${timeoutMs} ms; last: ${JSON.stringify(latest.get(uri))}`));
        }, timeoutMs);
        listeners.add(listen);
      });

    const stats = { files: 0, edits: 0, requests: 0, errors: new Map<string, number>(), firstErrors: [] as string[], slowest: 0 };
    try {
      const init: any = await connection.sendRequest('initialize', {
        processId: process.pid,
        rootUri: pathToFileURL(dir).href,
        workspaceFolders: [{ uri: pathToFileURL(dir).href, name: 'random' }],
        capabilities: { textDocument: { completion: { completionItem: { snippetSupport: true } }, publishDiagnostics: { relatedInformation: true } }, workspace: { configuration: true } },
        initializationOptions: { haplo: { inheritEnv: false } },
      });
      await connection.sendNotification('initialized', {});
      const caps: ServerCapabilities = init.capabilities;
      const sync = typeof caps.textDocumentSync === 'object' ? caps.textDocumentSync.change : caps.textDocumentSync;
      expect(sync, 'the server takes incremental changes').toBe(2);
      const makers = [...requestsFor(caps).values()];
      console.log(`random edits: seed ${SEED}; requests advertised: ${[...requestsFor(caps).keys()].join(', ') || '(none)'}`);

      const request = async (method: string, params: unknown) => {
        stats.requests++;
        const t0 = performance.now();
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_, fail) => (timer = setTimeout(() => fail(new Error(`${method} did not answer within ${REQUEST_TIMEOUT_MS} ms`)), REQUEST_TIMEOUT_MS)));
        try {
          await Promise.race([connection.sendRequest(method, params), timeout]);
        } catch (error) {
          // A JSON-RPC error response is an answer; anything else (timeout, closed stream) is a failure.
          if (!(error instanceof ResponseError)) throw error;
          stats.errors.set(method, (stats.errors.get(method) ?? 0) + 1);
          if (stats.firstErrors.length < 5) stats.firstErrors.push(`${method}: ${error.code} ${error.message}`);
        } finally {
          clearTimeout(timer);
          stats.slowest = Math.max(stats.slowest, performance.now() - t0);
        }
      };

      for (const name of corpusFiles()) {
        if (performance.now() - started > EDIT_BUDGET_MS) break;
        stats.files++;
        const original = readFileSync(join(CORPUS, name), 'utf8');
        const uri = pathToFileURL(join(dir, name)).href;
        const opened = published(uri, () => true);
        await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'haproxy', version: 1, text: original } });
        const initial = await opened;
        let text = original;
        let version = 1;
        for (let i = 0; i < EDITS_PER_FILE && performance.now() - started < EDIT_BUDGET_MS; i++) {
          const { edit, next } = randomEdit(random, text);
          text = next;
          stats.edits++;
          await connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: ++version }, contentChanges: [edit] });
          if (makers.length && random() < 1 / REQUEST_EVERY) {
            const position = positionAt(text, Math.floor(random() * (text.length + 1)));
            const [method, params] = makers[Math.floor(random() * makers.length)]!(uri, position, text, latest.get(uri) ?? []);
            await request(method, params);
          }
          expect(child.exitCode, `server exited; stderr: ${stderr}`).toBeNull();
        }
        // Put the original text back with one range edit over everything: the server's copy
        // must have followed every edit for the diagnostics to come out as they did at first.
        const restored = published(uri, (d) => JSON.stringify(d) === JSON.stringify(initial));
        await connection.sendNotification('textDocument/didChange', {
          textDocument: { uri, version: ++version },
          contentChanges: [{ range: { start: { line: 0, character: 0 }, end: positionAt(text, text.length) }, text: original }],
        });
        await restored;
        await connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
      }
      const errors = [...stats.errors].map(([m, n]) => `${m} ×${n}`).join(', ') || 'none';
      console.log(
        `random edits: ${stats.files} files, ${stats.edits} edits, ${stats.requests} requests (slowest ${stats.slowest.toFixed(1)} ms), ` +
          `error responses: ${errors}${stats.firstErrors.length ? `\n  ${stats.firstErrors.join('\n  ')}` : ''}; ${((performance.now() - started) / 1000).toFixed(1)} s`,
      );
      expect(stats.edits).toBeGreaterThanOrEqual(1_000);
      expect(child.exitCode, `server exited; stderr: ${stderr}`).toBeNull();
    } finally {
      connection.dispose();
      child.kill();
    }
  }, 60_000);
});
