// Keywords of the non-proxy sections of HAProxy 2.6: global, userlist, peers, resolvers, mailers,
// http-errors, ring, cache, program, fcgi-app and log-forward. The global list is the binary's
// registered keywords plus the core ones parsed directly by HAProxy; descriptions are ours.
// The same name may appear in several sections with a different shape (`user` in global and in
// userlist): names are unique per section, not across sections.
import type { ArgSpec, ArgType, KeywordSpec } from './types.js';
import type { SectionKind } from '../ast/nodes.js';

const arg = (name: string, type: ArgType, optional = false): ArgSpec => (optional ? { name, type, optional } : { name, type });
const int = (n: string, optional = false) => arg(n, 'integer', optional);
const str = (n: string, optional = false) => arg(n, 'string', optional);
const nm = (n: string) => arg(n, 'name');
const file = (n: string) => arg(n, 'file');
const size = (n: string) => arg(n, 'size');
const addr = (n: string) => arg(n, 'address');
const time = (n: string, unit: 'us' | 'ms' | 's' = 'ms'): ArgSpec => ({ name: n, type: 'time', unit });
const en = (n: string, values: readonly string[], optional = false): ArgSpec => ({ name: n, type: 'enum', values, ...(optional ? { optional } : {}) });
const kwd = (word: string, optional = false): ArgSpec => ({ name: word, type: 'enum', values: [word], ...(optional ? { optional } : {}) });
const rest = (n: string, type: ArgType = 'keywords'): ArgSpec => ({ name: n, type, optional: true, repeat: true });
const NONE: readonly ArgSpec[] = [];
const ON_OFF = ['on', 'off'] as const;

type Row = [name: string, description: string, args?: readonly ArgSpec[], extra?: Partial<KeywordSpec>];
const table = (section: SectionKind, rows: readonly Row[]): KeywordSpec[] =>
  rows.map(([name, description, args, extra]) => ({
    name, sections: [section], ...(args ? { args } : {}), ...extra, description,
  }));

