// A configuration ready to run: files read, checked with @haplo/parser (the same checks as
// `haplo check`), and compiled once into the simulator's pipeline. Errors stop here, before any
// socket opens (certificate and TLS problems too); warnings and compile problems are reported
// and the proxy starts anyway.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { checkSources, defaultEnvironment, type Diagnostic, type Model } from '@haplo/parser';
import { compilePipeline, type Pipeline } from '@haplo/sim';
import { loadTls, type LoadedTls } from '../tls/load-tls.js';
import { loadEnvFile, loadSources } from './load-files.js';

export interface LoadRequest {
  files: readonly string[];
  /** `--env FILE`: replaces the process environment for `.if`, `${VAR}` and env(). */
  envFile?: string;
  cwd: string;
  env: Record<string, string | undefined>;
}

export interface LoadedConfig {
  model: Model;
  pipeline: Pipeline;
  /** Warnings (and infos) to show; never errors. */
  diagnostics: Diagnostic[];
  /** Problems the compiler met (unreadable map files…), as `file:line: message`. */
  problems: string[];
  /** Certificates and TLS settings of `bind … ssl` and `server … ssl`, loaded once. */
  tls: LoadedTls;
}

export type LoadOutcome =
  | { ok: true; config: LoadedConfig }
  /** `misuse`: a file could not be read (exit 2); `errors`: the configuration has errors (exit 1). */
  | { ok: false; kind: 'misuse'; message: string }
  | { ok: false; kind: 'errors'; diagnostics: Diagnostic[] };

export function loadConfig(req: LoadRequest): LoadOutcome {
  let vars = req.env;
  if (req.envFile !== undefined) {
    const env = loadEnvFile(req.envFile, req.cwd);
    if (!env.ok) return { ok: false, kind: 'misuse', message: env.message };
    vars = env.value;
  }
  const sources = loadSources(req.files, req.cwd);
  if (!sources.ok) return { ok: false, kind: 'misuse', message: sources.message };
  const readFile = (p: string): string | undefined => {
    try {
      return readFileSync(resolve(req.cwd, p), 'utf8');
    } catch {
      return undefined;
    }
  };
  const checked = checkSources(sources.value, {
    env: defaultEnvironment(vars),
    readFile,
    fileExists: (p) => existsSync(resolve(req.cwd, p)),
  });
  const shown = checked.diagnostics.filter((d) => d.severity !== 'hint');
  const errors = shown.filter((d) => d.severity === 'error');
  if (errors.length) return { ok: false, kind: 'errors', diagnostics: errors };
  // Certificates are read now, before any socket opens: an unreadable one stops the start, as
  // in HAProxy. Relative paths start at the working directory (crt-base / ca-base aside).
  const tls = loadTls(checked.model, { cwd: req.cwd });
  if (tls.failed) return { ok: false, kind: 'errors', diagnostics: tls.diagnostics.filter((d) => d.severity === 'error') };
  const definedEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(vars)) if (v !== undefined) definedEnv[k] = v;
  const pipeline = compilePipeline(checked.model, { env: definedEnv, readFile });
  const problems = pipeline.problems.map((p) => {
    const file = p.range ? sectionFileAt(checked.model, p.range.start.line) : undefined;
    return p.range ? `${file ?? ''}:${p.range.start.line + 1}: ${p.message}` : p.message;
  });
  return { ok: true, config: { model: checked.model, pipeline, diagnostics: [...shown, ...tls.diagnostics], problems, tls } };
}

/** A compile problem names a range only; with one file that is the file (else left blank). */
function sectionFileAt(model: Model, _line: number): string | undefined {
  return model.files.length === 1 ? model.files[0]!.path : undefined;
}

/** `file:line:col: severity[CODE]: message`, one line, as `haplo check` prints its headers. */
export function renderDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.range.start.line + 1}:${d.range.start.column + 1}: ${d.severity}[${d.code}]: ${d.message}`;
}
