// The whole pipeline for one set of files loaded together (like `haproxy -f a -f b`):
// parse each file, bind them into one model, run every check. Never throws on user text.
import type { ConfigFile } from './ast/nodes.js';
import { allChecks } from './checks/index.js';
import { runChecks } from './checks/registry.js';
import type { Diagnostic } from './diagnostics/diagnostic.js';
import { filterSuppressed } from './diagnostics/suppression.js';
import { defaultEnvironment, type Environment } from './lexer/environment.js';
import { buildModel } from './model/build-model.js';
import type { Model } from './model/types.js';
import { parseConfig } from './parse/document-parser.js';

export interface SourceInput {
  path: string;
  text: string;
}

export interface CheckOptions {
  env?: Environment;
  fileExists?: (path: string) => boolean;
  readFile?: (path: string) => string | undefined;
}

export interface CheckResult {
  files: ConfigFile[];
  model: Model;
  diagnostics: Diagnostic[];
}

export function checkSources(inputs: readonly SourceInput[], options: CheckOptions = {}): CheckResult {
  const env = options.env ?? defaultEnvironment();
  const files: ConfigFile[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const input of inputs) {
    const parsed = parseConfig(input.text, input.path, { env });
    files.push(parsed.file);
    diagnostics.push(...parsed.diagnostics);
  }
  const model = buildModel(files);
  diagnostics.push(...runChecks(model, allChecks, { env, fileExists: options.fileExists, readFile: options.readFile, prior: diagnostics }));
  return { files, model, diagnostics: sortDiagnostics(filterSuppressed(diagnostics, files)) };
}

function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  const fileOrder = new Map<string, number>();
  for (const d of diagnostics) if (!fileOrder.has(d.file)) fileOrder.set(d.file, fileOrder.size);
  return diagnostics.sort(
    (a, b) => fileOrder.get(a.file)! - fileOrder.get(b.file)! || a.range.start.offset - b.range.start.offset,
  );
}
