// Every PEM file a bind line's `crt` and `crt-list` options name, in HAProxy's load order:
// options in the order written; a directory gives its files in alphabetical order, skipping
// dot files and the reserved extensions (.key, .issuer, .ocsp, .sctl). Relative paths start at
// crt-base when it is set, else at the working directory.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { Word } from '@haplo/parser';
import { parseCrtList } from './crt-list.js';

export interface CertificateSource {
  path: string;
  /** SNI filters from a crt-list line; empty means the certificate's own names. */
  filters: string[];
  /** crt-list `[ … ]` options. */
  options: Map<string, string>;
  /** The `crt`/`crt-list` word that named it. */
  word: Word;
  /** Where in a crt-list it was named (`list.txt:3`). */
  listLine?: string;
}

export interface SourceProblem {
  word: Word;
  message: string;
}

const RESERVED = ['.key', '.issuer', '.ocsp', '.sctl'];

export interface PathBase {
  cwd: string;
  crtBase?: string;
}

export function certificatePath(path: string, base: PathBase): string {
  if (isAbsolute(path)) return path;
  return base.crtBase ? resolve(base.cwd, base.crtBase, path) : resolve(base.cwd, path);
}

/** Sources of one bind line: `options` are its option words in written order. */
export function certificateSources(options: readonly { name: string; word: Word }[], base: PathBase): { sources: CertificateSource[]; problems: SourceProblem[] } {
  const sources: CertificateSource[] = [];
  const problems: SourceProblem[] = [];
  for (const { name, word } of options) {
    if (name === 'crt') expandCrt(word, certificatePath(word.value, base), sources, problems);
    else if (name === 'crt-list') expandCrtList(word, base, sources, problems);
  }
  return { sources, problems };
}

function expandCrt(word: Word, path: string, sources: CertificateSource[], problems: SourceProblem[], extra: Partial<CertificateSource> = {}): void {
  let isDir = false;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    problems.push({ word, message: `certificate '${path}' does not exist${extra.listLine ? ` (named at ${extra.listLine})` : ''}` });
    return;
  }
  if (!isDir) {
    sources.push({ path, filters: [], options: new Map(), word, ...extra });
    return;
  }
  const names = readdirSync(path)
    .filter((n) => !n.startsWith('.') && !RESERVED.some((ext) => n.endsWith(ext)))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  let found = 0;
  for (const n of names) {
    const file = join(path, n);
    try {
      if (!statSync(file).isFile()) continue;
    } catch {
      continue;
    }
    found++;
    sources.push({ path: file, filters: [], options: new Map(), word, ...extra });
  }
  if (found === 0) problems.push({ word, message: `certificate directory '${path}' holds no certificate file` });
}

function expandCrtList(word: Word, base: PathBase, sources: CertificateSource[], problems: SourceProblem[]): void {
  const listPath = certificatePath(word.value, base);
  let text: string;
  try {
    text = readFileSync(listPath, 'utf8');
  } catch {
    problems.push({ word, message: `crt-list '${listPath}' cannot be read` });
    return;
  }
  const parsed = parseCrtList(text);
  for (const e of parsed.errors) problems.push({ word, message: `${listPath}:${e.line}: ${e.message}` });
  for (const line of parsed.lines) {
    const listLine = `${listPath}:${line.line}`;
    expandCrt(word, certificatePath(line.file, base), sources, problems, { filters: line.filters, options: line.options, listLine });
  }
}
