// Benchmark: the language server on a generated 25,000-line configuration, spoken to over stdio
// as an editor would (`haplo lsp --stdio`). Measures, from the client's side:
//   - time from didOpen to the first publishDiagnostics (the first open, and the median of 5
//     more opens of copies under other names, once the server is warm);
//   - time from a one-character didChange to its publishDiagnostics (median of 10);
//   - completion latency (median of 20 requests over a few typical positions).
// and prints them next to the goals and the figures of the best existing HAProxy extension.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver-protocol/node';
import { generateConfig } from './generate-config.js';

const LINES = 25_000;
const WARM_OPENS = 5;
const EDITS = 10;
const COMPLETIONS = 20;
const TIMEOUT_MS = 30_000;
const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = fileURLToPath(new URL('./out/', import.meta.url));
const file = `${outDir}lsp-25k.cfg`;

mkdirSync(outDir, { recursive: true });
const text = generateConfig(LINES);
writeFileSync(file, text);
const lines = text.split('\n');

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const now = () => performance.now();

// Extra node flags for the server only (e.g. HAPLO_LSP_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof').
const nodeArgs = (process.env.HAPLO_LSP_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
const child = spawn(process.execPath, [...nodeArgs, 'bin/haplo.js', 'lsp', '--stdio'], { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] });
const spawned = now();
const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
const waiters = new Map();
connection.onNotification('textDocument/publishDiagnostics', (p) => {
  const waiting = waiters.get(p.uri);
  // Only the diagnostics of the text just sent count: when the server says which version they
  // describe, earlier versions' are ignored.
  if (waiting && (p.version === undefined || p.version === waiting.version)) {
    waiters.delete(p.uri);
    waiting.resolve(p.diagnostics);
  }
});
connection.onRequest((method, params) => (method === 'workspace/configuration' ? params.items.map(() => ({})) : null));
connection.listen();
child.on('exit', (code) => {
  if (code !== 0 && code !== null) {
    console.error(`the server exited with ${code}`);
    process.exit(1);
  }
});

/** Sends a notification and resolves with the time until the next diagnostics for `uri`. */
function timeToDiagnostics(uri, method, params) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri} within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
    const start = now();
    const resolveOnce = (diagnostics) => {
      clearTimeout(timer);
      resolve({ ms: now() - start, diagnostics });
    };
    waiters.set(uri, { version: params.textDocument.version, resolve: resolveOnce });
    void connection.sendNotification(method, params);
  });
}

const open = (uri) => timeToDiagnostics(uri, 'textDocument/didOpen', { textDocument: { uri, languageId: 'haproxy', version: 1, text } });

/** The position just after `needle` on the first line containing it, at or after line `from`. */
function after(needle, from = 0) {
  for (let line = from; line < lines.length; line++) {
    const at = lines[line].indexOf(needle);
    if (at >= 0) return { line, character: at + needle.length };
  }
  throw new Error(`'${needle}' not in the generated configuration`);
}

/** The position just after the first match of `pattern` at or after line `from`. */
function afterPattern(pattern, from = 0) {
  for (let line = from; line < lines.length; line++) {
    const match = pattern.exec(lines[line]);
    if (match) return { line, character: match.index + match[0].length };
  }
  throw new Error(`${pattern} not in the generated configuration`);
}

const rootUri = pathToFileURL(root).href;
const init = await connection.sendRequest('initialize', {
  processId: process.pid,
  rootUri,
  workspaceFolders: [{ uri: rootUri, name: 'haplo' }],
  capabilities: { textDocument: { completion: { completionItem: { snippetSupport: true } }, publishDiagnostics: { relatedInformation: true } }, workspace: { configuration: true } },
  initializationOptions: { haplo: { inheritEnv: false } },
});
const startup = now() - spawned;
await connection.sendNotification('initialized', {});

// 1. First diagnostics: the very first open (cold: nothing compiled by V8 yet), then warm opens.
const uri = pathToFileURL(file).href;
const first = await open(uri);
const warm = [];
for (let i = 0; i < WARM_OPENS; i++) {
  const copy = pathToFileURL(`${outDir}lsp-25k-copy${i}.cfg`).href;
  warm.push((await open(copy)).ms);
  await connection.sendNotification('textDocument/didClose', { textDocument: { uri: copy } });
}

