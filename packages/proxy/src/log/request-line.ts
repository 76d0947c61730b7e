// The parts of the logged request line (%r %HM %HU %HP %HPO %HQ %HV). HAProxy logs the request
// line as first received (later rewrites do not change it) and cuts it at blanks, so a line
// without a URI or a version reads `<BADREQ>` / `HTTP/0.9` as in its log code.
import type { StreamContext } from '@haplo/sim';

export const BADREQ = '<BADREQ>';

/** `GET /p?q HTTP/1.1` as received; undefined before a request line was parsed. */
export function requestLine(ctx: StreamContext): string | undefined {
  const r = ctx.received;
  return r ? `${r.method} ${r.uri} HTTP/${r.version}` : undefined;
}

const isBlank = (c: string | undefined): boolean => c === ' ' || c === '\t';

interface Split {
  method: string;
  /** The word after the method; undefined when no blank follows the method. */
  uri?: string;
  version?: string;
}

function split(line: string): Split {
  let i = 0;
  while (i < line.length && !isBlank(line[i])) i++;
  const method = line.slice(0, i);
  let blanks = 0;
  while (i < line.length && isBlank(line[i])) {
    i++;
    blanks++;
  }
  if (blanks === 0) return { method };
  const start = i;
  while (i < line.length && !isBlank(line[i])) i++;
  const uri = line.slice(start, i);
  while (i < line.length && isBlank(line[i])) i++;
  return { method, uri, version: line.slice(i) };
}

export function methodOf(line: string | undefined): string {
  if (line === undefined) return BADREQ;
  const s = split(line);
  return s.uri === undefined && s.method.length === line.length ? BADREQ : s.method;
}

export function uriOf(line: string | undefined): string {
  if (line === undefined) return BADREQ;
  return split(line).uri ?? BADREQ;
}

/** %HP: the URI up to its query string. */
export function pathOf(line: string | undefined): string {
  const uri = uriOf(line);
  if (uri === BADREQ) return uri;
  const q = uri.indexOf('?');
  return q < 0 ? uri : uri.slice(0, q);
}

/** %HPO: the path alone, without scheme, authority nor query string. */
export function pathOnlyOf(line: string | undefined): string {
  const uri = uriOf(line);
  if (uri === BADREQ) return uri;
  let path = uri;
  const scheme = uri.indexOf('://');
  if (scheme > 0 && !uri.startsWith('/')) {
    const slash = uri.indexOf('/', scheme + 3);
    path = slash < 0 ? '' : uri.slice(slash);
  }
  const q = path.indexOf('?');
  return q < 0 ? path : path.slice(0, q);
}

/** %HQ: from the first `?` to the next blank, `?` included; empty without a query. */
export function queryOf(line: string | undefined): string {
  if (line === undefined) return BADREQ;
  const q = line.indexOf('?');
  if (q < 0) return '';
  let end = q;
  while (end < line.length && !isBlank(line[end])) end++;
  return line.slice(q, end);
}

export function versionOf(line: string | undefined): string {
  if (line === undefined) return BADREQ;
  const s = split(line);
  if (s.uri === undefined) return BADREQ;
  return s.version ? s.version : 'HTTP/0.9';
}
