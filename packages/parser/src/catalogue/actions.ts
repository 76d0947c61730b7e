// Actions of the seven rule sets of HAProxy 2.6 (http-request, http-response, http-after-response,
// tcp-request connection/session/content, tcp-response content). The lists are the ones the 2.6.12
// binary prints for an unknown action; `final` says whether the action ends its rule set.
// Descriptions are ours.
import type { RuleSet } from '../ast/nodes.js';
import type { ActionSpec, ArgSpec, ArgType } from './types.js';
import { LOG_LEVELS, SERVICES } from './proxy-keywords.js';

/** Every rule set, in processing order. */
export const RULE_SETS: readonly RuleSet[] = [
  'tcp-request connection', 'tcp-request session', 'tcp-request content', 'http-request',
  'tcp-response content', 'http-response', 'http-after-response',
];

const HREQ: RuleSet = 'http-request';
const HRES: RuleSet = 'http-response';
const HAFT: RuleSet = 'http-after-response';
const TCON: RuleSet = 'tcp-request connection';
const TSES: RuleSet = 'tcp-request session';
const TCNT: RuleSet = 'tcp-request content';
const TRES: RuleSet = 'tcp-response content';
const HTTP_RS = [HREQ, HRES] as const;
const ALL_RS = [HREQ, HRES, HAFT, TCON, TSES, TCNT, TRES] as const;
/** Where the stick-counter, mark/tos and silent-drop family is accepted. */
const COUNTERS = [HREQ, HRES, TCON, TSES, TCNT, TRES] as const;

// ---- argument helpers ------------------------------------------------------------------------
const arg = (name: string, type: ArgType, optional = false): ArgSpec => (optional ? { name, type, optional } : { name, type });
const int = (n: string, optional = false) => arg(n, 'integer', optional);
const str = (n: string, optional = false) => arg(n, 'string', optional);
const sample = (n = 'expression') => arg(n, 'sample');
const lf = (n = 'format') => arg(n, 'log-format');
const hdr = (n = 'name') => arg(n, 'header-name');
const re = (n = 'regex') => arg(n, 'regex');
const en = (n: string, values: readonly string[], optional = false): ArgSpec => ({ name: n, type: 'enum', values, ...(optional ? { optional } : {}) });
const rest = (n: string, type: ArgType = 'keywords'): ArgSpec => ({ name: n, type, optional: true, repeat: true });
const NONE: readonly ArgSpec[] = [];
/** `<key> [table <table>]` of track-sc0/1/2. */
const TRACK: readonly ArgSpec[] = [sample('key'), en('table', ['table'], true), arg('table', 'table', true)];
/** `[ { status | deny_status } <code> ] [content-type …] [string|lf-string|file|lf-file|errorfile|errorfiles …] [hdr …]*` */
const RESPONSE_OPTS: readonly ArgSpec[] = [rest('options')];
const CAPTURE: readonly ArgSpec[] = [sample(), en('slot', ['len', 'id']), int('length-or-id')];

type Row = [name: string, ruleSets: readonly RuleSet[], final: boolean, description: string, args?: readonly ArgSpec[], extra?: Partial<ActionSpec>];
const rows = (list: readonly Row[]): ActionSpec[] =>
  list.map(([name, ruleSets, final, description, args, extra]) => ({
    name, ruleSets, final, ...(args ? { args } : {}), ...extra, description,
  }));

