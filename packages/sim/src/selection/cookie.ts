// Cookie persistence (http_ana.c client- and server-side cookie handling): reading the
// persistence cookie from the request, stripping it (insert+indirect) or its prefix, and on the
// response deleting, rewriting, prefixing or inserting Set-Cookie per the backend's mode.
import type { ProxyModel } from '@haplo/parser';
import { addHeader, firstValue, splitValues, type HeaderList } from '../stream/headers.js';
import type { ServerState } from '../runtime/servers.js';

export interface CookieConfig {
  name: string;
  mode: 'insert' | 'rewrite' | 'prefix' | 'passive';
  indirect: boolean;
  nocache: boolean;
  postonly: boolean;
  preserve: boolean;
  httponly: boolean;
  secure: boolean;
  domains: string[];
  attrs: string[];
}

/** The `cookie` line in effect for a backend (its own, else from its defaults). */
export function cookieConfig(p: ProxyModel): CookieConfig | undefined {
  let st;
  for (let q: ProxyModel | undefined = p; q && !st; q = q.defaults) st = [...q.statements].reverse().find((s) => s.keyword === 'cookie' && !s.modifier);
  if (!st || !st.args[0]) return undefined;
  const a = st.args.map((w) => w.value);
  const c: CookieConfig = { name: a[0]!, mode: 'passive', indirect: false, nocache: false, postonly: false, preserve: false, httponly: false, secure: false, domains: [], attrs: [] };
  for (let i = 1; i < a.length; i++) {
    const w = a[i]!;
    if (w === 'insert' || w === 'rewrite' || w === 'prefix') c.mode = w;
    else if (w === 'indirect') c.indirect = true;
    else if (w === 'nocache') c.nocache = true;
    else if (w === 'postonly') c.postonly = true;
    else if (w === 'preserve') c.preserve = true;
    else if (w === 'httponly') c.httponly = true;
    else if (w === 'secure') c.secure = true;
    else if (w === 'domain') c.domains.push(a[++i] ?? '');
    else if (w === 'attr') c.attrs.push(a[++i] ?? '');
    else if (w === 'maxidle' || w === 'maxlife') i++;
  }
  return c;
}

/** What the request's persistence cookie said (HAProxy's TX_CK_* flags). */
export type CookieVerdict = 'none' | 'valid' | 'down' | 'invalid' | 'unused';

export interface CookieRequestResult {
  verdict: CookieVerdict;
  /** The server chosen by the cookie, when usable. */
  server?: ServerState;
  /** The value read (server part), for traces. */
  value?: string;
}

/**
 * Reads (and strips, per mode) the persistence cookie. `assigned`: a server is already chosen
 * (use-server), `ignore`: ignore-persist matched; `usable(s)`: may persistence use it.
 */
export function applyCookieRequest(
  cfg: CookieConfig, headers: HeaderList, servers: readonly ServerState[],
  o: { assigned: boolean; ignore: boolean; usable: (s: ServerState) => boolean },
): CookieRequestResult {
  const res: CookieRequestResult = { verdict: 'none' };
  let assigned = o.assigned;
  const entries = headers.entries;
  for (let i = 0; i < entries.length; i++) {
    const h = entries[i]!;
    if (h.name.toLowerCase() !== 'cookie') continue;
    const parts = h.value.split(';');
    const kept: string[] = [];
    let changed = false;
    for (const part of parts) {
      const eq = part.indexOf('=');
      const name = (eq < 0 ? part : part.slice(0, eq)).trim();
      if (name !== cfg.name) { kept.push(part); continue; }
      const value = eq < 0 ? '' : part.slice(eq + 1).trim();
      let delim = value.length;
      if (cfg.mode === 'prefix') {
        const t = value.indexOf('~');
        delim = t < 0 ? value.length : t;
      } else {
        const bar = value.indexOf('|');
        if (bar >= 0) delim = bar;
      }
      const id = value.slice(0, delim);
      if (res.value === undefined) res.value = id;
      let found: ServerState | undefined;
      let down = false;
      if (id !== '' && !assigned && !o.ignore) {
        for (const s of servers) {
          if (s.cookie === undefined || s.cookie !== id) continue;
          if (o.usable(s)) { found = s; break; }
          down = true;
        }
      }
      if (found) {
        res.server = found;
        res.verdict = found.status === 'UP' || found.status === 'DRAIN' ? 'valid' : 'down';
        assigned = true;
      } else if (down) res.verdict = 'down';
      else if (res.verdict === 'none') res.verdict = o.ignore || assigned ? 'unused' : 'invalid';
      if (cfg.mode === 'prefix' && delim !== value.length) {
        kept.push(part.slice(0, part.indexOf('=') + 1) + value.slice(delim + 1));
        changed = true;
      } else if (cfg.mode === 'insert' && cfg.indirect) {
        changed = true; // the server never sees the persistence cookie
      } else kept.push(part);
    }
    if (!changed) continue;
    const text = kept.map((p) => p.trim()).filter((p) => p !== '').join('; ');
    if (text === '') {
      entries.splice(i, 1);
      i--;
    } else h.value = text;
  }
  return res;
}

