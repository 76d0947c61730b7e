// The runtime API as a ProcessService: the sockets are bound by the first generation that
// starts and closed when the last one stops, so a reload (start new, stop old) keeps them;
// commands always act on the most recently started generation.
import type { ProcessService } from '../process/proxy-process.js';
import type { ProxyContext } from '../process/types.js';
import { statsSource } from '../stats/sources.js';
import { listenCli, type CliServer } from './cli-server.js';
import type { CommandContext } from './commands.js';
import { statsSockets } from './socket-address.js';

export interface RuntimeApiOptions {
  /** Connections being served now (show info CurrConns). */
  connections?: () => number;
  /** Where bind failures go. */
  log?: (line: string) => void;
}

/** One per process: returns the per-generation service factory. */
export function runtimeApi(options: RuntimeApiOptions = {}): (ctx: ProxyContext) => ProcessService {
  const startedAt = Date.now();
  let current: ProxyContext | undefined;
  let running = 0;
  let servers: Promise<CliServer[]> | undefined;
  const log = options.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const context = (): CommandContext => ({
    source: statsSource(current!),
    processStartedAt: startedAt,
    currentConnections: options.connections ?? (() => 0),
  });
  const bind = (ctx: ProxyContext): Promise<CliServer[]> => Promise.all(
    statsSockets(ctx.pipeline.model).map((a) => listenCli(a, context).catch((e: Error) => {
      log(`haplo run: stats socket ${a.kind === 'unix' ? a.path : `${a.host}:${a.port}`}: ${e.message}`);
      return undefined;
    })),
  ).then((list) => list.filter((s): s is CliServer => s !== undefined));
  return (ctx) => ({
    start() {
      current = ctx;
      running++;
      servers ??= bind(ctx);
    },
    stop() {
      running--;
      if (running > 0 || !servers) return;
      const closing = servers;
      servers = undefined;
      void closing.then((list) => Promise.all(list.map((s) => s.close())));
    },
  });
}

/** Resolves once the sockets of a started runtime API are bound (tests). */
export type { CliServer };
