// Keywords of proxy sections (defaults, frontend, listen, backend) in HAProxy 2.6, one row per
// line of the 2.6 keyword matrix. Multi-word keywords (`timeout client`, `option httplog`) are one
// row each. Placement, negation and deprecation come from the matrix; descriptions are ours.
import type { ArgSpec, ArgType, KeywordSpec, ProxyPlacement } from './types.js';

// ---- placements (defaults / frontend / listen / backend) ------------------------------------
const pl = (defaults: ProxyPlacement['defaults'], frontend: boolean, listen: boolean, backend: boolean): ProxyPlacement =>
  ({ defaults, frontend, listen, backend });
const ALL = pl('yes', true, true, true);
const DFL_FE = pl('yes', true, true, false);
const DFL_BE = pl('yes', false, true, true);
const NO_DFL = pl('no', true, true, true);
const FE_ONLY = pl('no', true, true, false);
const BE_ONLY = pl('no', false, true, true);
const NAMED_ALL = pl('named', true, true, true);
const NAMED_FE = pl('named', true, true, false);
const NAMED_BE = pl('named', false, true, true);

// ---- argument helpers -----------------------------------------------------------------------
const arg = (name: string, type: ArgType, optional = false): ArgSpec => (optional ? { name, type, optional } : { name, type });
const int = (name: string, optional = false) => arg(name, 'integer', optional);
const str = (name: string, optional = false) => arg(name, 'string', optional);
const name = (n: string) => arg(n, 'name');
const file = (n: string) => arg(n, 'file');
const sample = (n: string) => arg(n, 'sample');
const lf = (n: string) => arg(n, 'log-format');
const time = (n: string): ArgSpec => ({ name: n, type: 'time', unit: 'ms' });
/** A literal keyword that must be written as is (`len` in `capture … len 20`). */
const kwd = (word: string): ArgSpec => ({ name: word, type: 'enum', values: [word] });
const en = (n: string, values: readonly string[]): ArgSpec => ({ name: n, type: 'enum', values });
/** All remaining words. */
const rest = (n: string, type: ArgType): ArgSpec => ({ name: n, type, optional: true, repeat: true });
/** `[table <name>]` after a stick rule's sample. */
const TABLE_OPT: readonly ArgSpec[] = [{ name: 'table', type: 'enum', values: ['table'], optional: true }, { name: 'name', type: 'table', optional: true }];

/** The 2.6 balance algorithms; `hdr`, `rdp-cookie` and `random` take a parenthesised argument. */
export const BALANCE_ALGOS = [
  'roundrobin', 'static-rr', 'leastconn', 'first', 'source', 'uri', 'url_param',
  'hdr(name)', 'random', 'random(draws)', 'rdp-cookie', 'rdp-cookie(name)', 'hash',
] as const;
export const LOG_LEVELS = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'] as const;
/** Filter names registered in the 2.6 binary. */
export const FILTERS = ['cache', 'compression', 'fcgi-app', 'opentracing', 'spoe', 'trace'] as const;
/**
 * Proxy keywords the 2.6.12 binary accepts that the keyword matrix of the 2.6 manual does not
 * list (`haproxy -c` takes `stats show-modules` without a word).
 */
export const PROXY_KEYWORDS_NOT_IN_MATRIX: readonly string[] = ['stats show-modules'];
/** Service names usable with `use-service`. */
export const SERVICES = ['prometheus-exporter'] as const;

