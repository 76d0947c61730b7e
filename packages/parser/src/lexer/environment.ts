/** What `.if` predicates and `${VAR}` expansion read; defaults describe HAProxy 2.6 on Debian. */
export interface Environment {
  /** Environment variables (`$VAR`, `defined(VAR)`). */
  vars: Readonly<Record<string, string | undefined>>;
  /** HAProxy version that `version_atleast`/`version_before` compare with. */
  version: string;
  /** Build features shown with `+` in `haproxy -vv` (`feature(OPENSSL)`). */
  features: readonly string[];
  /** OpenSSL version for `openssl_version_atleast/before`. */
  opensslVersion: string;
  /** SSL library name for `ssllib_name_startswith`. */
  ssllibName: string;
}

/** The features HAProxy 2.6.12 on Debian bookworm reports with `+` in `haproxy -vv`. */
export const HAPROXY_26_FEATURES: readonly string[] = [
  'ACCEPT4', 'BACKTRACE', 'CPU_AFFINITY', 'CRYPT_H', 'DL', 'EPOLL', 'GETADDRINFO', 'LIBCRYPT',
  'LINUX_SPLICE', 'LINUX_TPROXY', 'LUA', 'NETFILTER', 'NS', 'OPENSSL', 'OT', 'PCRE2', 'PCRE2_JIT',
  'POLL', 'PRCTL', 'PROMEX', 'RT', 'SLZ', 'SYSTEMD', 'TFO', 'THREAD', 'THREAD_DUMP', 'TPROXY',
];

export function defaultEnvironment(vars: Record<string, string | undefined> = process.env): Environment {
  return {
    vars,
    version: '2.6.12',
    features: HAPROXY_26_FEATURES,
    opensslVersion: '3.0.19',
    ssllibName: 'OpenSSL',
  };
}
