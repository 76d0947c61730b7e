// What compiling needs from outside: files (maps, -f pattern files) read once at load, and a
// place to report problems. Nothing here is consulted per request.
import type { Range } from '@haplo/parser';
import type { Userlist } from './auth/userlists.js';

export interface CompileProblem {
  message: string;
  range?: Range;
}

export interface CompileEnv {
  /** Reads a map or pattern file at compile time; undefined when it cannot be read. */
  readFile?(path: string): string | undefined;
  /** Receives compile problems; when absent, the first problem throws a SimCompileError. */
  report?(problem: CompileProblem): void;
  /** The configuration's userlists by name (http_auth, http_auth_group). */
  userlist?(name: string): Userlist | undefined;
}

/** Thrown at compile time only (never per request) when no `report` callback is given. */
export class SimCompileError extends Error {
  constructor(readonly problem: CompileProblem) {
    super(problem.message);
    this.name = 'SimCompileError';
  }
}

export function reportProblem(env: CompileEnv, message: string, range?: Range): void {
  const problem: CompileProblem = { message, range };
  if (env.report) env.report(problem);
  else throw new SimCompileError(problem);
}

/** Reads a file through the environment, reporting HAProxy's message when it is missing. */
export function readConfigFile(env: CompileEnv, path: string, range?: Range): string | undefined {
  const text = env.readFile?.(path);
  if (text === undefined) reportProblem(env, `failed to open pattern file <${path}>.`, range);
  return text;
}