export const proxyKeywordSpecs: readonly KeywordSpec[] = [
  { name: 'acl', proxy: NAMED_ALL, args: [name('name'), sample('criterion'), rest('patterns', 'string')], description: 'Declares a named ACL (criterion, flags, patterns)' },
  { name: 'backlog', proxy: DFL_FE, args: [int('conns')], description: 'Listen backlog of the frontend sockets' },
  { name: 'balance', proxy: DFL_BE, args: [en('algorithm', BALANCE_ALGOS), rest('params', 'keywords')], description: 'Load-balancing algorithm of the backend' },
  { name: 'bind', proxy: FE_ONLY, args: [{ name: 'address', type: 'bind-address' }, rest('options', 'keywords')], description: 'Listening address(es) and port(s) with options' },
  { name: 'bind-process', proxy: ALL, args: [rest('processes', 'string')], deprecated: { note: 'no effect since 2.5; removed in 2.7' }, description: 'Historical process binding; no effect since 2.5' },
  { name: 'capture cookie', proxy: FE_ONLY, args: [str('name'), kwd('len'), int('length')], httpOnly: true, description: 'Captures a request/response cookie for the logs' },
  { name: 'capture request header', proxy: FE_ONLY, args: [{ name: 'header', type: 'header-name' }, kwd('len'), int('length')], description: 'Captures a request header for the logs' },
  { name: 'capture response header', proxy: FE_ONLY, args: [{ name: 'header', type: 'header-name' }, kwd('len'), int('length')], description: 'Captures a response header for the logs' },
  { name: 'clitcpka-cnt', proxy: DFL_FE, args: [int('count')], description: 'TCP keepalive probes before dropping a client connection' },
  { name: 'clitcpka-idle', proxy: DFL_FE, args: [{ name: 'time', type: 'time', unit: 's' }], description: 'Idle time before client-side TCP keepalive probes start' },
  { name: 'clitcpka-intvl', proxy: DFL_FE, args: [{ name: 'time', type: 'time', unit: 's' }], description: 'Interval between client-side TCP keepalive probes' },
  { name: 'compression', proxy: ALL, args: [en('setting', ['algo', 'type', 'offload']), rest('values', 'string')], description: 'HTTP compression settings (algo, type, offload)' },
  { name: 'cookie', proxy: DFL_BE, args: [str('name'), rest('options', 'keywords')], httpOnly: true, description: 'Cookie-based server persistence' },
  { name: 'declare capture', proxy: FE_ONLY, args: [en('direction', ['request', 'response']), kwd('len'), int('length')], description: 'Declares a capture slot for capture-req/capture-res and capture actions' },
  { name: 'default-server', proxy: DFL_BE, args: [rest('options', 'keywords')], description: 'Default settings for the following server lines' },
  { name: 'default_backend', proxy: DFL_FE, args: [{ name: 'backend', type: 'backend' }], description: 'Backend used when no use_backend rule matches' },
  { name: 'description', proxy: NO_DFL, args: [rest('text', 'string')], description: 'Free text describing the proxy (shown on the stats page)' },
  { name: 'disabled', proxy: ALL, args: [], description: 'Disables the proxy' },
  { name: 'dispatch', proxy: BE_ONLY, args: [{ name: 'address', type: 'address' }], description: 'Fixed server address for a backend without servers (legacy)' },
  { name: 'email-alert from', proxy: ALL, args: [str('address')], description: 'Sender address of email alerts' },
  { name: 'email-alert level', proxy: ALL, args: [en('level', LOG_LEVELS)], description: 'Minimum log level of events that trigger email alerts' },
  { name: 'email-alert mailers', proxy: ALL, args: [{ name: 'mailers', type: 'mailers' }], description: 'Mailers section used to send email alerts' },
  { name: 'email-alert myhostname', proxy: ALL, args: [str('hostname')], description: 'Host name announced in the SMTP EHLO of email alerts' },
  { name: 'email-alert to', proxy: ALL, args: [str('address')], description: 'Recipient address of email alerts' },
  { name: 'enabled', proxy: ALL, args: [], description: 'Enables a proxy that was disabled' },
  { name: 'errorfile', proxy: ALL, args: [{ name: 'status', type: 'status' }, file('file')], description: 'Body file returned for an HTTP status generated by HAProxy' },
  { name: 'errorfiles', proxy: ALL, args: [{ name: 'http-errors', type: 'http-errors' }, rest('statuses', 'status')], description: 'Uses the error files of an http-errors section' },
  { name: 'errorloc', proxy: ALL, args: [{ name: 'status', type: 'status' }, str('url')], description: 'Answers an HTTP error status with a 302 redirect' },
  { name: 'errorloc302', proxy: ALL, args: [{ name: 'status', type: 'status' }, str('url')], description: 'Answers an HTTP error status with a 302 redirect' },
  { name: 'errorloc303', proxy: ALL, args: [{ name: 'status', type: 'status' }, str('url')], description: 'Answers an HTTP error status with a 303 redirect' },
  { name: 'error-log-format', proxy: DFL_FE, args: [lf('format')], description: 'Log format used for connection errors (e.g. TLS handshake failures)' },
  { name: 'force-persist', proxy: BE_ONLY, args: [], condition: true, description: 'Keeps persistence to a down server when the condition matches' },
  { name: 'filter', proxy: NO_DFL, args: [en('filter', FILTERS), rest('options', 'keywords')], description: 'Adds a stream filter (compression, cache, spoe, trace, fcgi-app, …)' },
  { name: 'fullconn', proxy: DFL_BE, args: [int('conns')], description: 'Backend load at which servers reach their maxconn (with minconn)' },
  { name: 'hash-type', proxy: DFL_BE, args: [en('method', ['map-based', 'consistent']), { name: 'function', type: 'enum', values: ['sdbm', 'djb2', 'wt6', 'crc32'], optional: true }, { name: 'modifier', type: 'enum', values: ['avalanche'], optional: true }], description: 'Hashing method and function for hash-based balancing' },
  { name: 'http-after-response', proxy: NAMED_ALL, condition: true, httpOnly: true, description: 'Rule applied to every response, including HAProxy-generated ones' },
  { name: 'http-check comment', proxy: DFL_BE, args: [str('text')], description: 'Comment reported for the next http-check rule' },
  { name: 'http-check connect', proxy: DFL_BE, args: [rest('options', 'keywords')], description: 'HTTP health check step: opens a connection with options' },
  { name: 'http-check disable-on-404', proxy: DFL_BE, args: [], description: 'Puts a server in drain mode when its check returns 404' },
  { name: 'http-check expect', proxy: DFL_BE, args: [rest('match', 'keywords')], description: 'HTTP health check step: expected status, header or body' },
  { name: 'http-check send', proxy: DFL_BE, args: [rest('options', 'keywords')], description: 'HTTP health check step: sends a request (meth, uri, ver, hdr, body)' },
  { name: 'http-check send-state', proxy: DFL_BE, args: [], description: 'Adds the X-Haproxy-Server-State header to HTTP checks' },
  { name: 'http-check set-var', proxy: DFL_BE, args: [sample('expression')], description: 'HTTP health check step: sets a check-scoped variable' },
  { name: 'http-check unset-var', proxy: DFL_BE, args: [], description: 'HTTP health check step: unsets a check-scoped variable' },
  { name: 'http-error', proxy: ALL, args: [kwd('status'), { name: 'code', type: 'status' }, rest('options', 'keywords')], description: 'Defines the response HAProxy sends for an error status' },
  { name: 'http-request', proxy: NAMED_ALL, condition: true, httpOnly: true, description: 'Rule applied to HTTP requests' },
  { name: 'http-response', proxy: NAMED_ALL, condition: true, httpOnly: true, description: 'Rule applied to HTTP responses' },
  { name: 'http-reuse', proxy: DFL_BE, args: [en('mode', ['never', 'safe', 'aggressive', 'always'])], description: 'Idle server connection sharing policy' },
  { name: 'http-send-name-header', proxy: DFL_BE, args: [{ name: 'header', type: 'header-name', optional: true }], description: 'Adds a request header carrying the chosen server name' },
  { name: 'id', proxy: NO_DFL, args: [int('id')], description: 'Numeric id of the proxy' },
  { name: 'ignore-persist', proxy: BE_ONLY, args: [], condition: true, description: 'Ignores persistence when the condition matches' },
  { name: 'load-server-state-from-file', proxy: DFL_BE, args: [en('source', ['global', 'local', 'none'])], description: 'Where server states are reloaded from at startup' },
  { name: 'log', proxy: ALL, negatable: true, args: [rest('target', 'keywords')], description: 'Log target (address, facility, level) or "global"' },
  { name: 'log-format', proxy: DFL_FE, args: [lf('format')], description: 'Format of traffic log lines' },
  { name: 'log-format-sd', proxy: DFL_FE, args: [lf('format')], description: 'RFC5424 structured-data part of log lines' },
  { name: 'log-tag', proxy: ALL, args: [str('tag')], description: 'Tag (program name) of the log lines of this proxy' },
  { name: 'max-keep-alive-queue', proxy: DFL_BE, args: [int('length')], description: 'Queue length above which idle keep-alive is abandoned' },
  { name: 'maxconn', proxy: DFL_FE, args: [int('conns')], description: 'Maximum concurrent connections of the frontend' },
  { name: 'mode', proxy: ALL, args: [en('mode', ['tcp', 'http', 'health'])], description: 'Proxy mode: tcp, http or health' },
  { name: 'monitor fail', proxy: FE_ONLY, args: [], condition: true, description: 'Makes the monitor-uri answer 503 when the condition matches' },
  { name: 'monitor-uri', proxy: DFL_FE, args: [str('uri')], httpOnly: true, description: 'URI answered with 200 for external health monitoring' },
  { name: 'option abortonclose', proxy: DFL_BE, negatable: true, args: [], description: 'Drops queued requests whose client has closed' },
  { name: 'option accept-invalid-http-request', proxy: DFL_FE, negatable: true, args: [], httpOnly: true, description: 'Accepts some invalid characters in requests' },
  { name: 'option accept-invalid-http-response', proxy: DFL_BE, negatable: true, args: [], httpOnly: true, description: 'Accepts some invalid characters in responses' },
  { name: 'option allbackups', proxy: DFL_BE, negatable: true, args: [], description: 'Balances over all backup servers instead of the first one' },
  { name: 'option checkcache', proxy: DFL_BE, negatable: true, args: [], httpOnly: true, description: 'Blocks cacheable responses that carry a Set-Cookie' },
  { name: 'option clitcpka', proxy: DFL_FE, negatable: true, args: [], description: 'Enables TCP keepalive on client connections' },
  { name: 'option contstats', proxy: DFL_FE, negatable: true, args: [], description: 'Updates traffic counters continuously' },
  { name: 'option disable-h2-upgrade', proxy: DFL_FE, negatable: true, args: [], httpOnly: true, description: 'Refuses HTTP/1 to HTTP/2 upgrades' },
  { name: 'option dontlog-normal', proxy: DFL_FE, negatable: true, args: [], description: 'Logs only errors and anomalies' },
  { name: 'option dontlognull', proxy: DFL_FE, negatable: true, args: [], description: 'Does not log connections that sent no data' },
  { name: 'option forwardfor', proxy: ALL, args: [rest('options', 'keywords')], httpOnly: true, description: 'Adds an X-Forwarded-For header with the client address' },
  { name: 'option h1-case-adjust-bogus-client', proxy: DFL_FE, negatable: true, args: [], description: 'Applies h1-case-adjust header renaming towards clients' },
  { name: 'option h1-case-adjust-bogus-server', proxy: DFL_BE, negatable: true, args: [], description: 'Applies h1-case-adjust header renaming towards servers' },
  { name: 'option http-buffer-request', proxy: ALL, negatable: true, args: [], httpOnly: true, description: 'Waits for the request body before evaluating rules' },
  { name: 'option http-ignore-probes', proxy: DFL_FE, negatable: true, args: [], httpOnly: true, description: 'Does not log or report empty probe connections' },
  { name: 'option http-keep-alive', proxy: ALL, negatable: true, args: [], description: 'HTTP keep-alive on both sides (the default)' },
  { name: 'option http-no-delay', proxy: ALL, negatable: true, args: [], httpOnly: true, description: 'Sends HTTP data without waiting to merge packets' },
  { name: 'option http-pretend-keepalive', proxy: DFL_BE, negatable: true, args: [], httpOnly: true, description: 'Announces keep-alive to servers while closing' },
  { name: 'option http-restrict-req-hdr-names', proxy: ALL, args: [en('policy', ['preserve', 'delete', 'reject'])], description: 'What to do with request header names holding unusual characters' },
  { name: 'option http-server-close', proxy: ALL, negatable: true, args: [], description: 'Closes server connections after each response' },
  { name: 'option http-use-proxy-header', proxy: DFL_FE, negatable: true, args: [], httpOnly: true, description: 'Uses Proxy-Connection like Connection for proxies' },
  { name: 'option httpchk', proxy: DFL_BE, args: [rest('request', 'string')], description: 'Enables HTTP health checks (optional method, URI, version)' },
  { name: 'option httpclose', proxy: ALL, negatable: true, args: [], description: 'Closes connections after each request/response' },
  { name: 'option httplog', proxy: DFL_FE, args: [{ name: 'clf', type: 'enum', values: ['clf'], optional: true }], httpOnly: true, description: 'HTTP log format (in tcp mode HAProxy falls back to option tcplog)' },
  { name: 'option httpslog', proxy: DFL_FE, args: [], httpOnly: true, description: 'HTTP log format with TLS details (in tcp mode HAProxy falls back to option tcplog)' },
  { name: 'option independent-streams', proxy: ALL, negatable: true, args: [], description: 'Read and write timeouts of each side are independent' },
  { name: 'option ldap-check', proxy: DFL_BE, args: [], description: 'LDAPv3 health checks' },
  { name: 'option external-check', proxy: DFL_BE, args: [], description: 'Health checks by running an external command' },
  { name: 'option log-health-checks', proxy: DFL_BE, negatable: true, args: [], description: 'Logs health check state changes in detail' },
  { name: 'option log-separate-errors', proxy: DFL_FE, negatable: true, args: [], description: 'Logs errors with a higher level' },
  { name: 'option logasap', proxy: DFL_FE, negatable: true, args: [], description: 'Logs before the transfer ends' },
  { name: 'option mysql-check', proxy: DFL_BE, args: [rest('options', 'keywords')], description: 'MySQL health checks' },
  { name: 'option nolinger', proxy: ALL, negatable: true, args: [], description: 'Closes connections with a reset instead of lingering' },
  { name: 'option originalto', proxy: ALL, args: [rest('options', 'keywords')], httpOnly: true, description: 'Adds an X-Original-To header with the original destination' },
  { name: 'option persist', proxy: DFL_BE, negatable: true, args: [], description: 'Keeps sending persistent traffic to a down server' },
  { name: 'option pgsql-check', proxy: DFL_BE, args: [rest('options', 'keywords')], description: 'PostgreSQL health checks' },
  { name: 'option prefer-last-server', proxy: DFL_BE, negatable: true, args: [], httpOnly: true, description: 'Prefers the server of the previous request of the connection' },
  { name: 'option redispatch', proxy: DFL_BE, negatable: true, args: [{ name: 'interval', type: 'integer', optional: true }], description: 'Allows retrying on another server after a connection failure' },
  { name: 'option redis-check', proxy: DFL_BE, args: [], description: 'Redis health checks' },
  { name: 'option smtpchk', proxy: DFL_BE, args: [rest('hello', 'string')], description: 'SMTP health checks' },
  { name: 'option socket-stats', proxy: DFL_FE, negatable: true, args: [], description: 'Keeps statistics per listening socket' },
  { name: 'option splice-auto', proxy: ALL, negatable: true, args: [], description: 'Lets the kernel splice data when it looks useful' },
  { name: 'option splice-request', proxy: ALL, negatable: true, args: [], description: 'Kernel splicing for request data' },
  { name: 'option splice-response', proxy: ALL, negatable: true, args: [], description: 'Kernel splicing for response data' },
  { name: 'option spop-check', proxy: DFL_BE, args: [], description: 'SPOP health checks (for SPOE agents)' },
  { name: 'option srvtcpka', proxy: DFL_BE, negatable: true, args: [], description: 'Enables TCP keepalive on server connections' },
  { name: 'option ssl-hello-chk', proxy: DFL_BE, args: [], description: 'SSLv3 client hello health checks' },
  { name: 'option tcp-check', proxy: DFL_BE, args: [], description: 'Health checks by tcp-check rules' },
  { name: 'option tcp-smart-accept', proxy: DFL_FE, negatable: true, args: [], description: 'Delays accepting connections until data arrives' },
  { name: 'option tcp-smart-connect', proxy: DFL_BE, negatable: true, args: [], description: 'Sends the first data with the connection handshake' },
  { name: 'option tcpka', proxy: ALL, args: [], description: 'Enables TCP keepalive on both sides' },
  { name: 'option tcplog', proxy: ALL, args: [], description: 'TCP log format' },
  { name: 'option transparent', proxy: DFL_BE, negatable: true, args: [], description: 'Connects to the original destination when no server is chosen' },
  { name: 'option idle-close-on-response', proxy: DFL_FE, negatable: true, args: [], httpOnly: true, description: 'Keeps idle front connections open until the response is sent during soft-stop' },
  { name: 'external-check command', proxy: DFL_BE, args: [file('command')], description: 'Command run for external health checks' },
  { name: 'external-check path', proxy: DFL_BE, args: [str('path')], description: 'PATH given to external check commands' },
  { name: 'persist rdp-cookie', proxy: DFL_BE, args: [rest('name', 'string')], description: 'Persistence on the RDP cookie' },
  { name: 'rate-limit sessions', proxy: DFL_FE, args: [int('rate')], description: 'Maximum new sessions per second on the frontend' },
  { name: 'redirect', proxy: NO_DFL, args: [en('type', ['location', 'prefix', 'scheme']), str('target'), rest('options', 'keywords')], condition: true, httpOnly: true, description: 'Returns an HTTP redirect (location, prefix or scheme)' },
  { name: 'retries', proxy: DFL_BE, args: [int('count')], description: 'Connection retries to a server before giving up' },
  { name: 'retry-on', proxy: DFL_BE, args: [rest('events', 'keywords')], description: 'Failure kinds that trigger a retry (conn-failure, 503, …)' },
  { name: 'server', proxy: BE_ONLY, args: [name('name'), { name: 'address', type: 'address' }, rest('options', 'keywords')], description: 'Declares a server' },
  { name: 'server-state-file-name', proxy: DFL_BE, args: [str('file', true)], description: 'Server state file used by this backend' },
  { name: 'server-template', proxy: BE_ONLY, args: [name('prefix'), str('range'), { name: 'address', type: 'address' }, rest('options', 'keywords')], description: 'Declares a set of numbered servers' },
  { name: 'source', proxy: DFL_BE, args: [{ name: 'address', type: 'address' }, rest('options', 'keywords')], description: 'Source address of server connections' },
  { name: 'srvtcpka-cnt', proxy: DFL_BE, args: [int('count')], description: 'TCP keepalive probes before dropping a server connection' },
  { name: 'srvtcpka-idle', proxy: DFL_BE, args: [{ name: 'time', type: 'time', unit: 's' }], description: 'Idle time before server-side TCP keepalive probes start' },
  { name: 'srvtcpka-intvl', proxy: DFL_BE, args: [{ name: 'time', type: 'time', unit: 's' }], description: 'Interval between server-side TCP keepalive probes' },
  { name: 'stats admin', proxy: NO_DFL, args: [], condition: true, httpOnly: true, description: 'Enables the stats page admin features when the condition matches' },
  { name: 'stats auth', proxy: ALL, args: [str('user:password')], httpOnly: true, description: 'User and password allowed on the stats page' },
  { name: 'stats enable', proxy: ALL, args: [], httpOnly: true, description: 'Enables the stats page with default settings' },
  { name: 'stats hide-version', proxy: ALL, args: [], httpOnly: true, description: 'Hides the HAProxy version on the stats page' },
  { name: 'stats http-request', proxy: NO_DFL, args: [en('action', ['allow', 'deny', 'auth']), rest('options', 'keywords')], condition: true, httpOnly: true, description: 'Access rule of the stats page (allow, deny, auth)' },
  { name: 'stats realm', proxy: ALL, args: [str('realm')], httpOnly: true, description: 'Authentication realm of the stats page' },
  { name: 'stats refresh', proxy: ALL, args: [{ name: 'delay', type: 'time', unit: 's' }], httpOnly: true, description: 'Auto-refresh interval of the stats page' },
  { name: 'stats scope', proxy: ALL, args: [str('proxy')], httpOnly: true, description: 'Restricts the stats page to some proxies' },
  { name: 'stats show-desc', proxy: ALL, args: [rest('text', 'string')], httpOnly: true, description: 'Shows a description on the stats page' },
  { name: 'stats show-legends', proxy: ALL, args: [], httpOnly: true, description: 'Shows legends on the stats page' },
  { name: 'stats show-modules', proxy: ALL, args: [], httpOnly: true, description: 'Shows the statistics of extra modules on the stats page' },
  { name: 'stats show-node', proxy: ALL, args: [str('name', true)], httpOnly: true, description: 'Shows the node name on the stats page' },
  { name: 'stats uri', proxy: ALL, args: [str('prefix')], httpOnly: true, description: 'URI prefix of the stats page' },
  { name: 'stick match', proxy: BE_ONLY, args: [sample('pattern'), ...TABLE_OPT], condition: true, description: 'Looks the sample up in the table to choose a server' },
  { name: 'stick on', proxy: BE_ONLY, args: [sample('pattern'), ...TABLE_OPT], condition: true, description: 'Matches and stores the sample in the table (match + store-request)' },
  { name: 'stick store-request', proxy: BE_ONLY, args: [sample('pattern'), ...TABLE_OPT], condition: true, description: 'Stores the sample with the chosen server in the table' },
  { name: 'stick store-response', proxy: BE_ONLY, args: [sample('pattern'), ...TABLE_OPT], condition: true, description: 'Stores a response sample with the server in the table' },
  { name: 'stick-table', proxy: NO_DFL, args: [kwd('type'), en('type', ['ip', 'ipv6', 'integer', 'string', 'binary']), rest('options', 'keywords')], description: 'Declares the stick-table of this proxy' },
  { name: 'tcp-check comment', proxy: DFL_BE, args: [str('text')], description: 'Comment reported for the next tcp-check rule' },
  { name: 'tcp-check connect', proxy: DFL_BE, args: [rest('options', 'keywords')], description: 'TCP health check step: opens a connection with options' },
  { name: 'tcp-check expect', proxy: DFL_BE, args: [rest('match', 'keywords')], description: 'TCP health check step: expected reply' },
  { name: 'tcp-check send', proxy: DFL_BE, args: [str('data'), rest('options', 'keywords')], description: 'TCP health check step: sends a string' },
  { name: 'tcp-check send-lf', proxy: DFL_BE, args: [lf('format'), rest('options', 'keywords')], description: 'TCP health check step: sends a log-format string' },
  { name: 'tcp-check send-binary', proxy: DFL_BE, args: [str('hex'), rest('options', 'keywords')], description: 'TCP health check step: sends hex-encoded bytes' },
  { name: 'tcp-check send-binary-lf', proxy: DFL_BE, args: [lf('format'), rest('options', 'keywords')], description: 'TCP health check step: sends hex bytes built from a log-format' },
  { name: 'tcp-check set-var', proxy: DFL_BE, args: [sample('expression')], description: 'TCP health check step: sets a check-scoped variable' },
  { name: 'tcp-check unset-var', proxy: DFL_BE, args: [], description: 'TCP health check step: unsets a check-scoped variable' },
  { name: 'tcp-request connection', proxy: NAMED_FE, condition: true, description: 'Rule applied when a connection is accepted, before any data' },
  { name: 'tcp-request content', proxy: NAMED_ALL, condition: true, description: 'Rule applied to request contents (layer 4 to 7)' },
  { name: 'tcp-request inspect-delay', proxy: NAMED_ALL, args: [time('delay')], description: 'Maximum wait for request data needed by tcp-request content rules' },
  { name: 'tcp-request session', proxy: NAMED_FE, condition: true, description: 'Rule applied once the session is established (after TLS/PROXY)' },
  { name: 'tcp-response content', proxy: NAMED_BE, condition: true, description: 'Rule applied to response contents' },
  { name: 'tcp-response inspect-delay', proxy: NAMED_BE, args: [time('delay')], description: 'Maximum wait for response data needed by tcp-response content rules' },
  { name: 'timeout check', proxy: DFL_BE, args: [time('timeout')], description: 'Timeout of health check responses once connected' },
  { name: 'timeout client', proxy: DFL_FE, args: [time('timeout')], description: 'Client inactivity timeout' },
  { name: 'timeout client-fin', proxy: DFL_FE, args: [time('timeout')], description: 'Client inactivity timeout once the client side is half-closed' },
  { name: 'timeout connect', proxy: DFL_BE, args: [time('timeout')], description: 'Timeout of server connection attempts' },
  { name: 'timeout http-keep-alive', proxy: ALL, args: [time('timeout')], description: 'Wait for a new request on a keep-alive connection' },
  { name: 'timeout http-request', proxy: ALL, args: [time('timeout')], description: 'Time allowed to receive complete request headers' },
  { name: 'timeout queue', proxy: DFL_BE, args: [time('timeout')], description: 'Maximum time a request waits in the queue' },
  { name: 'timeout server', proxy: DFL_BE, args: [time('timeout')], description: 'Server inactivity timeout' },
  { name: 'timeout server-fin', proxy: DFL_BE, args: [time('timeout')], description: 'Server inactivity timeout once the server side is half-closed' },
  { name: 'timeout tarpit', proxy: ALL, args: [time('timeout')], description: 'How long tarpitted requests are held' },
  { name: 'timeout tunnel', proxy: DFL_BE, args: [time('timeout')], description: 'Inactivity timeout of tunnels (WebSocket, CONNECT, tcp after upgrade)' },
  { name: 'transparent', proxy: DFL_BE, args: [], deprecated: { replacement: 'option transparent' }, description: 'Old spelling of "option transparent"' },
  { name: 'unique-id-format', proxy: DFL_FE, args: [lf('format')], description: 'Format of the request unique id' },
  { name: 'unique-id-header', proxy: DFL_FE, args: [{ name: 'header', type: 'header-name' }], description: 'Request header that carries the unique id' },
  { name: 'use_backend', proxy: FE_ONLY, args: [{ name: 'backend', type: 'backend' }], condition: true, description: 'Switches to a backend when the condition matches' },
  { name: 'use-fcgi-app', proxy: BE_ONLY, args: [name('fcgi-app')], httpOnly: true, description: 'FastCGI application used by this backend' },
  { name: 'use-server', proxy: BE_ONLY, args: [{ name: 'server', type: 'server' }], condition: true, description: 'Forces a server when the condition matches' },
];

