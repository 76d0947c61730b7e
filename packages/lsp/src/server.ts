// The language server: a connection, the documents the editor has open, the workspace that
// analyses them, and one registration per feature. Entry points only wire things together.
import type { Connection } from 'vscode-languageserver/node';
import { createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind } from './language-server-api.js';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { capabilities } from './capabilities.js';
import { features } from './features/index.js';
import { warmUpWhileIdle } from './warm-up.js';
import { uriToPath, Workspace } from './workspace.js';

/**
 * `input` is the stream the connection reads, when it is one (stdio): the warm-up then waits for
 * it to be quiet, so that it never runs between the pieces of a document being received.
 */
export function startServer(connection: Connection = createConnection(ProposedFeatures.all), input?: NodeJS.ReadableStream): Connection {
  const documents = new TextDocuments(TextDocument);
  let lastInput = -Infinity;
  const workspace = new Workspace(documents);
  connection.onInitialize((params) => {
    workspace.roots = (params.workspaceFolders ?? []).map((f) => uriToPath(f.uri));
    if (workspace.roots.length === 0 && params.rootUri) workspace.roots = [uriToPath(params.rootUri)];
    workspace.setSettings(params.initializationOptions?.haplo ?? params.initializationOptions);
    return { capabilities: { ...capabilities, textDocumentSync: TextDocumentSyncKind.Incremental }, serverInfo: { name: 'haplo', version: '0.1.0' } };
  });
  connection.onInitialized(() => warmUpWhileIdle(() => documents.all().length === 0, () => lastInput));
  for (const register of features) register(connection, workspace);
  documents.listen(connection);
  connection.listen();
  // Attached once listen() has set the connection's reader on the stream.
  input?.on('data', () => (lastInput = performance.now()));
  return connection;
}
