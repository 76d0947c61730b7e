// Starts the real server (`node bin/haplo.js lsp --stdio`, so `npm test`'s build must have run)
// and speaks LSP to it. Fixtures mark the cursor with `<|>`.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type Diagnostic,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';

const ROOT = resolve(import.meta.dirname, '../..');

export interface Cursor {
  line: number;
  character: number;
}

/** Removes the `<|>` marker and returns the text and the marker's position. */
export function withCursor(marked: string): { text: string; cursor: Cursor } {
  const at = marked.indexOf('<|>');
  if (at < 0) throw new Error('fixture has no <|> cursor marker');
  const text = marked.slice(0, at) + marked.slice(at + 3);
  const before = text.slice(0, at).split('\n');
  return { text, cursor: { line: before.length - 1, character: before[before.length - 1]!.length } };
}

export interface Client {
  connection: ProtocolConnection;
  process: ChildProcess;
  /** A temporary workspace folder for this client's files. */
  dir: string;
  /** Opens a document (writing it to disk too) and returns its URI. */
  open(name: string, text: string): Promise<string>;
  change(uri: string, text: string): Promise<void>;
  /** The next diagnostics published for `uri` after this call (or already pending). */
  diagnostics(uri: string, timeoutMs?: number): Promise<Diagnostic[]>;
  request<R>(method: string, params: unknown): Promise<R>;
  close(): Promise<void>;
}

export async function startClient(initializationOptions: unknown = {}): Promise<Client> {
  const dir = mkdtempSync(join(tmpdir(), 'haplo-lsp-'));
  const child = spawn(process.execPath, [join(ROOT, 'bin/haplo.js'), 'lsp', '--stdio'], { cwd: dir, stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const published = new Map<string, PublishDiagnosticsParams[]>();
  const waiters = new Map<string, ((d: Diagnostic[]) => void)[]>();
  connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    const waiting = waiters.get(p.uri);
    if (waiting?.length) waiting.shift()!(p.diagnostics);
    else published.set(p.uri, [...(published.get(p.uri) ?? []), p]);
  });
  connection.onRequest('workspace/configuration', () => [{}]);
  connection.listen();
  const rootUri = pathToFileURL(dir).href;
  await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri,
    workspaceFolders: [{ uri: rootUri, name: 'test' }],
    capabilities: {
      textDocument: {
        completion: { completionItem: { snippetSupport: true } },
        hover: { contentFormat: ['markdown', 'plaintext'] },
        publishDiagnostics: { tagSupport: { valueSet: [1, 2] }, relatedInformation: true },
      },
      workspace: { workspaceFolders: true, configuration: true },
    },
    initializationOptions,
  });
  await connection.sendNotification('initialized', {});
  const versions = new Map<string, number>();
  return {
    connection,
    process: child,
    dir,
    async open(name, text) {
      const path = join(dir, name);
      writeFileSync(path, text);
      const uri = pathToFileURL(path).href;
      versions.set(uri, 1);
      await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'haproxy', version: 1, text } });
      return uri;
    },
    async change(uri, text) {
      const version = (versions.get(uri) ?? 1) + 1;
      versions.set(uri, version);
      await connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
    },
    diagnostics(uri, timeoutMs = 10_000) {
      const pending = published.get(uri);
      if (pending?.length) {
        const last = pending[pending.length - 1]!;
        published.delete(uri);
        return Promise.resolve(last.diagnostics);
      }
      return new Promise((resolveDiagnostics, reject) => {
        const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri} within ${timeoutMs} ms`)), timeoutMs);
        const list = waiters.get(uri) ?? [];
        list.push((d) => {
          clearTimeout(timer);
          resolveDiagnostics(d);
        });
        waiters.set(uri, list);
      });
    },
    request(method, params) {
      return connection.sendRequest(method, params);
    },
    async close() {
      try {
        await connection.sendRequest('shutdown');
        await connection.sendNotification('exit');
      } catch {
        // The server may already be gone; make sure the process is.
      }
      connection.dispose();
      child.kill();
    },
  };
}