/**
 * Proxy keywords that 2.6 refuses with a "not supported anymore" error. Not part of the lookups:
 * use them to turn "unknown keyword" into "removed, write … instead".
 */
export const removedProxyKeywords: readonly KeywordSpec[] = [
  { name: 'clitimeout', until: '2.1', deprecated: { replacement: 'timeout client' }, description: 'Removed in 2.1; use "timeout client"' },
  { name: 'contimeout', until: '2.1', deprecated: { replacement: 'timeout connect' }, description: 'Removed in 2.1; use "timeout connect"' },
  { name: 'srvtimeout', until: '2.1', deprecated: { replacement: 'timeout server' }, description: 'Removed in 2.1; use "timeout server"' },
  { name: 'redisp', until: '2.1', deprecated: { replacement: 'option redispatch' }, description: 'Removed in 2.1; use "option redispatch"' },
  { name: 'redispatch', until: '2.1', deprecated: { replacement: 'option redispatch' }, description: 'Removed in 2.1; use "option redispatch"' },
  { name: 'block', until: '2.1', deprecated: { replacement: 'http-request deny' }, description: 'Removed in 2.1; use "http-request deny"' },
  { name: 'reqadd', until: '2.1', deprecated: { replacement: 'http-request add-header' }, description: 'Removed in 2.1; use "http-request add-header"' },
  { name: 'reqdel', until: '2.1', deprecated: { replacement: 'http-request del-header' }, description: 'Removed in 2.1; use "http-request del-header"' },
  { name: 'reqrep', until: '2.1', deprecated: { replacement: 'http-request replace-header' }, description: 'Removed in 2.1; use "http-request replace-header"' },
  { name: 'reqirep', until: '2.1', deprecated: { replacement: 'http-request replace-header' }, description: 'Removed in 2.1; use "http-request replace-header"' },
  { name: 'reqdeny', until: '2.1', deprecated: { replacement: 'http-request deny' }, description: 'Removed in 2.1; use "http-request deny"' },
  { name: 'reqideny', until: '2.1', deprecated: { replacement: 'http-request deny' }, description: 'Removed in 2.1; use "http-request deny"' },
  { name: 'reqallow', until: '2.1', deprecated: { replacement: 'http-request allow' }, description: 'Removed in 2.1; use "http-request allow"' },
  { name: 'reqiallow', until: '2.1', deprecated: { replacement: 'http-request allow' }, description: 'Removed in 2.1; use "http-request allow"' },
  { name: 'reqpass', until: '2.1', deprecated: { note: 'no replacement: remove it' }, description: 'Removed in 2.1' },
  { name: 'reqipass', until: '2.1', deprecated: { note: 'no replacement: remove it' }, description: 'Removed in 2.1' },
  { name: 'reqtarpit', until: '2.1', deprecated: { replacement: 'http-request tarpit' }, description: 'Removed in 2.1; use "http-request tarpit"' },
  { name: 'reqitarpit', until: '2.1', deprecated: { replacement: 'http-request tarpit' }, description: 'Removed in 2.1; use "http-request tarpit"' },
  { name: 'rspadd', until: '2.1', deprecated: { replacement: 'http-response add-header' }, description: 'Removed in 2.1; use "http-response add-header"' },
  { name: 'rspdel', until: '2.1', deprecated: { replacement: 'http-response del-header' }, description: 'Removed in 2.1; use "http-response del-header"' },
  { name: 'rsprep', until: '2.1', deprecated: { replacement: 'http-response replace-header' }, description: 'Removed in 2.1; use "http-response replace-header"' },
  { name: 'rspirep', until: '2.1', deprecated: { replacement: 'http-response replace-header' }, description: 'Removed in 2.1; use "http-response replace-header"' },
  { name: 'rspdeny', until: '2.1', deprecated: { replacement: 'http-response deny' }, description: 'Removed in 2.1; use "http-response deny"' },
  { name: 'rspideny', until: '2.1', deprecated: { replacement: 'http-response deny' }, description: 'Removed in 2.1; use "http-response deny"' },
  { name: 'monitor-net', until: '2.4', deprecated: { replacement: 'http-request return status 200 if { src <net> }' }, description: 'Removed in 2.4; use "http-request return status 200 if { src <net> }"' },
  { name: 'grace', until: '2.5', deprecated: { note: 'no replacement: remove it' }, description: 'Removed in 2.5' },
  { name: 'option forceclose', until: '2.0', deprecated: { replacement: 'option httpclose' }, description: 'Removed in 2.0; use "option httpclose"' },
  { name: 'option http-tunnel', until: '2.1', deprecated: { note: 'no replacement: remove it' }, description: 'Removed in 2.1' },
  { name: 'option http_proxy', until: '2.5', deprecated: { replacement: 'http-request set-dst' }, description: 'Removed in 2.5; use "http-request set-dst"' },
];