export const actionSpecs: readonly ActionSpec[] = rows([
  // ---- final actions -------------------------------------------------------------------------
  ['accept', [TCON, TSES, TCNT, TRES], true, 'Accepts the connection or data and stops evaluating this rule set', NONE],
  ['allow', [HREQ, HRES, HAFT], true, 'Stops evaluating this rule set and lets the message through', NONE],
  ['auth', [HREQ], true, 'Answers 401 (or 407) asking for credentials', [en('realm', ['realm'], true), str('realm', true)], { httpOnly: true }],
  ['close', [TRES], true, 'Closes the server connection immediately', NONE],
  ['deny', HTTP_RS, true, 'Rejects the message with an error response (403 by default)', RESPONSE_OPTS, { httpOnly: true }],
  ['redirect', HTTP_RS, true, 'Answers with an HTTP redirect (location, prefix or scheme)', [en('type', ['location', 'prefix', 'scheme']), lf('target'), rest('options')], { httpOnly: true }],
  ['reject', [HREQ, TCON, TSES, TCNT, TRES], true, 'Closes the connection without any response', NONE],
  ['return', HTTP_RS, true, 'Answers with a response built from status, content-type and body options', RESPONSE_OPTS, { httpOnly: true }],
  ['silent-drop', COUNTERS, true, 'Drops the client connection without telling the client', NONE],
  ['tarpit', [HREQ], true, 'Holds the request for timeout tarpit, then answers an error (500 by default)', RESPONSE_OPTS, { httpOnly: true }],
  ['use-service', [HREQ, TCNT], true, 'Hands the stream to a service (e.g. prometheus-exporter)', [en('service', SERVICES)]],
  ['switch-mode', [TCNT], true, 'Upgrades the connection to HTTP; later tcp-request content rules are skipped', [en('mode', ['http']), en('proto', ['proto'], true), str('name', true)]],
  // ---- headers and URI -------------------------------------------------------------------------
  ['add-header', [HREQ, HRES, HAFT], false, 'Appends a header built from a log-format string', [hdr(), lf()], { httpOnly: true }],
  ['set-header', [HREQ, HRES, HAFT], false, 'Replaces all occurrences of a header with one built from a log-format string', [hdr(), lf()], { httpOnly: true }],
  ['del-header', [HREQ, HRES, HAFT], false, 'Removes a header (name matched exactly or with -m str|beg|end|sub|reg)', [hdr(), en('-m', ['-m'], true), en('method', ['str', 'beg', 'end', 'sub', 'reg'], true)], { httpOnly: true }],
  ['replace-header', [HREQ, HRES, HAFT], false, 'Rewrites whole header lines matching a regex', [hdr(), re('match'), lf('replace')], { httpOnly: true }],
  ['replace-value', [HREQ, HRES, HAFT], false, 'Rewrites comma-separated header values matching a regex', [hdr(), re('match'), lf('replace')], { httpOnly: true }],
  ['early-hint', [HREQ], false, 'Adds a header to a 103 Early Hints response', [hdr(), lf()], { httpOnly: true }],
  ['set-path', [HREQ], false, 'Replaces the request path, keeping the query string', [lf()], { httpOnly: true }],
  ['set-pathq', [HREQ], false, 'Replaces the request path and query string', [lf()], { httpOnly: true }],
  ['set-query', [HREQ], false, 'Replaces the query string', [lf()], { httpOnly: true }],
  ['set-uri', [HREQ], false, 'Replaces the whole request URI', [lf()], { httpOnly: true }],
  ['replace-path', [HREQ], false, 'Rewrites the path with a regex and a log-format replacement', [re('match'), lf('replace')], { httpOnly: true }],
  ['replace-pathq', [HREQ], false, 'Rewrites the path and query string with a regex', [re('match'), lf('replace')], { httpOnly: true }],
  ['replace-uri', [HREQ], false, 'Rewrites the whole URI with a regex', [re('match'), lf('replace')], { httpOnly: true }],
  ['set-method', [HREQ], false, 'Replaces the request method', [lf()], { httpOnly: true }],
  ['set-status', [HRES, HAFT], false, 'Replaces the response status, with an optional reason', [arg('status', 'status'), en('reason', ['reason'], true), str('reason', true)], { httpOnly: true }],
  ['normalize-uri', [HREQ], false, 'Normalises the URI with one normaliser', [en('normalizer', ['fragment-encode', 'fragment-strip', 'path-merge-slashes', 'path-strip-dot', 'path-strip-dotdot', 'percent-decode-unreserved', 'percent-to-uppercase', 'query-sort-by-name']), rest('options')], { httpOnly: true }],
  ['strict-mode', [HREQ, HRES, HAFT], false, 'Makes failed rewrites fatal (on) or ignored (off) for later rules', [en('state', ['on', 'off'])], { httpOnly: true }],
  // ---- variables -------------------------------------------------------------------------------
  ['set-var', ALL_RS, false, 'Stores a sample expression in a variable', [sample()], { parenArg: 'variable' }],
  ['set-var-fmt', ALL_RS, false, 'Stores a log-format string in a variable', [lf()], { parenArg: 'variable' }],
  ['unset-var', ALL_RS, false, 'Removes a variable', NONE, { parenArg: 'variable' }],
  // ---- stick counters --------------------------------------------------------------------------
  ['track-sc0', [HREQ, HRES, TCON, TSES, TCNT], false, 'Tracks a key in stick counter 0', TRACK],
  ['track-sc1', [HREQ, HRES, TCON, TSES, TCNT], false, 'Tracks a key in stick counter 1', TRACK],
  ['track-sc2', [HREQ, HRES, TCON, TSES, TCNT], false, 'Tracks a key in stick counter 2', TRACK],
  ['sc-inc-gpc', COUNTERS, false, 'Increments a general purpose counter: sc-inc-gpc(<idx>,<sc>)', NONE, { parenArg: 'string' }],
  ['sc-inc-gpc0', COUNTERS, false, 'Increments gpc0 of a tracked counter: sc-inc-gpc0(<sc>)', NONE, { parenArg: 'string' }],
  ['sc-inc-gpc1', COUNTERS, false, 'Increments gpc1 of a tracked counter: sc-inc-gpc1(<sc>)', NONE, { parenArg: 'string' }],
  ['sc-set-gpt', COUNTERS, false, 'Sets a general purpose tag: sc-set-gpt(<idx>,<sc>) <int|expr>', [sample('value')], { parenArg: 'string' }],
  ['sc-set-gpt0', COUNTERS, false, 'Sets gpt0 of a tracked counter: sc-set-gpt0(<sc>) <int|expr>', [sample('value')], { parenArg: 'string' }],
  // ---- ACL and map files -----------------------------------------------------------------------
  ['add-acl', HTTP_RS, false, 'Adds a key to an ACL file loaded in memory: add-acl(<file>)', [lf('key')], { parenArg: 'string', httpOnly: true }],
  ['del-acl', HTTP_RS, false, 'Removes a key from an ACL file loaded in memory: del-acl(<file>)', [lf('key')], { parenArg: 'string', httpOnly: true }],
  ['set-map', HTTP_RS, false, 'Sets a key and value in a map file loaded in memory: set-map(<file>)', [lf('key'), lf('value')], { parenArg: 'string', httpOnly: true }],
  ['del-map', HTTP_RS, false, 'Removes a key from a map file loaded in memory: del-map(<file>)', [lf('key')], { parenArg: 'string', httpOnly: true }],
  // ---- connection and stream settings ----------------------------------------------------------
  ['capture', [HREQ, HRES, HAFT, TCNT], false, 'Captures a sample into a capture slot (len <n> or id <n>)', CAPTURE, { rejectedIn: [TCON, TSES] }],
  ['expect-proxy', [TCON], false, 'Expects a PROXY protocol header on the connection', [en('layer', ['layer4'])], { rejectedIn: [TSES, TCNT] }],
  ['expect-netscaler-cip', [TCON], false, 'Expects a NetScaler Client IP header on the connection', [en('layer', ['layer4'])], { rejectedIn: [TSES, TCNT] }],
  ['set-src', [HREQ, TCON, TSES, TCNT], false, 'Replaces the client source address with a sample', [sample()]],
  ['set-src-port', [HREQ, TCON, TSES, TCNT], false, 'Replaces the client source port with a sample', [sample()]],
  ['set-dst', [HREQ, TCON, TSES, TCNT], false, 'Replaces the destination address with a sample', [sample()]],
  ['set-dst-port', [HREQ, TCON, TSES, TCNT], false, 'Replaces the destination port with a sample', [sample()]],
  ['set-mark', COUNTERS, false, 'Sets the netfilter mark of client-side packets', [int('mark')]],
  ['set-tos', COUNTERS, false, 'Sets the TOS/DSCP field of client-side packets', [int('tos')]],
  ['set-nice', [HREQ, HRES, TCNT, TRES], false, 'Changes the scheduling priority (nice) of the stream', [int('nice')]],
  ['set-log-level', [HREQ, HRES, TCNT, TRES], false, 'Changes the log level of the stream ("silent" disables logging)', [en('level', [...LOG_LEVELS, 'silent'])]],
  ['set-priority-class', [HREQ, TCNT], false, 'Sets the queue priority class from a sample', [sample()]],
  ['set-priority-offset', [HREQ, TCNT], false, 'Sets the queue priority offset from a sample', [sample()]],
  ['set-timeout', [HREQ], false, 'Changes the server or tunnel timeout of the stream', [en('timeout', ['server', 'tunnel']), sample('value')], { httpOnly: true }],
  ['do-resolve', [HREQ, TCNT], false, 'Resolves a name into a variable: do-resolve(<var>,<resolvers>[,ipv4|ipv6])', [sample()], { parenArg: 'string' }],
  ['cache-use', [HREQ], false, 'Serves the response from a cache when possible', [arg('cache', 'cache')], { httpOnly: true }],
  ['cache-store', [HRES], false, 'Stores the response in a cache', [arg('cache', 'cache')], { httpOnly: true }],
  ['wait-for-body', HTTP_RS, false, 'Waits for the message body (time <t> [at-least <size>])', [en('time', ['time']), arg('time', 'time'), en('at-least', ['at-least'], true), arg('bytes', 'size', true)], { httpOnly: true }],
  ['wait-for-handshake', [HREQ], false, 'Waits for the TLS handshake to finish (with 0-RTT)', NONE, { httpOnly: true }],
  ['disable-l7-retry', [HREQ], false, 'Disables retry-on layer 7 retries for this request', NONE, { httpOnly: true }],
  ['send-spoe-group', [HREQ, HRES, TCNT, TRES], false, 'Sends a group of SPOE messages', [str('engine'), str('group')]],
  ['ot-group', [HREQ, HRES, HAFT, TCNT, TRES], false, 'Runs an OpenTracing filter group', [str('filter-id'), str('group')]],
]);
