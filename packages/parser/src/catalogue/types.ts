// The shape of HAProxy keyword knowledge. Everything here is data read by validation,
// completion, hover and the simulator alike: adding a keyword is adding a row.
import type { RuleSet, SectionKind } from '../ast/nodes.js';

/** Version bounds so later HAProxy versions can be added as rows. `until` is exclusive. */
export interface Versioned {
  since?: string;
  until?: string;
}

/** Our own one-line description (never copied from HAProxy's manual). */
export interface Described {
  description: string;
}

/** Deprecated keywords say what to write instead. */
export interface Deprecation {
  replacement?: string;
  note?: string;
}

/** Types of a keyword or action argument, used by argument-shape checks and completion. */
export type ArgType =
  | 'string'
  | 'name' // an identifier such as a proxy or server name: [A-Za-z0-9-_.:]
  | 'integer'
  | 'time' // 10s, 500ms, 1m (default unit given by `unit`)
  | 'size' // 16k, 1m, 2g
  | 'address' // host[:port] (server, peer, nameserver …)
  | 'bind-address' // [addr]:port[-end][,…], unix@, abns@, fd@, ipv4@ …
  | 'port'
  | 'enum' // one of `values`
  | 'file'
  | 'regex'
  | 'sample' // a sample expression `fetch,conv…`
  | 'log-format' // a log-format string with %[…] and %vars
  | 'status' // an HTTP status code
  | 'header-name'
  | 'backend' // reference to a backend (or listen)
  | 'server' // reference to a server of the current backend
  | 'table' // reference to a stick-table holder
  | 'userlist'
  | 'http-errors'
  | 'cache'
  | 'peers'
  | 'resolvers'
  | 'mailers'
  | 'ring'
  | 'defaults'
  | 'variable' // scope.name
  | 'keywords'; // free-form trailing options checked elsewhere (bind/server options …)

export interface ArgSpec {
  name: string;
  type: ArgType;
  optional?: boolean;
  /** Takes all remaining words. */
  repeat?: boolean;
  /** For `enum`. */
  values?: readonly string[];
  /** For `time`: the unit assumed when none is written (default `ms`). */
  unit?: 'us' | 'ms' | 's';
}

/** Where a proxy keyword may appear; `named` = only in named defaults sections (the matrix's "(!)"). */
export interface ProxyPlacement {
  defaults: 'yes' | 'named' | 'no';
  frontend: boolean;
  listen: boolean;
  backend: boolean;
}

/**
 * A configuration keyword. Multi-word keywords (`timeout client`, `option httplog`,
 * `capture request header`, `stick on`) are one entry each, named with single spaces.
 */
export interface KeywordSpec extends Versioned, Described {
  name: string;
  /** Sections other than proxies where it is valid (global, userlist, peers, …). */
  sections?: readonly SectionKind[];
  /** For proxy keywords: the matrix row. */
  proxy?: ProxyPlacement;
  /** Accepts the `no`/`default` prefix (the matrix's "(*)"). */
  negatable?: boolean;
  deprecated?: Deprecation;
  /** Argument shape, when known; absent means "not checked". */
  args?: readonly ArgSpec[];
  /** Accepts a trailing `if|unless <condition>`. */
  condition?: boolean;
  /** HTTP-only: warned about and ignored in `mode tcp` proxies. */
  httpOnly?: boolean;
}

/** The types a sample can have (HAProxy's SMP_T_*). */
export type SampleType = 'any' | 'bool' | 'sint' | 'addr' | 'ipv4' | 'ipv6' | 'str' | 'bin' | 'meth';

/**
 * The 22 places a fetch can be used, in the column order of `haproxy -dKsmp`.
 */
