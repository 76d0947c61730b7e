// SIGHUP: the configuration is read again from the same `-f` files (and `--env` file) and checked
// as at start. Errors leave the running configuration serving untouched; they are printed like
// at start, with one line saying the reload was refused. A good one becomes the next generation.
import { loadConfig, renderDiagnostic, type LoadRequest } from '../config/load-config.js';
import type { ProxyProcess } from '../process/proxy-process.js';
import type { ProxyIo } from './io.js';

/** Reloads `proc` from `request`; true when the new configuration is in place. */
export async function reloadConfiguration(proc: ProxyProcess, request: LoadRequest, io: ProxyIo): Promise<boolean> {
  const refuse = (why: string): false => {
    io.stderr(`haplo run: reload refused (${why}); still serving generation ${proc.generationId}\n`);
    return false;
  };
  const loaded = loadConfig(request);
  if (!loaded.ok) {
    if (loaded.kind === 'misuse') return refuse(loaded.message);
    for (const d of loaded.diagnostics) io.stderr(`${renderDiagnostic(d)}\n`);
    const n = loaded.diagnostics.length;
    return refuse(`${n} error${n === 1 ? '' : 's'} in the configuration`);
  }
  const { config } = loaded;
  for (const d of config.diagnostics) io.stderr(`${renderDiagnostic(d)}\n`);
  for (const p of config.problems) io.stderr(`haplo run: ${p}\n`);
  let result;
  try {
    result = await proc.reload(config);
  } catch (e) {
    return refuse((e as Error).message);
  }
  for (const l of result.opened) io.stdout(`haplo run: listening on ${l.address} (frontend ${l.frontend})\n`);
  for (const l of result.closed) io.stdout(`haplo run: no longer listening on ${l.address} (frontend ${l.frontend})\n`);
  io.stderr(`haplo run: reloaded configuration (generation ${result.generation})\n`);
  return true;
}