// ---- global ----------------------------------------------------------------------------------
export const globalKeywordSpecs: readonly KeywordSpec[] = table('global', [
  // process management and security
  ['busy-polling', 'Polls in a busy loop instead of sleeping (lower latency, more CPU)', NONE],
  ['ca-base', 'Directory prepended to relative CA and CRL file paths', [file('dir')]],
  ['chroot', 'Directory the process chroots into after startup', [file('dir')]],
  ['close-spread-time', 'Time over which idle connections are closed during soft-stop', [time('time')]],
  ['cluster-secret', 'Secret shared by a cluster (used for QUIC retry tokens)', [str('secret')]],
  ['cpu-map', 'Binds threads to CPUs', [str('threads'), rest('cpus', 'string')]],
  ['crt-base', 'Directory prepended to relative certificate paths', [file('dir')]],
  ['daemon', 'Runs in the background', NONE],
  ['default-path', 'Base directory for relative paths in the configuration', [en('mode', ['current', 'config', 'parent', 'origin']), str('path', true)]],
  ['description', 'Free text describing this instance (stats page)', [rest('text', 'string')]],
  ['expose-experimental-directives', 'Allows keywords flagged as experimental', NONE],
  ['external-check', 'Allows external health check commands', [kwd('preserve-env', true)]],
  ['fd-hard-limit', 'Upper bound for the file descriptor limit HAProxy computes', [int('number')]],
  ['gid', 'Numeric group id the process switches to', [int('gid')]],
  ['grace', 'Delay between a soft-stop signal and the actual stop of listeners', [time('time')]],
  ['group', 'Group name the process switches to', [nm('group')]],
  ['h1-accept-payload-with-any-method', 'Accepts HTTP/1 request bodies with GET, HEAD and DELETE', NONE],
  ['h1-case-adjust', 'Header name spelling to restore on HTTP/1 output', [str('from'), str('to')]],
  ['h1-case-adjust-file', 'File of header name spellings to restore on HTTP/1 output', [file('file')]],
  ['h2-workaround-bogus-websocket-clients', 'Hides the H2 extended CONNECT setting from buggy WebSocket clients', NONE],
  ['hard-stop-after', 'Maximum time a soft-stop may take before a hard stop', [time('time')]],
  ['httpclient.resolvers.id', 'Resolvers section used by the internal HTTP client', [arg('resolvers', 'resolvers')]],
  ['httpclient.resolvers.prefer', 'Address family preferred by the internal HTTP client', [en('family', ['ipv4', 'ipv6'])]],
  ['httpclient.ssl.ca-file', 'CA file used by the internal HTTP client', [file('file')]],
  ['httpclient.ssl.verify', 'Server certificate verification of the internal HTTP client', [en('mode', ['none', 'required'])]],
  ['insecure-fork-wanted', 'Allows forking (Lua, external checks) despite the security risk', NONE],
  ['insecure-setuid-wanted', 'Allows running setuid binaries from HAProxy', NONE],
  ['issuers-chain-path', 'Directory of issuer certificates used to complete chains', [file('dir')]],
  ['localpeer', 'Name of the local peer in peers sections (instead of the host name)', [nm('name')]],
  ['log', 'Global log target (address, facility, level)', [rest('target')]],
  ['log-send-hostname', 'Adds the host name (or a given one) to syslog headers', [str('name', true)]],
  ['log-tag', 'Tag (program name) of the log lines', [str('tag')]],
  ['lua-load', 'Loads a Lua script shared by all threads', [file('file'), rest('args', 'string')]],
  ['lua-load-per-thread', 'Loads a Lua script in every thread', [file('file'), rest('args', 'string')]],
  ['lua-prepend-path', 'Prepends a path to the Lua package search paths', [str('path'), en('type', ['path', 'cpath'], true)]],
  ['master-worker', 'Runs in master-worker mode', [kwd('no-exit-on-failure', true)]],
  ['mworker-max-reloads', 'Reloads a worker may survive before being killed', [int('count')]],
  ['nbthread', 'Number of threads', [int('threads')]],
  ['node', 'Node name shown on the stats page', [str('name')]],
  ['no-memory-trimming', 'Does not give freed memory back to the system on reload', NONE],
  ['numa-cpu-mapping', 'Binds to the CPUs of one NUMA node when no cpu-map is set', NONE],
  ['pidfile', 'File where the process id is written', [file('file')]],
  ['pp2-never-send-local', 'Sends PROXY v2 health checks as PROXY, never LOCAL', NONE],
  ['presetenv', 'Sets an environment variable unless it already exists', [str('name'), str('value')]],
  ['resetenv', 'Clears the environment except the listed variables', [rest('names', 'string')]],
  ['set-dumpable', 'Allows core dumps after privileges are dropped', NONE],
  ['set-var', 'Sets a proc-scoped variable from a sample expression at startup', [arg('name', 'variable'), arg('expression', 'sample')]],
  ['set-var-fmt', 'Sets a proc-scoped variable from a log-format string at startup', [arg('name', 'variable'), arg('format', 'log-format')]],
  ['setenv', 'Sets an environment variable', [str('name'), str('value')]],
  ['ssl-default-bind-ciphers', 'Default TLS ≤1.2 cipher list of bind lines', [str('ciphers')]],
  ['ssl-default-bind-ciphersuites', 'Default TLS 1.3 cipher suites of bind lines', [str('ciphersuites')]],
  ['ssl-default-bind-curves', 'Default elliptic curves of bind lines', [str('curves')]],
  ['ssl-default-bind-options', 'Default TLS options of bind lines', [rest('options')]],
  ['ssl-default-server-ciphers', 'Default TLS ≤1.2 cipher list of server lines', [str('ciphers')]],
  ['ssl-default-server-ciphersuites', 'Default TLS 1.3 cipher suites of server lines', [str('ciphersuites')]],
  ['ssl-default-server-options', 'Default TLS options of server lines', [rest('options')]],
  ['ssl-dh-param-file', 'Default Diffie-Hellman parameters file', [file('file')]],
  ['ssl-load-extra-del-ext', 'Strips the certificate file extension when loading extra files', NONE],
  ['ssl-load-extra-files', 'Which extra files (key, ocsp, issuer, sctl) are loaded next to certificates', [rest('types')]],
  ['ssl-mode-async', 'Asynchronous TLS engine mode', NONE],
  ['ssl-propquery', 'OpenSSL 3 property query string', [str('query')]],
  ['ssl-provider', 'Loads an OpenSSL 3 provider', [str('name')]],
  ['ssl-provider-path', 'Directory of OpenSSL 3 providers', [file('dir')]],
  ['ssl-server-verify', 'Default server certificate verification', [en('mode', ['none', 'required'])]],
  ['ssl-skip-self-issued-ca', 'Does not send self-issued CA certificates in the chain', NONE],
  ['stats bind-process', 'Historical stats socket process binding (no effect)', [rest('processes', 'string')], { deprecated: { note: 'no effect since 2.5' } }],
  ['stats maxconn', 'Maximum concurrent connections on the stats sockets', [int('conns')]],
  ['stats socket', 'Runtime API (CLI) socket with its bind options', [arg('address', 'bind-address'), rest('options')]],
  ['stats timeout', 'Inactivity timeout of the stats sockets', [time('timeout')]],
  ['strict-limits', 'Fails at startup when resource limits cannot be raised', NONE],
  ['thread-group', 'Threads assigned to a thread group', [int('group'), str('threads', true)]],
  ['thread-groups', 'Number of thread groups', [int('count')]],
  ['uid', 'Numeric user id the process switches to', [int('uid')]],
  ['ulimit-n', 'Maximum number of file descriptors', [int('number')]],
  ['unix-bind', 'Defaults for UNIX socket binds (prefix, mode, user, group)', [rest('options')]],
  ['unsetenv', 'Removes environment variables', [rest('names', 'string')]],
  ['user', 'User name the process switches to', [nm('user')]],
  // performance tuning
  ['max-spread-checks', 'Maximum delay used to spread the first health checks', [time('time')]],
  ['maxcompcpuusage', 'CPU usage above which compression is disabled', [int('percent')]],
  ['maxcomprate', 'Maximum compression input rate, in kB/s', [int('rate')]],
  ['maxconn', 'Maximum concurrent connections of the process', [int('conns')]],
  ['maxconnrate', 'Maximum new connections per second of the process', [int('rate')]],
  ['maxpipes', 'Maximum number of pipes used for splicing', [int('number')]],
  ['maxsessrate', 'Maximum new sessions per second of the process', [int('rate')]],
  ['maxsslconn', 'Maximum concurrent TLS connections', [int('conns')]],
  ['maxsslrate', 'Maximum new TLS sessions per second', [int('rate')]],
  ['maxzlibmem', 'Memory limit of zlib compression, in MB', [int('megabytes')]],
  ['noepoll', 'Disables the epoll poller', NONE],
  ['noevports', 'Disables the event ports poller', NONE],
  ['nogetaddrinfo', 'Resolves names with gethostbyname instead of getaddrinfo', NONE],
  ['nokqueue', 'Disables the kqueue poller', NONE],
  ['nopoll', 'Disables the poll poller', NONE],
  ['noreuseport', 'Disables SO_REUSEPORT on listeners', NONE],
  ['nosplice', 'Disables kernel splicing', NONE],
  ['profiling.tasks', 'Per-task CPU profiling', [en('mode', ['auto', 'on', 'off'])]],
  ['server-state-base', 'Directory of server state files', [file('dir')]],
  ['server-state-file', 'Global server state file loaded at startup', [file('file')]],
  ['spread-checks', 'Random spread of health check intervals, in percent', [int('percent')]],
  ['tune.buffers.limit', 'Maximum number of buffers per thread', [int('number')]],
  ['tune.buffers.reserve', 'Buffers kept in reserve for important operations', [int('number')]],
  ['tune.bufsize', 'Size of I/O buffers, in bytes', [int('bytes')]],
  ['tune.comp.maxlevel', 'Maximum compression level', [int('level')]],
  ['tune.fail-alloc', 'Percentage of allocations made to fail (debugging)', [int('percent')]],
  ['tune.fd.edge-triggered', 'Edge-triggered polling (experimental)', [en('state', ON_OFF)]],
  ['tune.h2.header-table-size', 'HTTP/2 HPACK dynamic table size', [int('bytes')]],
  ['tune.h2.initial-window-size', 'HTTP/2 initial stream window size', [int('bytes')]],
  ['tune.h2.max-concurrent-streams', 'HTTP/2 maximum concurrent streams per connection', [int('number')]],
  ['tune.h2.max-frame-size', 'HTTP/2 maximum frame size advertised', [int('bytes')]],
  ['tune.http.cookielen', 'Maximum captured cookie length for logs', [int('length')]],
  ['tune.http.logurilen', 'Maximum URI length kept for logs', [int('length')]],
  ['tune.http.maxhdr', 'Maximum number of headers in a message', [int('number')]],
  ['tune.idle-pool.shared', 'Shares idle server connections between threads', [en('state', ON_OFF)]],
  ['tune.idletimer', 'Idle time after which splicing may start, in ms', [time('timeout')]],
  ['tune.listener.multi-queue', 'Spreads accepted connections over thread queues', [en('state', ON_OFF)]],
  ['tune.lua.forced-yield', 'Lua instructions executed before a forced yield', [int('number')]],
  ['tune.lua.maxmem', 'Memory limit of Lua, in MB', [int('megabytes')]],
  ['tune.lua.service-timeout', 'Execution timeout of Lua services', [time('timeout')]],
  ['tune.lua.session-timeout', 'Execution timeout of Lua actions and fetches', [time('timeout')]],
  ['tune.lua.task-timeout', 'Execution timeout of Lua tasks', [time('timeout')]],
  ['tune.maxaccept', 'Connections accepted in one go per listener', [int('number')]],
  ['tune.maxpollevents', 'Events processed per poller call', [int('number')]],
  ['tune.maxrewrite', 'Buffer space reserved for header rewriting', [int('bytes')]],
  ['tune.pattern.cache-size', 'Entries of the pattern match cache', [int('number')]],
  ['tune.peers.max-updates-at-once', 'Stick-table updates sent to peers in one go', [int('number')]],
  ['tune.pipesize', 'Size of splicing pipes', [int('bytes')]],
  ['tune.pool-high-fd-ratio', 'Share of file descriptors above which idle connections are not kept', [int('percent')]],
  ['tune.pool-low-fd-ratio', 'Share of file descriptors above which idle connections stop being shared', [int('percent')]],
  ['tune.rcvbuf.client', 'Kernel receive buffer size on client sockets', [int('bytes')]],
  ['tune.rcvbuf.server', 'Kernel receive buffer size on server sockets', [int('bytes')]],
  ['tune.recv_enough', 'Received bytes considered enough to stop reading', [int('bytes')]],
  ['tune.runqueue-depth', 'Tasks processed per scheduler loop', [int('number')]],
  ['tune.sched.low-latency', 'Scheduler priority to latency-sensitive tasks', [en('state', ON_OFF)]],
  ['tune.sndbuf.client', 'Kernel send buffer size on client sockets', [int('bytes')]],
  ['tune.sndbuf.server', 'Kernel send buffer size on server sockets', [int('bytes')]],
  ['tune.ssl.cachesize', 'Entries of the TLS session cache', [int('number')]],
  ['tune.ssl.capture-buffer-size', 'Bytes of the ClientHello kept for ssl_fc_cipherlist_* and friends', [int('bytes')]],
  ['tune.ssl.capture-cipherlist-size', 'Old name of tune.ssl.capture-buffer-size', [int('bytes')], { deprecated: { replacement: 'tune.ssl.capture-buffer-size' } }],
  ['tune.ssl.default-dh-param', 'Maximum Diffie-Hellman parameter size', [int('bits')]],
  ['tune.ssl.force-private-cache', 'Keeps the TLS session cache private to the process', NONE],
  ['tune.ssl.hard-maxrecord', 'Hard maximum TLS record size', [int('bytes')]],
  ['tune.ssl.keylog', 'Keeps TLS secrets for the ssl_*_secret fetches', [en('state', ON_OFF)]],
  ['tune.ssl.lifetime', 'Lifetime of cached TLS sessions', [time('time', 's')]],
  ['tune.ssl.maxrecord', 'Initial maximum TLS record size', [int('bytes')]],
  ['tune.ssl.ssl-ctx-cache-size', 'Entries of the generated certificate cache', [int('number')]],
  ['tune.vars.check-max-size', 'Memory limit of check-scoped variables', [size('bytes')]],
  ['tune.vars.global-max-size', 'Memory limit of all variables', [size('bytes')]],
  ['tune.vars.proc-max-size', 'Memory limit of proc-scoped variables', [size('bytes')]],
  ['tune.vars.reqres-max-size', 'Memory limit of req/res-scoped variables', [size('bytes')]],
  ['tune.vars.sess-max-size', 'Memory limit of sess-scoped variables', [size('bytes')]],
  ['tune.vars.txn-max-size', 'Memory limit of txn-scoped variables', [size('bytes')]],
  // debugging
  ['quiet', 'Prints nothing at startup', NONE],
  ['zero-warning', 'Treats warnings as fatal at startup', NONE],
]);

