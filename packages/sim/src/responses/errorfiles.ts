// `errorfile <code> <file>`, `errorfiles <http-errors> [code…]` and `http-errors` sections: the
// replies a proxy uses instead of the built-in messages. Files are read once, at compile time,
// through the injected reader. HAProxy replays the file as the whole response, status line
// included; on the wire header names come out lower-cased and `connection` is dropped (observed).
import type { Model, ProxyModel, Section, Statement } from '@haplo/parser';
import { reportProblem, type CompileEnv } from '../compile-env.js';
import { builtinReply, ERROR_CODES } from './status.js';
import { cloneReply, type Reply } from './reply.js';

/** The replies one proxy answers with, by status code. */
export interface ErrorCatalog {
  /** The proxy's errorfile for `code`, else undefined. */
  custom(code: number): Reply | undefined;
}

/** Parses an errorfile: a raw HTTP response. Undefined when it does not start with a status line. */
export function parseErrorFile(text: string): Reply | undefined {
  const sep = text.search(/\r?\n\r?\n/);
  const head = sep < 0 ? text : text.slice(0, sep);
  const body = sep < 0 ? '' : text.slice(sep).replace(/^\r?\n\r?\n/, '');
  const lines = head.split(/\r?\n/);
  const m = /^HTTP\/\d\.\d\s+(\d{3})(?:\s+(.*))?$/.exec(lines[0] ?? '');
  if (!m) return undefined;
  const headers: [string, string][] = [];
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (name === 'connection') continue;
    headers.push([name, line.slice(colon + 1).trim()]);
  }
  return { status: Number(m[1]), reason: m[2] ?? '', headers, body };
}

type Files = Map<number, Reply>;

function loadFile(env: CompileEnv, path: string, stmt: Statement): Reply | undefined {
  const text = env.readFile?.(path);
  if (text === undefined) {
    reportProblem(env, `errorfile : error opening file <${path}>.`, stmt.range);
    return undefined;
  }
  const reply = parseErrorFile(text);
  if (!reply) reportProblem(env, `errorfile : unable to parse <${path}> as an HTTP response.`, stmt.range);
  return reply;
}

/** The `errorfile` lines of an `http-errors` section, by code. */
export function httpErrorsSection(section: Section, env: CompileEnv): Files {
  const files: Files = new Map();
  for (const st of section.statements) {
    if (st.keyword !== 'errorfile') continue;
    const code = Number(st.args[0]?.value);
    const path = st.args[1]?.value;
    if (!path || !ERROR_CODES.includes(code)) continue;
    const r = loadFile(env, path, st);
    if (r) files.set(code, r);
  }
  return files;
}

/** Compiles the errorfile settings of `proxy` (its defaults' first, then its own, later lines winning). */
export function compileErrorCatalog(proxy: ProxyModel, model: Model, env: CompileEnv, sections: HttpErrorsIndex): ErrorCatalog {
  const chain: ProxyModel[] = [];
  for (let p: ProxyModel | undefined = proxy; p; p = p.defaults) chain.unshift(p);
  const files: Files = new Map();
  for (const p of chain) {
    for (const st of p.errorFiles) {
      if (st.keyword === 'errorfile') {
        const code = Number(st.args[0]?.value);
        const path = st.args[1]?.value;
        if (!path || !ERROR_CODES.includes(code)) continue;
        const r = loadFile(env, path, st);
        if (r) files.set(code, r);
      } else if (st.keyword === 'errorfiles') {
        const set = sections.get(st.args[0]?.value ?? '', env);
        if (!set) continue;
        const codes = st.args.slice(1).map((w) => Number(w.value));
        for (const [code, r] of set) if (codes.length === 0 || codes.includes(code)) files.set(code, r);
      }
    }
  }
  void model;
  return { custom: (code) => { const r = files.get(code); return r && cloneReply(r); } };
}

/** `http-errors` sections of a model, compiled on first use. */
export interface HttpErrorsIndex {
  get(name: string, env: CompileEnv): Files | undefined;
}

export function httpErrorsIndex(model: Model): HttpErrorsIndex {
  const compiled = new Map<string, Files>();
  return {
    get(name, env) {
      let f = compiled.get(name);
      if (f) return f;
      const section = model.namedSections.get('http-errors')?.find((s) => s.name?.value === name);
      if (!section) return undefined;
      f = httpErrorsSection(section, env);
      compiled.set(name, f);
      return f;
    },
  };
}

/**
 * The reply HAProxy sends for error `code` in a stream whose backend is `be` and frontend `fe`:
 * the backend's errorfile first, then the frontend's, then the built-in message.
 */
export function errorReply(code: number, catalogs: readonly (ErrorCatalog | undefined)[]): Reply {
  for (const c of catalogs) {
    const r = c?.custom(code);
    if (r) return r;
  }
  return builtinReply(code) ?? builtinReply(500)!;
}
