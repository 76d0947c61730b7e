// Entry of the bundled server (dist/server.js): the same startServer() that `haplo lsp --stdio`
// runs; createConnection() reads the transport (`--stdio`, `--node-ipc`) from the command line.
import { startServer } from '../../dist/server.js';

// With --stdio the connection reads standard input; the server's idle-time work watches it too.
startServer(undefined, process.argv.includes('--stdio') ? process.stdin : undefined);