/** Global keywords that 2.6 refuses, with what to write instead. Not part of the lookups. */
export const removedGlobalKeywords: readonly KeywordSpec[] = [
  { name: 'nbproc', sections: ['global'], until: '2.5', deprecated: { replacement: 'nbthread' }, description: 'Removed in 2.5; threads replace processes' },
  { name: 'tune.chksize', sections: ['global'], until: '2.6', deprecated: { replacement: 'tune.bufsize' }, description: 'Removed; check buffers use tune.bufsize' },
  { name: 'debug', sections: ['global'], until: '2.6', deprecated: { note: 'use the -d command line option' }, description: 'Removed; use the -d command line option' },
];

// ---- userlist --------------------------------------------------------------------------------
export const userlistKeywordSpecs: readonly KeywordSpec[] = table('userlist', [
  ['group', 'Declares a group, optionally with its users', [nm('name'), kwd('users', true), str('users', true)]],
  ['user', 'Declares a user with a hashed or plain password and groups', [nm('name'), rest('options')]],
]);

// ---- peers -----------------------------------------------------------------------------------
export const peersKeywordSpecs: readonly KeywordSpec[] = table('peers', [
  ['bind', 'Listening address of the local peer', [arg('address', 'bind-address'), rest('options')]],
  ['default-bind', 'Default bind options of the local peer', [rest('options')]],
  ['default-server', 'Default server options of the peers', [rest('options')]],
  ['disabled', 'Disables the peers section', NONE],
  ['enabled', 'Enables the peers section', NONE],
  ['log', 'Log target of the peers listener', [rest('target')]],
  ['peer', 'Declares a peer (the local one is named after the host or localpeer)', [nm('name'), addr('address'), rest('options')]],
  ['server', 'Declares a remote peer (or the local one without address)', [nm('name'), arg('address', 'address', true), rest('options')]],
  ['table', 'Declares a stick-table shared through this section', [nm('name'), kwd('type'), en('type', ['ip', 'ipv6', 'integer', 'string', 'binary']), rest('options')]],
]);

