// A proxy's `stats …` lines (uri_auth in HAProxy): whether it serves the stats page, at which
// URI prefix, behind which Basic credentials. Lines of the defaults section come first and the
// proxy's own lines extend them, as HAProxy copies a defaults' settings before adding its own.
import type { ProxyModel, Statement } from '@haplo/parser';

export interface StatsSettings {
  /** Prefix the request URI must start with (HAProxy's default `/haproxy?stats`). */
  uri: string;
  /** Basic auth realm (default `HAProxy Statistics`). */
  realm: string;
  /** `stats auth user:password` pairs; empty: no authentication. */
  users: { user: string; pass: string }[];
  /** `stats refresh` in seconds (0: none). */
  refreshSeconds: number;
  hideVersion: boolean;
  /** `stats admin` is written (haplo serves the page read-only). */
  admin: boolean;
  /** `stats scope` proxies (empty: all). */
  scope: string[];
  /** Config line (1-based) of the line that enabled the page, for the trace. */
  line: number;
}

export const DEFAULT_STATS_URI = '/haproxy?stats';
export const DEFAULT_STATS_REALM = 'HAProxy Statistics';

/** What each `stats` keyword does to the settings (keywords that enable the page, as in HAProxy). */
const APPLY: Readonly<Record<string, (s: StatsSettings, args: string[]) => void>> = {
  'stats enable': () => {},
  'stats uri': (s, a) => { s.uri = a[0] ?? s.uri; },
  'stats realm': (s, a) => { s.realm = a[0] ?? s.realm; },
  'stats auth': (s, a) => {
    const w = a[0] ?? '';
    const colon = w.indexOf(':');
    if (colon > 0) s.users.push({ user: w.slice(0, colon), pass: w.slice(colon + 1) });
  },
  'stats refresh': (s, a) => { s.refreshSeconds = seconds(a[0]); },
  'stats hide-version': (s) => { s.hideVersion = true; },
  'stats admin': (s) => { s.admin = true; },
  'stats scope': (s, a) => { if (a[0]) s.scope.push(a[0]); },
  'stats show-legends': () => {},
  'stats show-desc': () => {},
  'stats show-node': () => {},
  'stats show-modules': () => {},
  'stats http-request': () => {},
};

/** `10s`, `1m`, `500ms`, `5` (seconds) → whole seconds. */
function seconds(text: string | undefined): number {
  const m = /^(\d+)(us|ms|s|m|h|d)?$/.exec(text ?? '');
  if (!m) return 0;
  const n = Number(m[1]);
  const per: Record<string, number> = { us: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600, d: 86400 };
  return Math.floor(n * per[m[2] ?? 's']!);
}

function statsLines(p: ProxyModel): Statement[] {
  return p.statements.filter((st) => st.line.active && !st.modifier && st.keyword in APPLY);
}

/** The stats page settings of a proxy in `mode http`, or undefined when it does not serve one. */
export function statsSettingsOf(p: ProxyModel): StatsSettings | undefined {
  if (p.mode !== 'http') return undefined;
  const lines = [...(p.defaults ? statsLines(p.defaults) : []), ...statsLines(p)];
  if (lines.length === 0) return undefined;
  const s: StatsSettings = {
    uri: DEFAULT_STATS_URI, realm: DEFAULT_STATS_REALM, users: [], refreshSeconds: 0,
    hideVersion: false, admin: false, scope: [], line: lines[0]!.line.line + 1,
  };
  for (const st of lines) APPLY[st.keyword]!(s, st.args.map((w) => w.value));
  return s;
}

/** HAProxy compares the prefix with the start of the request URI, byte for byte. */
export function statsUriMatches(s: StatsSettings, uri: string): boolean {
  return uri.startsWith(s.uri);
}

/** Whether Basic credentials are among the `stats auth` pairs (always true without any). */
export function statsAuthorized(s: StatsSettings, credentials: { user: string; pass: string } | undefined): boolean {
  if (s.users.length === 0) return true;
  return credentials !== undefined && s.users.some((u) => u.user === credentials.user && u.pass === credentials.pass);
}

/** HAProxy's 401 for the stats page (observed on 2.6: this body, no-cache, the realm). */
export function statsUnauthorizedReply(s: StatsSettings): { status: number; reason: string; headers: [string, string][]; body: string } {
  const body = '<html><body><h1>401 Unauthorized</h1>\nYou need a valid user and password to access this content.\n</body></html>\n';
  return {
    status: 401, reason: 'Unauthorized',
    headers: [['content-length', String(body.length)], ['cache-control', 'no-cache'], ['content-type', 'text/html'], ['www-authenticate', `Basic realm="${s.realm}"`]],
    body,
  };
}