export const PHASES = [
  'fe-tcp-connection', // frontend tcp-request connection rule
  'fe-tcp-session', // frontend tcp-request session rule
  'fe-tcp-content', // frontend tcp-request content rule
  'fe-http-request', // frontend http-request header rule
  'fe-http-request-body', // frontend http-request body rule
  'fe-use-backend', // frontend use-backend rule
  'be-tcp-content', // backend tcp-request content rule
  'be-http-request', // backend http-request header rule
  'be-http-request-body', // backend http-request body rule
  'be-server-selection', // backend use-server, balance or stick-match rule
  'server-source', // server source selection
  'be-tcp-response', // backend tcp-response content rule
  'be-http-response', // backend http-response header rule
  'be-http-response-body', // backend http-response body rule
  'be-stick-store', // backend stick-store rule
  'fe-tcp-response', // frontend tcp-response content rule
  'fe-http-response', // frontend http-response header rule
  'fe-http-response-body', // frontend http-response body rule
  'log', // logs
  'tcp-check', // backend tcp-check rule
  'config', // configuration parser
  'cli', // CLI parser
] as const;
export type Phase = (typeof PHASES)[number];

/** Argument types of fetches and converters, as the keyword dump names them. */
export type SampleArgType =
  | 'string' | 'integer' | 'backend' | 'frontend' | 'server' | 'table' | 'user list'
  | 'regex' | 'variable' | 'IPv4 mask' | 'IPv6 mask' | 'any'
  // Also printed by the 2.6 dump: `ipv4(<addr>)`, `ipv6(<addr>)`, `protobuf(<field>)`/`ungrpc(<field>)`.
  | 'IPv4 address' | 'IPv6 address' | 'Protocol buffers field number';

export interface SampleArgSpec {
  type: SampleArgType;
  optional?: boolean;
}

export interface FetchSpec extends Versioned, Described {
  name: string;
  args: readonly SampleArgSpec[];
  output: SampleType;
  /** Where the fetch may be used. */
  phases: readonly Phase[];
  deprecated?: Deprecation;
}

export interface ConverterSpec extends Versioned, Described {
  name: string;
  args: readonly SampleArgSpec[];
  input: SampleType;
  output: SampleType;
  deprecated?: Deprecation;
}

/** An ACL keyword that is a fetch with an implied match method (`path_beg` = `path -m beg`). */
export interface AclKeywordSpec extends Versioned, Described {
  name: string;
  fetch: string;
  method: string;
}

export interface MatchMethodSpec extends Versioned, Described {
  name: string;
  /** `found` and `bool` take no pattern. */
  takesPatterns: boolean;
}

export interface ActionSpec extends Versioned, Described {
  /** `set-header`, `track-sc0`, `set-var` (written `set-var(txn.x)`). */
  name: string;
  ruleSets: readonly RuleSet[];
  /** Ends the evaluation of the rule set (allow, deny, reject, return, redirect, …). */
  final: boolean;
  /** The action takes a parenthesised argument glued to its name: `set-var(txn.x)`. */
  parenArg?: 'variable' | 'string';
  args?: readonly ArgSpec[];
  /** HTTP-only action (in tcp rule sets: needs an HTTP stream). */
  httpOnly?: boolean;
  deprecated?: Deprecation;
  /**
   * Rule sets where HAProxy recognises the name (it is in its "expects …" list) but refuses it
   * with "'<action>' is not allowed in '<rule set>' rules" (e.g. `capture` in tcp-request connection).
   */
  rejectedIn?: readonly RuleSet[];
}

export interface PredefinedAclSpec extends Described {
  name: string;
  /** What it stands for, as an ACL expression. */
  expansion: string;
}

/** An option of a `bind` or `server` line (`check`, `inter 2s`, `ssl`, `crt <file>` …). */
export interface OptionSpec extends Versioned, Described {
  name: string;
  /** 0 = a flag, 1 = takes one value, 'variable' = takes a variable number of words. */
  value: 0 | 1 | 'variable';
  /** Registered by the SSL layer (needs an SSL-enabled build). */
  ssl?: boolean;
}
