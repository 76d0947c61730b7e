// `haplo run`: load and check the configuration (errors stop it before any socket opens), then
// serve it until SIGTERM/SIGINT (at once) or SIGUSR1 (softly); SIGHUP reloads it. One
// `listening` line per socket tells scripts and tests it is ready. `-c` stops after the check,
// like `haproxy -c`.
import { loadConfig, renderDiagnostic, type LoadRequest } from '../config/load-config.js';
import { defaultProcessOptions } from '../process/defaults.js';
import { ProxyProcess, type ProxyProcessOptions } from '../process/proxy-process.js';
import type { ProxyIo } from './io.js';
import { reloadConfiguration } from './reload-config.js';
import { parseRunArgs, RUN_USAGE } from './run-args.js';
import { serveUntilStopped } from './serve-until-stopped.js';

export async function runRun(args: string[], io: ProxyIo, options: ProxyProcessOptions = defaultProcessOptions()): Promise<number> {
  const parsed = parseRunArgs(args);
  if (parsed.kind === 'help') {
    io.stdout(RUN_USAGE);
    return 0;
  }
  if (parsed.kind === 'misuse') {
    io.stderr(`haplo run: ${parsed.message}\n\n${RUN_USAGE}`);
    return 2;
  }
  const request: LoadRequest = { files: parsed.files, envFile: parsed.envFile, cwd: io.cwd, env: io.env };
  const loaded = loadConfig(request);
  if (!loaded.ok) {
    if (loaded.kind === 'misuse') {
      io.stderr(`haplo run: ${loaded.message}\n`);
      return 2;
    }
    for (const d of loaded.diagnostics) io.stderr(`${renderDiagnostic(d)}\n`);
    const n = loaded.diagnostics.length;
    io.stderr(`haplo run: ${n} error${n === 1 ? '' : 's'} in the configuration; not starting (see 'haplo check')\n`);
    return 1;
  }
  const { config } = loaded;
  for (const d of config.diagnostics) io.stderr(`${renderDiagnostic(d)}\n`);
  for (const p of config.problems) io.stderr(`haplo run: ${p}\n`);
  if (parsed.check) {
    io.stdout('Configuration file is valid\n');
    return 0;
  }

  let proc: ProxyProcess;
  try {
    proc = new ProxyProcess(config, options);
  } catch (e) {
    io.stderr(`haplo run: ${(e as Error).message}\n`);
    return 1;
  }
  // Sessions catch their own errors; this is the last line, so that a bug met by one connection
  // is logged and never takes the whole proxy down with every other connection.
  const onUncaught = (e: unknown): void => io.stderr(`haplo run: unexpected error (continuing): ${(e as Error)?.stack ?? String(e)}\n`);
  process.on('uncaughtException', onUncaught);
  // A reload asked for while binding waits until serving; a stop stops.
  let started!: (ok: boolean) => void;
  const serving = new Promise<boolean>((resolve) => (started = resolve));
  const loop = serveUntilStopped(proc, io, async () => (await serving) && reloadConfiguration(proc, request, io));
  try {
    const listeners = await proc.start();
    for (const l of listeners) io.stdout(`haplo run: listening on ${l.address} (frontend ${l.frontend})\n`);
  } catch (e) {
    started(false);
    loop.cancel();
    process.off('uncaughtException', onUncaught);
    io.stderr(`haplo run: ${(e as Error).message}\n`);
    return 1;
  }
  started(true);
  await loop.stopped;
  process.off('uncaughtException', onUncaught);
  return 0;
}
