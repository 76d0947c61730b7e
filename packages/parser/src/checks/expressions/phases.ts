// Where a statement's samples and its condition's ACLs are evaluated, as catalogue phases.
// A listen (or defaults) proxy has both capabilities: HAProxy then accepts a fetch valid in
// either the frontend or the backend column (verified with 2.6.12: `%[be_name]` in a listen's
// http-request rule is accepted, `%[srv_name]` is not), and names the first column in its
// messages.
import type { Statement } from '../../ast/nodes.js';
import { isPhaseAllowed, type FetchSpec, type Phase, PHASES } from '../../catalogue/index.js';
import type { ProxyModel } from '../../model/types.js';

/** The column names of `haproxy -dKsmp`, which HAProxy also uses in its warnings. */
export const PHASE_LABELS: Record<Phase, string> = {
  'fe-tcp-connection': 'frontend tcp-request connection rule',
  'fe-tcp-session': 'frontend tcp-request session rule',
  'fe-tcp-content': 'frontend tcp-request content rule',
  'fe-http-request': 'frontend http-request header rule',
  'fe-http-request-body': 'frontend http-request body rule',
  'fe-use-backend': 'frontend use-backend rule',
  'be-tcp-content': 'backend tcp-request content rule',
  'be-http-request': 'backend http-request header rule',
  'be-http-request-body': 'backend http-request body rule',
  'be-server-selection': 'backend use-server, balance or stick-match rule',
  'server-source': 'server source selection',
  'be-tcp-response': 'backend tcp-response content rule',
  'be-http-response': 'backend http-response header rule',
  'be-http-response-body': 'backend http-response body rule',
  'be-stick-store': 'backend stick-store rule',
  'fe-tcp-response': 'frontend tcp-response content rule',
  'fe-http-response': 'frontend http-response header rule',
  'fe-http-response-body': 'frontend http-response body rule',
  log: 'logs',
  'tcp-check': 'backend tcp-check rule',
  config: 'configuration parser',
  cli: 'CLI parser',
};

export interface StatementPhases {
  /** The phases where the statement runs; a fetch is fine if valid in any of them. */
  phases: Phase[];
  /** The phase HAProxy names in its messages (the first in PHASES order). */
  label: string;
  /** For tcp rule sets, HAProxy's warnings add "in '<rule set>'". */
  ruleSetNote?: string;
}

interface Caps {
  fe: boolean;
  be: boolean;
}

function capsOf(proxy: ProxyModel | undefined): Caps {
  if (!proxy) return BOTH;
  if (proxy.kind === 'defaults' || proxy.kind === 'listen') return BOTH;
  return CAPS[(proxy.capabilities.frontend ? 2 : 0) + (proxy.capabilities.backend ? 1 : 0)]!;
}

function pick(caps: Caps, fe: Phase | undefined, be: Phase | undefined): Phase[] {
  const out: Phase[] = [];
  if (caps.fe && fe) out.push(fe);
  if (caps.be && be) out.push(be);
  if (out.length === 0) {
    if (fe) out.push(fe);
    else if (be) out.push(be);
  }
  return out;
}

const PHASE_INDEX = new Map<Phase, number>(PHASES.map((p, i) => [p, i]));

function make(phases: Phase[], ruleSetNote?: string): StatementPhases | undefined {
  if (phases.length === 0) return undefined;
  const sorted = [...phases].sort((a, b) => PHASE_INDEX.get(a)! - PHASE_INDEX.get(b)!);
  return { phases: sorted, label: PHASE_LABELS[sorted[0]!], ruleSetNote };
}

/** Keywords whose log-format arguments are evaluated when logging. */
const LOG_KEYWORDS = new Set(['log-format', 'log-format-sd', 'error-log-format']);

/** The phases of the statements whose phases depend on the proxy's capabilities. */
interface CapsPhases {
  caps: Caps;
  tcpContent: StatementPhases | undefined;
  tcpResponse: StatementPhases | undefined;
  httpRequest: StatementPhases | undefined;
  httpResponse: StatementPhases | undefined;
}

function capsPhases(fe: boolean, be: boolean): CapsPhases {
  const caps = { fe, be };
  return {
    caps,
    tcpContent: make(pick(caps, 'fe-tcp-content', 'be-tcp-content'), 'tcp-request content'),
    tcpResponse: make(pick(caps, 'fe-tcp-response', 'be-tcp-response'), 'tcp-response content'),
    httpRequest: make(pick(caps, 'fe-http-request', 'be-http-request')),
    httpResponse: make(pick(caps, 'fe-http-response', 'be-http-response')),
  };
}

// Every answer is computed once here and shared (callers only read them): this runs for every
// statement with an expression.
const BY_CAPS: readonly CapsPhases[] = [capsPhases(false, false), capsPhases(false, true), capsPhases(true, false), capsPhases(true, true)];
const CAPS: readonly Caps[] = BY_CAPS.map((c) => c.caps);
const BOTH = CAPS[3]!;
const TCP_CONNECTION = make(['fe-tcp-connection'], 'tcp-request connection');
const TCP_SESSION = make(['fe-tcp-session'], 'tcp-request session');
const USE_BACKEND = make(['fe-use-backend']);
const SERVER_SELECTION = make(['be-server-selection']);
const STICK_STORE = make(['be-stick-store']);
const BE_TCP_CONTENT = make(['be-tcp-content']);
const LOG = make(['log']);
const FE_HTTP_REQUEST = make(['fe-http-request']);
const TCP_CHECK = make(['tcp-check']);

/**
 * The phases in which a statement's samples and condition are evaluated, or undefined when
 * haplo does not know (then no phase check is made).
 */
export function statementPhases(stmt: Statement, proxy: ProxyModel | undefined): StatementPhases | undefined {
  const caps = capsOf(proxy);
  const byCaps = BY_CAPS[(caps.fe ? 2 : 0) + (caps.be ? 1 : 0)]!;
  if (stmt.type === 'rule') {
    switch (stmt.ruleSet) {
      case 'tcp-request connection':
        return TCP_CONNECTION;
      case 'tcp-request session':
        return TCP_SESSION;
      case 'tcp-request content':
        return byCaps.tcpContent;
      case 'tcp-response content':
        return byCaps.tcpResponse;
      case 'http-request':
        return byCaps.httpRequest;
      case 'http-response':
      case 'http-after-response':
        return byCaps.httpResponse;
    }
  }
  if (stmt.type === 'acl') return undefined;
  const kw = stmt.keyword;
  if (kw === 'use_backend') return USE_BACKEND;
  if (kw === 'use-server') return SERVER_SELECTION;
  if (kw === 'stick match' || kw === 'stick on' || kw === 'stick store-request') return SERVER_SELECTION;
  if (kw === 'stick store-response') return STICK_STORE;
  if (kw === 'redirect') return byCaps.httpRequest;
  // Verified: `force-persist if { status 200 }` warns about 'backend tcp-request content rule'.
  if (kw === 'force-persist' || kw === 'ignore-persist') return BE_TCP_CONTENT;
  if (LOG_KEYWORDS.has(kw)) return LOG;
  // Verified: `unique-id-format %[status]` and `%[be_name]` fail; it is built at request time.
  if (kw === 'unique-id-format') return FE_HTTP_REQUEST;
  if (kw.startsWith('tcp-check ') || kw.startsWith('http-check ')) return TCP_CHECK;
  return undefined;
}

/** Whether a fetch may be used in at least one of the phases. */
export function fetchAllowed(fetch: FetchSpec, where: StatementPhases): boolean {
  for (const p of where.phases) if (isPhaseAllowed(fetch, p)) return true;
  return false;
}
