// Loopback TCP endpoints for the TCP-mode benchmark: a sink that swallows bytes (bulk
// throughput) and an echo server (new connections per second).
//   node tcp-peers.js sink PORT | echo PORT
import { createServer } from 'node:net';

const [kind, port] = process.argv.slice(2);
createServer((s) => {
  s.on('error', () => s.destroy());
  if (kind === 'echo') s.pipe(s);
  else s.on('data', () => {}).on('end', () => s.end('done'));
}).listen(Number(port), '127.0.0.1');