const CACHEABLE_STATUS = new Set([200, 203, 204, 206, 300, 301, 404, 405, 410, 414, 501]);
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);
const startsWithI = (v: string, prefix: string): boolean => v.slice(0, prefix.length).toLowerCase() === prefix;

/**
 * HAProxy 2.6's TX_CACHEABLE when `nocache` asks for it (http_ana.c, 2.6.12): a safe request
 * method, a status cacheable by default, then the response's Pragma and Cache-Control, and — as
 * HAProxy has done since 2.6.10 — no freshness (max-age, s-maxage, Expires) and no validator
 * (ETag, Last-Modified) means not cacheable. Request headers play no part.
 */
export function responseCacheable(status: number, method: string, res: HeaderList): boolean {
  if (status < 200) return false;
  let cacheable = SAFE_METHODS.has(method) && CACHEABLE_STATUS.has(status);
  // Pragma is read as a whole line, the first one only.
  if (firstValue(res, 'pragma')?.toLowerCase() === 'no-cache') return false;
  let fresh = false;
  for (const raw of splitValues(res, 'cache-control')) {
    const v = raw.toLowerCase();
    if (v === 'public') cacheable = true; // even for a POST or a 302
    else if (v === 'private' || v === 'no-cache' || v === 'no-store' || v === 'max-age=0' || v === 's-maxage=0') cacheable = false;
    else if (startsWithI(v, 'no-cache="set-cookie')) continue; // clears TX_CACHE_COOK only
    else if (startsWithI(v, 's-maxage') || startsWithI(v, 'max-age')) fresh = true;
  }
  if (!fresh && firstValue(res, 'expires') === undefined && firstValue(res, 'etag') === undefined && firstValue(res, 'last-modified') === undefined) {
    cacheable = false;
  }
  return cacheable;
}

export interface CookieResponseChange {
  /** Set-Cookie headers removed, rewritten or prefixed by HAProxy. */
  deleted: number;
  rewritten: number;
  /** The Set-Cookie value HAProxy added, if any. */
  inserted?: string;
  cacheControlAdded: boolean;
}

/**
 * The response side of cookie persistence. `direct`: the server was chosen by persistence
 * (use-server, a valid cookie or stick match); `ignore`: ignore-persist matched.
 */
export function applyCookieResponseHeaders(
  cfg: CookieConfig, res: { status: number; headers: HeaderList }, o: {
    server?: ServerState; direct: boolean; ignore: boolean;
    /** HAProxy's txn->meth (`postonly` and cacheability read it; set-method does not change it). */
    method: string;
  },
): CookieResponseChange {
  const out: CookieResponseChange = { deleted: 0, rewritten: 0, cacheControlAdded: false };
  const srv = o.server;
  let found = false;
  const entries = res.headers.entries;
  if (!o.ignore) {
    for (let i = 0; i < entries.length; i++) {
      const h = entries[i]!;
      if (h.name.toLowerCase() !== 'set-cookie') continue;
      const eq = h.value.indexOf('=');
      if (eq < 0 || h.value.slice(0, eq).trim() !== cfg.name) continue;
      found = true;
      if (cfg.preserve) continue;
      if ((srv && cfg.mode === 'insert') || (o.direct && cfg.indirect)) {
        entries.splice(i, 1);
        i--;
        out.deleted++;
      } else if (srv?.cookie !== undefined && cfg.mode === 'rewrite') {
        const semi = h.value.indexOf(';', eq);
        h.value = h.value.slice(0, eq + 1) + srv.cookie + (semi < 0 ? '' : h.value.slice(semi));
        out.rewritten++;
      } else if (srv?.cookie !== undefined && cfg.mode === 'prefix') {
        h.value = h.value.slice(0, eq + 1) + srv.cookie + '~' + h.value.slice(eq + 1);
        out.rewritten++;
      }
    }
  }
  if (srv && cfg.mode === 'insert' && !(found && cfg.preserve) && !o.direct &&
      (!cfg.postonly || o.method === 'POST') && !o.ignore) {
    let v = srv.cookie === undefined ? `${cfg.name}=; Expires=Thu, 01-Jan-1970 00:00:01 GMT; path=/` : `${cfg.name}=${srv.cookie}; path=/`;
    for (const d of cfg.domains.slice(0, 1)) v += `; domain=${d}`;
    if (cfg.httponly) v += '; HttpOnly';
    if (cfg.secure) v += '; Secure';
    if (cfg.attrs.length) v += `; ${cfg.attrs.join('; ')}`;
    addHeader(res.headers, 'Set-Cookie', v);
    out.inserted = v;
    if (cfg.nocache && responseCacheable(res.status, o.method, res.headers)) {
      addHeader(res.headers, 'Cache-control', 'private');
      out.cacheControlAdded = true;
    }
  }
  return out;
}
