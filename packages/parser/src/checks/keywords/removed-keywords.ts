// Keywords HAProxy 2.6 refuses or warns about as removed/deprecated, with the exact message of the
// 2.6.12 binary (each one checked with `haproxy -c`) and, where the rewrite is mechanical, the
// words to write instead. Data only.

export interface RemovedKeyword {
  /** The HAProxy message (without the `parsing [file:line] :` prefix). */
  message: string;
  severity: 'error' | 'warning';
  /** Replacement for the keyword word(s) when the rest of the line can stay as it is. */
  replaceKeyword?: string;
  /** Replacement text for the whole statement, when it can be computed (`$1` = first argument). */
  replaceStatement?: string;
  /** The fix deletes the line. */
  remove?: boolean;
}

const gone = (kw: string, use?: string, tail = ' instead.'): string =>
  `The '${kw}' directive is not supported anymore since HAProxy 2.1.` + (use ? ` Use ${use}${tail}` : '');

/** Proxy-section keywords (defaults, frontend, listen, backend), by keyword. */
export const removedProxyKeywordMessages: ReadonlyMap<string, RemovedKeyword> = new Map<string, RemovedKeyword>([
  ['clitimeout', { severity: 'error', message: "the 'clitimeout' directive is not supported anymore since HAProxy 2.1. Use 'timeout client'.", replaceKeyword: 'timeout client' }],
  ['contimeout', { severity: 'error', message: "the 'contimeout' directive is not supported anymore since HAProxy 2.1. Use 'timeout connect'.", replaceKeyword: 'timeout connect' }],
  ['srvtimeout', { severity: 'error', message: "the 'srvtimeout' directive is not supported anymore since HAProxy 2.1. Use 'timeout server'.", replaceKeyword: 'timeout server' }],
  ['redispatch', { severity: 'error', message: "keyword 'redispatch' directive is not supported anymore since HAProxy 2.1. Use 'option redispatch'.", replaceKeyword: 'option redispatch' }],
  ['redisp', { severity: 'error', message: "keyword 'redisp' directive is not supported anymore since HAProxy 2.1. Use 'option redispatch'.", replaceKeyword: 'option redispatch' }],
  ['block', { severity: 'error', message: "The 'block' directive is not supported anymore since HAProxy 2.1. Use 'http-request deny' which uses the exact same syntax.", replaceKeyword: 'http-request deny' }],
  ['reqadd', { severity: 'error', message: gone('reqadd', "'http-request add-header'") }],
  ['reqdel', { severity: 'error', message: gone('reqdel', "'http-request del-header'") }],
  ['reqidel', { severity: 'error', message: gone('reqidel', "'http-request del-header'") }],
  ['reqrep', { severity: 'error', message: gone('reqrep', "'http-request replace-path', 'http-request replace-uri' or 'http-request replace-header'") }],
  ['reqirep', { severity: 'error', message: gone('reqirep', "'http-request replace-header'") }],
  ['reqdeny', { severity: 'error', message: "The 'reqdeny' not supported anymore since HAProxy 2.1. Use 'http-request deny' instead." }],
  ['reqideny', { severity: 'error', message: gone('reqideny', "'http-request deny'") }],
  ['reqallow', { severity: 'error', message: gone('reqallow', "'http-request allow'") }],
  ['reqiallow', { severity: 'error', message: gone('reqiallow', "'http-request allow'") }],
  ['reqpass', { severity: 'error', message: "The 'reqpass' not supported anymore since HAProxy 2.1.", remove: true }],
  ['reqipass', { severity: 'error', message: gone('reqipass'), remove: true }],
  ['reqtarpit', { severity: 'error', message: gone('reqtarpit', "'http-request tarpit'") }],
  ['reqitarpit', { severity: 'error', message: gone('reqitarpit', "'http-request tarpit'") }],
  ['rspadd', { severity: 'error', message: gone('rspadd', "'http-response add-header'") }],
  ['rspdel', { severity: 'error', message: gone('rspdel', "'http-response del-header'", ' .') }],
  ['rspidel', { severity: 'error', message: gone('rspidel', "'http-response del-header'") }],
  ['rsprep', { severity: 'error', message: gone('rsprep', "'http-response replace-header'") }],
  ['rspirep', { severity: 'error', message: gone('rspirep', "'http-response replace-header'") }],
  ['rspdeny', { severity: 'error', message: gone('rspdeny', "'http-response deny'") }],
  ['rspideny', { severity: 'error', message: gone('rspideny', "'http-response deny'") }],
  ['monitor-net', { severity: 'error', message: "'monitor-net' doesn't exist anymore. Please use 'http-request return status 200 if { src $1 }' instead.", replaceStatement: 'http-request return status 200 if { src $1 }' }],
  ['grace', { severity: 'error', message: "the 'grace' keyword is not supported any more since HAProxy version 2.5.", remove: true }],
  ['appsession', { severity: 'error', message: "'appsession' is not supported anymore since HAProxy 1.6." }],
  ['bind-process', { severity: 'warning', message: "'bind-process' has no effect, is deprecated, and will be removed in version 2.7.", remove: true }],
]);

/** `option <name>` forms 2.6 refuses, by option name. */
export const removedOptionMessages: ReadonlyMap<string, RemovedKeyword> = new Map<string, RemovedKeyword>([
  ['forceclose', { severity: 'error', message: "option 'forceclose' is not supported any more since HAProxy 2.0, please just remove it, or use 'option httpclose' if absolutely needed.", remove: true }],
  ['http-tunnel', { severity: 'error', message: "option 'http-tunnel' is not supported any more since HAProxy 2.1, please just remove it, it shouldn't be needed.", remove: true }],
  ['http_proxy', { severity: 'error', message: "option 'http_proxy' is not supported any more since HAProxy 2.5. This option stopped working in HAProxy 1.9 and usually had nasty side effects. It can be more reliably implemented with combinations of 'http-request set-dst' and 'http-request set-uri', and even 'http-request do-resolve' if DNS resolution is desired.", remove: true }],
]);

/** Global keywords. */
export const removedGlobalKeywordMessages: ReadonlyMap<string, RemovedKeyword> = new Map<string, RemovedKeyword>([
  ['nbproc', { severity: 'error', message: 'nbproc is not supported any more since HAProxy 2.5. Threads will automatically be used on multi-processor machines if available.', remove: true }],
  ['tune.chksize', { severity: 'error', message: "option 'tune.chksize' is not supported any more (tune.bufsize is used instead).", remove: true }],
  ['tune.ssl.capture-cipherlist-size', { severity: 'warning', message: "'tune.ssl.capture-cipherlist-size' is deprecated and will be removed in version 2.7. Please use 'tune.ssl.capture-buffer-size' instead.", replaceKeyword: 'tune.ssl.capture-buffer-size' }],
]);
