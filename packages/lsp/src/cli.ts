// `haplo lsp --stdio`: runs the language server on standard input and output.
import { createConnection, ProposedFeatures, StreamMessageReader, StreamMessageWriter } from './language-server-api.js';
import { startServer } from './server.js';

const USAGE = `Usage: haplo lsp --stdio

Runs the haplo language server, speaking the Language Server Protocol on stdin/stdout.
Editors start it themselves; see README.md for VS Code, Neovim and other clients.
`;

/** `argv` starts with the subcommand name, as the `haplo` dispatcher passes it. */
export async function main([, ...argv]: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (!argv.includes('--stdio') || argv.some((a) => a !== '--stdio')) {
    process.stderr.write(USAGE);
    return 2;
  }
  startServer(createConnection(ProposedFeatures.all, new StreamMessageReader(process.stdin), new StreamMessageWriter(process.stdout)), process.stdin);
  // The connection ends the process on `exit`; until then keep running.
  await new Promise<never>(() => {});
  return 0;
}
