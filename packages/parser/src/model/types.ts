// The semantic model: what the configuration means once sections are bound together — proxies
// with their inherited settings, servers, ACLs and rules, and a symbol table in which every
// reference points at its declaration (the editor builds go-to-definition and rename on it).
import type {
  AclExpr, AclStatement, ConfigFile, Range, RuleSet, RuleStatement, Section, SectionKind, Statement, Word,
} from '../ast/nodes.js';

export type ProxyKind = 'defaults' | 'frontend' | 'backend' | 'listen';
export type ProxyMode = 'http' | 'tcp' | 'health';

/** The kinds of things a name can declare. */
export type SymbolKind =
  | 'proxy' // frontend, backend or listen
  | 'defaults'
  | 'server'
  | 'acl'
  | 'userlist'
  | 'user'
  | 'group'
  | 'table' // a proxy's stick-table (named after the proxy) or a peers `table`
  | 'peers'
  | 'resolvers'
  | 'mailers'
  | 'http-errors'
  | 'cache'
  | 'ring'
  | 'program'
  | 'fcgi-app'
  | 'log-forward'
  | 'file' // a map, pattern, certificate or error file named in the config
  | 'env'; // an environment variable set with setenv/presetenv

export interface SymbolDecl {
  kind: SymbolKind;
  name: string;
  file: string;
  /** The range of the name where it is declared. */
  range: Range;
  /** The statement or section header that declares it. */
  node: Statement | Section;
  /** The proxy that scopes it (servers, ACLs), when scoped. */
  scope?: ProxyModel;
  /** The section that holds the declaration (for `user`/`group`: their userlist). */
  section?: Section;
  /** For `proxy`, `defaults` and proxy `table` declarations: the proxy declared. */
  proxy?: ProxyModel;
  /** For `server` declarations made by `server-template`: the numeric range it expands to. */
  template?: { from: number; to: number };
}

export interface SymbolRef {
  kind: SymbolKind;
  name: string;
  file: string;
  /** The range of the name where it is used. */
  range: Range;
  /** The statement that holds the reference (or the section header, for `from`). */
  node: Statement | Section;
  /** The proxy the reference is made from, when inside one. */
  scope?: ProxyModel;
  /** The declaration it resolves to; undefined when it resolves to nothing. */
  target?: SymbolDecl;
  /** True for references whose target is computed at run time (`use_backend be_%[…]`). */
  dynamic?: boolean;
  /** The section holding the reference. */
  section?: Section;
  /**
   * Every declaration the reference resolves to, `target` first: several for an ACL written on
   * several same-name lines (HAProxy ORs them all, even lines written after the use).
   */
  targets?: SymbolDecl[];
  /**
   * True when the name is not written: `stick on src` / `track-sc0 src` without `table` use the
   * proxy's own table. The range is then the keyword or action word, so rename must skip it.
   */
  implicit?: boolean;
}

export interface SymbolTable {
  declarations: SymbolDecl[];
  references: SymbolRef[];
  /** Declarations by kind then name (several for same-name ACLs). */
  byName: Map<SymbolKind, Map<string, SymbolDecl[]>>;
}

export interface Inherited<T> {
  value: T;
  /** Where the value was written: the proxy itself or one of its defaults. */
  statement: Statement;
  /** The proxy or defaults section that wrote it. */
  from: ProxyModel;
}

export interface BindModel {
  statement: Statement;
  /**
   * Each comma-separated address of the bind, as written. `family` is `ipv4`, `ipv6`, `unix`,
   * `abns`, `fd`, `sockpair`, or the prefix as written (`quic4`, `udp`…); undefined for host names.
   */
  addresses: { text: string; host: string; portStart?: number; portEnd?: number; family?: string; range?: Range }[];
  ssl: boolean;
  /** `crt` arguments (files or directories). */
  certificates: Word[];
  /** Bind options by name with their argument words. */
  options: Map<string, Word[]>;
}