// ---- resolvers -------------------------------------------------------------------------------
export const resolversKeywordSpecs: readonly KeywordSpec[] = table('resolvers', [
  ['accepted_payload_size', 'Maximum DNS response size announced (EDNS0)', [int('bytes')]],
  ['hold', 'How long a resolution status is kept', [en('status', ['nx', 'other', 'refused', 'timeout', 'valid', 'obsolete']), time('period')]],
  ['nameserver', 'Declares a DNS server', [nm('id'), addr('address')]],
  ['parse-resolv-conf', 'Adds the name servers of /etc/resolv.conf', NONE],
  ['resolve_retries', 'Queries sent before giving up on a resolution', [int('count')]],
  ['timeout resolve', 'Interval between resolutions', [time('time')]],
  ['timeout retry', 'Wait for a DNS answer before retrying', [time('time')]],
]);

// ---- mailers ---------------------------------------------------------------------------------
export const mailersKeywordSpecs: readonly KeywordSpec[] = table('mailers', [
  ['mailer', 'Declares an SMTP server', [nm('name'), addr('address')]],
  ['timeout mail', 'Time allowed to send a mail', [time('time')]],
]);

// ---- http-errors -----------------------------------------------------------------------------
export const httpErrorsKeywordSpecs: readonly KeywordSpec[] = table('http-errors', [
  ['errorfile', 'Body file for an HTTP status', [arg('status', 'status'), file('file')]],
]);

