// Checks are small named functions over the model; each reports against a node and the range
// comes from the node. The runner calls them all and never lets one crash the others.
import type { Range } from '../ast/nodes.js';
import type { CodeInfo } from '../diagnostics/codes.js';
import type { Diagnostic, Fix } from '../diagnostics/diagnostic.js';
import type { Environment } from '../lexer/environment.js';
import type { Model } from '../model/types.js';

export interface CheckOptions {
  env: Environment;
  /** Whether a file named in the config exists (certificates, maps, error files). */
  fileExists?: (path: string) => boolean;
  /** Reads a file named in the config (pattern and map files), when available. */
  readFile?: (path: string) => string | undefined;
  /** Diagnostics found before the checks (the parser's), visible through `errorsSoFar`. */
  prior?: readonly Diagnostic[];
}

export interface ReportExtra {
  fixes?: Fix[];
  related?: Diagnostic['related'];
  deprecated?: boolean;
  unnecessary?: boolean;
  /** Overrides the code's default severity (HAProxy warns in some contexts, fails in others). */
  severity?: Diagnostic['severity'];
}

export interface CheckContext {
  model: Model;
  options: CheckOptions;
  report(info: CodeInfo, file: string, range: Range, message: string, extra?: ReportExtra): void;
  /**
   * Every error so far: the parser's and those of the checks run before this one. For checks
   * that depend on others' findings (they are registered last).
   */
  errorsSoFar(): Diagnostic[];
}

export interface Check {
  name: string;
  run(ctx: CheckContext): void;
}

export function runChecks(model: Model, checks: readonly Check[], options: CheckOptions): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const ctx: CheckContext = {
    model,
    options,
    report(info, file, range, message, extra = {}) {
      const { severity, ...rest } = extra;
      diagnostics.push({ code: info.code, severity: severity ?? info.severity, file, range, message, ...rest });
    },
    errorsSoFar() {
      return [...(options.prior ?? []), ...diagnostics].filter((d) => d.severity === 'error');
    },
  };
  for (const check of checks) {
    try {
      check.run(ctx);
    } catch (error) {
      // A bug in one check must not hide the others' findings or crash an editor.
      const first = model.files[0];
      diagnostics.push({
        code: 'HAP9999',
        severity: 'info',
        file: first?.path ?? '',
        range: { start: { line: 0, column: 0, offset: 0 }, end: { line: 0, column: 0, offset: 0 } },
        message: `internal error in check '${check.name}': ${(error as Error).message}; please report it`,
      });
    }
  }
  return diagnostics;
}
