// The runtime API's sockets (HAProxy's CLI): a line is one or more `;`-separated commands; by
// default the answer is written and the connection closed; `prompt` keeps it open with `> `
// after each answer until `quit` or the client leaves. Commands act on whatever generation
// `current()` returns when they run, so the sockets outlive reloads.
import { rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { commandWords, runCommand, type CliLevel, type CommandContext } from './commands.js';
import type { CliAddress } from './socket-address.js';

/** Lines longer than HAProxy's buffer are not commands. */
const MAX_LINE = 16384;

function serve(socket: Socket, level: CliLevel, current: () => CommandContext): void {
  let buffered = '';
  let prompt = false;
  socket.setEncoding('utf8');
  socket.on('error', () => socket.destroy());
  socket.on('data', (chunk: string) => {
    buffered += chunk;
    if (buffered.length > MAX_LINE) {
      socket.destroy();
      return;
    }
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl).replace(/\r$/, '');
      buffered = buffered.slice(nl + 1);
      let out = '';
      let quit = false;
      for (const part of line.split(';')) {
        const words = commandWords(part);
        if (words.length === 0) continue;
        if (words[0] === 'quit') {
          quit = true;
          break;
        }
        if (words[0] === 'prompt') {
          prompt = !prompt;
          continue;
        }
        out += runCommand(current(), words, level);
      }
      if (quit) {
        socket.end(out);
        return;
      }
      if (!prompt) {
        socket.end(out);
        return;
      }
      socket.write(`${out}> `);
    }
  });
}

export interface CliServer {
  address: CliAddress;
  close(): Promise<void>;
}

export async function listenCli(address: CliAddress, current: () => CommandContext): Promise<CliServer> {
  const server: Server = createServer((s) => serve(s, address.level, current));
  if (address.kind === 'unix') rmSync(address.path, { force: true });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    if (address.kind === 'unix') server.listen(address.path, () => resolve());
    else server.listen(address.port, address.host, () => resolve());
  });
  server.unref();
  return {
    address,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      if (address.kind === 'unix') rmSync(address.path, { force: true });
    }),
  };
}
