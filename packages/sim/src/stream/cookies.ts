// Cookie extraction as HAProxy's http_extract_cookie_value: request `Cookie` lines hold a list
// (split on `;` and `,`), each `Set-Cookie` line one cookie (its first name=value pair).
import { fullValues, type HeaderList } from './headers.js';

export interface Cookie {
  name: string;
  value: string;
}

export function requestCookies(h: HeaderList): Cookie[] {
  const out: Cookie[] = [];
  for (const line of fullValues(h, 'cookie')) {
    for (const part of line.split(/[;,]/)) {
      const c = parsePair(part);
      if (c) out.push(c);
    }
  }
  return out;
}

export function responseCookies(h: HeaderList): Cookie[] {
  const out: Cookie[] = [];
  for (const line of fullValues(h, 'set-cookie')) {
    const c = parsePair(line.split(';')[0]!);
    if (c) out.push(c);
  }
  return out;
}

function parsePair(part: string): Cookie | undefined {
  const eq = part.indexOf('=');
  if (eq < 0) return undefined;
  const name = part.slice(0, eq).trim();
  if (name === '') return undefined;
  return { name, value: part.slice(eq + 1).trim() };
}

/** Values of cookie `name` (every cookie when undefined), in order. */
export function cookieValues(list: readonly Cookie[], name: string | undefined): string[] {
  const out: string[] = [];
  for (const c of list) if (name === undefined || c.name === name) out.push(c.value);
  return out;
}
