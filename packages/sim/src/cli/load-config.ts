// Loading a configuration for sim/test: read it, check it with @haplo/parser (errors are
// printed as diagnostics and stop the command with exit 1), read `--env FILE`, and compile
// the pipeline with files read relative to the working directory.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { checkSources, defaultEnvironment, parseEnvFile, type Diagnostic } from '@haplo/parser';
import { compilePipeline, type Pipeline } from '../pipeline/compile.js';
import type { SimIo } from './io.js';

export type Loaded = { ok: true; pipeline: Pipeline } | { ok: false; code: number };

function readText(io: SimIo, path: string): string | undefined {
  try {
    return readFileSync(resolve(io.cwd, path), 'utf8');
  } catch {
    return undefined;
  }
}

function renderDiagnostic(d: Diagnostic, io: SimIo): string {
  const c = io.color;
  const paint = d.severity === 'error' ? c.red.bold : c.yellow.bold;
  return `${c.bold(`${d.file}:${d.range.start.line + 1}:${d.range.start.column + 1}:`)} ${paint(`${d.severity}[${d.code}]`)}: ${d.message}\n`;
}

export function loadConfig(command: string, configPath: string, envFile: string | undefined, io: SimIo): Loaded {
  const text = readText(io, configPath);
  if (text === undefined) {
    io.stderr(`haplo ${command}: cannot read '${configPath}'\n`);
    return { ok: false, code: 2 };
  }
  let vars: Record<string, string | undefined> = io.env;
  if (envFile !== undefined) {
    const envText = readText(io, envFile);
    if (envText === undefined) {
      io.stderr(`haplo ${command}: --env: cannot read '${envFile}'\n`);
      return { ok: false, code: 2 };
    }
    const parsed = parseEnvFile(envText, envFile);
    if (!parsed.ok) {
      io.stderr(`haplo ${command}: --env: ${parsed.message}\n`);
      return { ok: false, code: 2 };
    }
    vars = parsed.vars;
  }
  const readFile = (p: string): string | undefined => readText(io, p);
  const checked = checkSources([{ path: configPath, text }], {
    env: defaultEnvironment(vars),
    readFile,
    fileExists: (p) => readText(io, p) !== undefined,
  });
  const errors = checked.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) {
    for (const d of errors) io.stderr(renderDiagnostic(d, io));
    io.stderr(`haplo ${command}: ${errors.length} error${errors.length > 1 ? 's' : ''} in ${configPath}; fix ${errors.length > 1 ? 'them' : 'it'} first (haplo check ${configPath})\n`);
    return { ok: false, code: 1 };
  }
  const definedEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(vars)) if (v !== undefined) definedEnv[k] = v;
  const pipeline = compilePipeline(checked.model, { env: definedEnv, readFile });
  for (const p of pipeline.problems) {
    const where = p.range ? `${configPath}:${p.range.start.line + 1}: ` : '';
    io.stderr(io.color.yellow(`haplo ${command}: ${where}${p.message}\n`));
  }
  return { ok: true, pipeline };
}
