// VS Code entry: starts the bundled haplo language server (dist/server.js, run by VS Code's own
// Node) for `haproxy` documents and passes it the `haplo.*` settings. No logic lives here.
import * as path from 'node:path';
import { workspace, type ExtensionContext } from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

/** The `haplo` section as the server's HaploSettings (packages/lsp/src/settings.ts). */
function settings(): Record<string, unknown> {
  const config = workspace.getConfiguration('haplo');
  return { env: config.get('env'), inheritEnv: config.get('inheritEnv'), fileSets: config.get('fileSets'), targetVersion: config.get('targetVersion') };
}

export async function activate(context: ExtensionContext): Promise<void> {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.stdio },
    debug: { module, transport: TransportKind.stdio, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ language: 'haproxy' }],
    initializationOptions: { haplo: settings() },
    synchronize: { configurationSection: 'haplo' },
  };
  client = new LanguageClient('haplo', 'haplo (HAProxy)', serverOptions, clientOptions);
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