export interface ServerModel {
  name: string;
  nameWord: Word;
  statement: Statement;
  proxy: ProxyModel;
  /** The address as written and its parts. */
  address?: Word;
  host?: string;
  port?: number;
  /** `+N`/`-N` port offset; 0 when no port is written (the client's destination port). */
  portOffset?: number;
  /** `ipv4`, `ipv6`, `unix`, `abns`, `fd`, `sockpair` …; undefined for host names. */
  family?: string;
  /** `server-template <prefix> <N|A-B> …`: the numeric range of the generated names. */
  template?: { from: number; to: number };
  weight: number;
  backup: boolean;
  disabled: boolean;
  check: boolean;
  cookie?: string;
  maxconn?: number;
  /**
   * Server options by name with their argument words (default-server options merged in). Built on
   * first read (a getter of the model's Server class, so not an own enumerable property).
   */
  options: Map<string, Word[]>;
  /** `default-server` lines whose options reached this server, outermost defaults first. */
  defaultServers: Statement[];
}

export interface AclDecl {
  name: string;
  nameWord: Word;
  statement: AclStatement;
  expr?: AclExpr;
  proxy: ProxyModel;
}

export interface StickTableModel {
  statement: Statement;
  type?: string;
  /** Key length: the `len` written, else 32 for `string`/`binary`. */
  keyLength?: number;
  size?: number;
  expireMs?: number;
  /** Stored data types, e.g. `http_req_rate(10s)`, `gpc0`. */
  store: string[];
  peers?: Word;
  /** True when `nopurge` is written. */
  nopurge: boolean;
  srvkey?: string;
}

export interface ProxyModel {
  kind: ProxyKind;
  /** Name; anonymous defaults get `''`. */
  name: string;
  nameWord?: Word;
  section: Section;
  capabilities: { frontend: boolean; backend: boolean };
  /** The defaults section it inherits from (last one above it, or `from`). */
  defaults?: ProxyModel;
  /** Statements written in the section itself, in order. */
  statements: Statement[];
  /** Effective mode (inherited when not written); `tcp` when nowhere written, as in HAProxy. */
  mode: ProxyMode;
  modeStatement?: Statement;
  /** Effective timeouts in milliseconds by name (`client`, `connect`, `server`, …), inherited. */
  timeouts: Map<string, Inherited<number>>;
  /** Effective `option` settings by option name: true when enabled, false after `no option`. */
  options: Map<string, Inherited<boolean>>;
  binds: BindModel[];
  servers: ServerModel[];
  /** ACLs declared in this section, same-name lines grouped (they are OR-ed). */
  acls: Map<string, AclDecl[]>;
  /** Own rules per rule set, in written order (inherited named-defaults rules are in `defaults`). */
  rules: Map<RuleSet, RuleStatement[]>;
  /** `use_backend` rules in order. */
  useBackends: Statement[];
  defaultBackend?: Statement;
  useServers: Statement[];
  /** `stick on|match|store-request|store-response` rules in order. */
  stickRules: Statement[];
  redirects: Statement[];
  stickTable?: StickTableModel;
  /** `algorithm` without its parenthesised part (`hdr`), which is `param` (`host`). */
  balance?: Inherited<{ algorithm: string; args: Word[]; param?: string }>;
  /** Own `default-server` lines, in order. */
  defaultServers: Statement[];
  /** Own `errorfile`/`errorfiles` lines. */
  errorFiles: Statement[];
}

export interface GlobalModel {
  statements: Statement[];
  masterWorker: boolean;
  /** Variables set by setenv/presetenv, for `${VAR}` navigation. */
  env: Map<string, { value: string; statement: Statement }>;
}

export interface Model {
  files: ConfigFile[];
  /** All sections of all files, in load order. */
  sections: Section[];
  global: GlobalModel;
  /** Defaults sections in order, named and anonymous. */
  defaults: ProxyModel[];
  /** Frontends, backends and listens in order. */
  proxies: ProxyModel[];
  /** Non-proxy named sections by kind (userlist, peers, resolvers, …). */
  namedSections: Map<SectionKind, Section[]>;
  symbols: SymbolTable;
  /**
   * Each statement's proxy, for readers that start from a statement. Built from the proxies'
   * statements on first use (see statement-proxies.ts).
   */
  proxyOf: ReadonlyMap<Statement, ProxyModel>;
}