// ---- ring ------------------------------------------------------------------------------------
export const ringKeywordSpecs: readonly KeywordSpec[] = table('ring', [
  ['backing-file', 'File that backs the ring memory (after size)', [file('file')]],
  ['description', 'Free text describing the ring', [rest('text', 'string')]],
  ['format', 'Format of the messages', [en('format', ['iso', 'local', 'raw', 'rfc3164', 'rfc5424', 'short', 'priority', 'timed'])]],
  ['maxlen', 'Maximum length of a message', [int('bytes')]],
  ['server', 'Log server the ring forwards to', [nm('name'), addr('address'), rest('options')]],
  ['size', 'Size of the ring buffer', [size('bytes')]],
  ['timeout connect', 'Connection timeout towards ring servers', [time('time')]],
  ['timeout server', 'Inactivity timeout towards ring servers', [time('time')]],
]);

// ---- cache -----------------------------------------------------------------------------------
export const cacheKeywordSpecs: readonly KeywordSpec[] = table('cache', [
  ['max-age', 'Maximum lifetime of a cached object, in seconds', [int('seconds')]],
  ['max-object-size', 'Maximum size of a cached object, in bytes', [int('bytes')]],
  ['max-secondary-entries', 'Maximum variants of one object (with process-vary)', [int('number')]],
  ['process-vary', 'Takes the Vary header into account', [en('state', ON_OFF)]],
  ['total-max-size', 'Size of the cache, in MB', [int('megabytes')]],
]);