// 2. One keystroke: type a character into an ACL value in the middle of the file, then delete it.
const middle = after('path_beg /api/v', Math.floor(lines.length / 2));
const edits = [];
let version = 1;
for (let i = 0; i <= EDITS; i++) {
  const insert = i % 2 === 0;
  const range = { start: middle, end: insert ? middle : { line: middle.line, character: middle.character + 1 } };
  const { ms } = await timeToDiagnostics(uri, 'textDocument/didChange', { textDocument: { uri, version: ++version }, contentChanges: [{ range, text: insert ? '7' : '' }] });
  if (i > 0) edits.push(ms); // the first is a warm-up
}

// 3. Completion at a few typical places: a new keyword, a backend name, a sample fetch, an option.
let completion = 'n/a';
let firstCompletion;
const completionRows = [];
if (init.capabilities.completionProvider) {
  const places = [
    { what: 'keyword at line start', position: { line: after('    maxconn', Math.floor(lines.length / 3)).line, character: 4 } },
    { what: 'backend after use_backend', position: after('    use_backend ', Math.floor(lines.length / 2)) },
    { what: 'fetch after "acl name "', position: afterPattern(/^ {4}acl \S+ /, Math.floor((lines.length * 2) / 3)) },
    { what: 'value after "balance "', position: after('    balance ', Math.floor(lines.length / 4)) },
  ];
  const all = [];
  for (let i = 0; i < COMPLETIONS + places.length; i++) {
    const place = places[i % places.length];
    const start = now();
    const result = await connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: place.position, context: { triggerKind: 1 } });
    const ms = now() - start;
    const count = Array.isArray(result) ? result.length : (result?.items?.length ?? 0);
    if (i === 0) firstCompletion = ms; // the first request after the edits
    if (i >= places.length) all.push(ms); // one warm-up round over the places
    if (i >= places.length && i < places.length * 2) completionRows.push(`${place.what}: ${count} items, ${ms.toFixed(1)} ms`);
  }
  completion = median(all);
}

await connection.sendRequest('shutdown');
await connection.sendNotification('exit');
connection.dispose();

const fmt = (ms) => (typeof ms === 'number' ? `${ms.toFixed(1)} ms` : ms);
const verdict = (ms, goal) => (typeof ms !== 'number' ? 'not advertised' : ms < goal ? 'meets goal' : 'misses goal');
const rows = [
  ['first diagnostics after didOpen (cold)', first.ms, 100, '180–250 ms (24,000 lines)'],
  [`first diagnostics after didOpen (warm, median of ${WARM_OPENS})`, median(warm), 100, '180–250 ms (24,000 lines)'],
  [`diagnostics after a 1-char edit (median of ${EDITS})`, median(edits), 10, '11–13 ms'],
  [`completion (median of ${COMPLETIONS})`, completion, 10, '—'],
];
console.log(`\nlsp-25k: ${lines.length.toLocaleString('en')}-line config over stdio, ${first.diagnostics.length} diagnostics on open\n`);
console.log(`  ${'measure'.padEnd(52)}${'haplo'.padStart(10)}${'goal'.padStart(10)}   ${'best HAProxy extension'.padEnd(28)}verdict`);
for (const [name, ms, goal, peer] of rows) {
  console.log(`  ${name.padEnd(52)}${fmt(ms).padStart(10)}${`< ${goal} ms`.padStart(10)}   ${peer.padEnd(28)}${verdict(ms, goal)}`);
}
console.log(`\n  server start (spawn → initialize answered): ${startup.toFixed(0)} ms`);
if (firstCompletion !== undefined) console.log(`  first completion after the edits (not in the median; pays the analysis features read): ${firstCompletion.toFixed(1)} ms`);
if (completionRows.length) console.log(`\n  completion, one round: ${completionRows.join('; ')}`);
else console.log('\n  completion: the server does not advertise completionProvider in this build.');
console.log(`  edit timings (ms): ${edits.map((ms) => ms.toFixed(1)).join(' ')}\n`);
setTimeout(() => child.kill(), 500).unref();
