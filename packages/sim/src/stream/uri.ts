// Parts of a request URI as HAProxy's http_get_path and friends see them.

/**
 * The path part of a URI with its query (origin form `/p?q`; absolute form skips
 * `scheme://authority`); undefined when there is none (`*`, authority form, `http://host`).
 */
export function pathAndQuery(uri: string): string | undefined {
  if (uri.startsWith('/')) return uri;
  const scheme = uri.indexOf('://');
  if (scheme < 0) return undefined;
  const slash = uri.indexOf('/', scheme + 3);
  return slash < 0 ? undefined : uri.slice(slash);
}

/** The path without query string. */
export function uriPath(uri: string): string | undefined {
  const pq = pathAndQuery(uri);
  if (pq === undefined) return undefined;
  const q = pq.indexOf('?');
  return q < 0 ? pq : pq.slice(0, q);
}

/** The text after the first `?` of the URI; undefined when there is no `?`. */
export function uriQuery(uri: string): string | undefined {
  const q = uri.indexOf('?');
  return q < 0 ? undefined : uri.slice(q + 1);
}

/** `name=value` pairs of a query or form body, split on `&`, `;` and `delim`; a pair without `=` has value ''. */
export function params(text: string, delim = '&'): { name: string; value: string; hasEq: boolean }[] {
  const out: { name: string; value: string; hasEq: boolean }[] = [];
  if (text === '') return out;
  for (const part of text.split(delim === '&' || delim === ';' ? /[&;]/ : new RegExp(`[&;${delim.replace(/[\\\]^-]/g, '\\$&')}]`))) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    out.push(eq < 0 ? { name: part, value: '', hasEq: false } : { name: part.slice(0, eq), value: part.slice(eq + 1), hasEq: true });
  }
  return out;
}

/** The URL parameter list: what follows the first `delim` (`?` by default) of the URI. */
export function urlParamList(uri: string, delim = '?'): string | undefined {
  const i = uri.indexOf(delim);
  return i < 0 ? undefined : uri.slice(i + 1);
}

/** Values of parameter `name` (every parameter when undefined) in order. */
export function paramValues(text: string, name: string | undefined, delim = '&'): string[] {
  const out: string[] = [];
  for (const p of params(text, delim)) if (name === undefined || p.name === name) out.push(p.value);
  return out;
}