// ---- program ---------------------------------------------------------------------------------
export const programKeywordSpecs: readonly KeywordSpec[] = table('program', [
  ['command', 'Command started by the master process', [file('command'), rest('args', 'string')]],
  ['group', 'Group the command runs as', [nm('group')]],
  ['option start-on-reload', 'Starts a new instance of the program on each reload', NONE, { negatable: true }],
  ['user', 'User the command runs as', [nm('user')]],
]);

// ---- fcgi-app --------------------------------------------------------------------------------
export const fcgiAppKeywordSpecs: readonly KeywordSpec[] = table('fcgi-app', [
  ['acl', 'Declares an ACL used by set-param and pass-header conditions', [nm('name'), arg('criterion', 'sample'), rest('patterns', 'string')]],
  ['docroot', 'Document root sent to the application', [file('path')]],
  ['index', 'Script name appended to URIs ending with a slash', [str('script')]],
  ['log-stderr', 'Where the application errors are logged', [rest('target')]],
  ['option get-values', 'Asks the application for its settings', NONE, { negatable: true }],
  ['option keep-conn', 'Keeps the application connection open', NONE, { negatable: true }],
  ['option max-reqs', 'Maximum concurrent requests per connection', [int('number')]],
  ['option mpxs-conns', 'Multiplexes requests on connections', NONE, { negatable: true }],
  ['pass-header', 'Passes a request header to the application', [arg('name', 'header-name')], { condition: true }],
  ['path-info', 'Regex splitting the path into script name and path info', [arg('regex', 'regex')]],
  ['set-param', 'Sets a FastCGI parameter from a log-format string', [str('name'), arg('format', 'log-format')], { condition: true }],
]);

// ---- log-forward -----------------------------------------------------------------------------
export const logForwardKeywordSpecs: readonly KeywordSpec[] = table('log-forward', [
  ['backlog', 'Listen backlog of the stream listeners', [int('conns')]],
  ['bind', 'Stream (TCP) listener receiving syslog messages', [arg('address', 'bind-address'), rest('options')]],
  ['dgram-bind', 'Datagram (UDP) listener receiving syslog messages', [arg('address', 'bind-address'), rest('options')]],
  ['log', 'Target the messages are forwarded to', [rest('target')]],
  ['maxconn', 'Maximum concurrent stream connections', [int('conns')]],
  ['timeout client', 'Inactivity timeout of stream connections', [time('time')]],
]);

/** All keywords of non-proxy sections, section by section. */
export const sectionKeywordSpecs: readonly KeywordSpec[] = [
  ...globalKeywordSpecs, ...userlistKeywordSpecs, ...peersKeywordSpecs, ...resolversKeywordSpecs,
  ...mailersKeywordSpecs, ...httpErrorsKeywordSpecs, ...ringKeywordSpecs, ...cacheKeywordSpecs,
  ...programKeywordSpecs, ...fcgiAppKeywordSpecs, ...logForwardKeywordSpecs,
];
