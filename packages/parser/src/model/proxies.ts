// Proxy sections (defaults, frontend, backend, listen) → ProxyModel, with defaults inheritance
// (reference §2.1): a proxy starts from the last defaults section above it, or from the one it
// names with `from`; a defaults section starts from scratch unless it has `from` itself, so
// chains of named defaults inherit level by level. Also declares the proxy's symbols: the proxy
// itself, its ACLs, servers and stick-table.
import type { AclStatement, RuleSet, RuleStatement, Section, Statement, Word } from '../ast/nodes.js';
import { parseBind } from './binds.js';
import { addDefaultServer, buildServer, NO_SERVER_DEFAULTS, type ServerDefaults } from './servers.js';
import { parseStickTable } from './stick-tables.js';
import { declare, Declaration } from './symbols.js';
import type { ProxyKind, ProxyMode, ProxyModel, SymbolDecl, SymbolTable } from './types.js';
import { parseTime } from './units.js';

/**
 * Per-proxy symbol indexes used to resolve references scoped to a proxy. Each index is created
 * when its first entry is (a frontend has no servers, a backend often no ACLs): thousands of
 * empty maps would be memory the garbage collector copies for nothing.
 */
export interface ProxyIndex {
  decl?: SymbolDecl;
  /** ACL declarations by name, with the index (in the section's statements) of the first line. */
  acls?: Map<string, { decls: SymbolDecl[]; first: number }>;
  /** The first server declared with each name (references resolve to it). */
  servers?: Map<string, SymbolDecl>;
  templates?: SymbolDecl[];
  table?: SymbolDecl;
  /**
   * The `server`/`server-template` lines with a parameter naming something (a file, resolvers, a
   * tracked server): the reference pass reads only those server lines' words again.
   */
  serverLinesWithRefs?: Set<Statement>;
}

const MODES = new Set<string>(['http', 'tcp', 'health']);

/**
 * The keywords the builder looks at, mapped to themselves: the switch then compares interned
 * literals (a pointer check) instead of comparing the tokenizer's fresh strings char by char.
 */
const PROXY_KEYWORDS = internTable([
  'mode', 'timeout', 'option', 'balance', 'bind', 'server', 'server-template', 'default-server', 'use_backend',
  'default_backend', 'use-server', 'redirect', 'stick', 'errorfile', 'errorfiles', 'stick-table',
]);

/** A lookup from any equal string to the interned literal. */
export function internTable(words: readonly string[]): Map<string, string> {
  return new Map(words.map((w) => [w, w]));
}

export class ProxyBuilder {
  readonly defaults: ProxyModel[] = [];
  readonly proxies: ProxyModel[] = [];
  /** Defaults and proxies together, in load order. */
  readonly inLoadOrder: ProxyModel[] = [];
  readonly index = new Map<ProxyModel, ProxyIndex>();
  private lastDefaults: ProxyModel | undefined;
  private readonly namedDefaults = new Map<string, ProxyModel>();
  /** What `default-server` lines of each defaults section preset, for the proxies that inherit. */
  private readonly serverDefaults = new Map<ProxyModel, ServerDefaults>();

  constructor(private readonly symbols: SymbolTable) {}

  /** The defaults section named `name` as visible now (the latest one above). */
  namedDefaultsNow(name: string): ProxyModel | undefined {
    return this.namedDefaults.get(name);
  }

  build(section: Section): ProxyModel {
    const kind = section.kind as ProxyKind;
    const parent = section.from
      ? this.namedDefaults.get(section.from.value)
      : kind === 'defaults' ? undefined : this.lastDefaults;
    const p: ProxyModel = {
      kind,
      name: section.name?.value ?? '',
      nameWord: section.name,
      section,
      capabilities: { frontend: kind !== 'backend', backend: kind !== 'frontend' },
      defaults: parent,
      statements: section.statements,
      mode: parent?.mode ?? 'tcp',
      modeStatement: parent?.modeStatement,
      // Shared with the parent until this section writes one (see ownTimeouts below): most proxies
      // override a few settings at most, and copying every inherited map costs memory.
      timeouts: parent ? parent.timeouts : new Map(),
      options: parent ? parent.options : new Map(),
      binds: [],
      servers: [],
      acls: new Map(),
      rules: new Map(),
      useBackends: [],
      defaultBackend: parent?.defaultBackend,
      useServers: [],
      stickRules: [],
      redirects: [],
      balance: parent?.balance,
      defaultServers: [],
      errorFiles: [],
    };
    const index: ProxyIndex = { decl: undefined, acls: undefined, servers: undefined, templates: undefined, table: undefined, serverLinesWithRefs: undefined };
    this.index.set(p, index);
    if (section.name) {
      const decl = new Declaration(kind === 'defaults' ? 'defaults' : 'proxy', p.name, section.file, section, section.name);
      decl.section = section;
      decl.proxy = p;
      index.decl = declare(this.symbols, decl);
    }

    // Whether `p.timeouts`/`p.options` are this proxy's own maps yet: inherited ones are copied
    // before the first write, so the parent's stay as they are.
    let ownTimeouts = !parent;
    let ownOptions = !parent;
    let serverDefaults = (parent && this.serverDefaults.get(parent)) ?? NO_SERVER_DEFAULTS;
    const statements = section.statements;
    for (let i = 0; i < statements.length; i++) {
      const stmt = statements[i]!;
      if (stmt.type === 'rule') {
        // A rule's keyword is its rule set, as the catalogue's own string: a map key whose hash
        // is already known (the rule set string of each line would be hashed anew).
        const ruleSet = stmt.keyword as RuleSet;
        const list = p.rules.get(ruleSet);
        if (list) list.push(stmt);
        else p.rules.set(ruleSet, [stmt as RuleStatement]);
        continue;
      }
      if (stmt.type === 'acl') {
        this.addAcl(p, index, stmt, i);
        continue;
      }
      // The keyword is the head word unless it holds a space (`timeout client`): reading it from
      // the statement saves following the keyword words, a cache miss each on a large file.
      const keyword = stmt.keyword;
      const head = PROXY_KEYWORDS.get(keyword) ?? (keyword.includes(' ') ? PROXY_KEYWORDS.get(stmt.keywordWords[0]?.value ?? '') : undefined);
      switch (head) {
        case 'mode': {
          const v = stmt.args[0]?.value;
          if (v && MODES.has(v)) {
            p.mode = v as ProxyMode;
            p.modeStatement = stmt;
          }
          break;
        }
        case 'timeout': {
          const [name, valueWord] = subKeyword(stmt);
          const ms = parseTime(valueWord?.value);
          if (name && ms !== undefined) {
            if (!ownTimeouts) {
              p.timeouts = copyMap(p.timeouts);
              ownTimeouts = true;
            }
            p.timeouts.set(name, { value: ms, statement: stmt, from: p });
          }
          break;
        }
        case 'option': {
          const [name] = subKeyword(stmt);
          if (!name) break;
          const mod = stmt.modifier?.value;
          if (!ownOptions) {
            p.options = copyMap(p.options);
            ownOptions = true;
          }
          if (mod === 'default') {
            const inherited = parent?.options.get(name);
            if (inherited) p.options.set(name, inherited);
            else p.options.delete(name);
          } else {
            p.options.set(name, { value: mod !== 'no', statement: stmt, from: p });
          }
          break;
        }
        case 'balance': {
          const first = stmt.args[0];
          if (!first) break;
          // `hdr(host)` → algorithm `hdr`, param `host`; anything malformed keeps the whole word.
          const m = /^([^(]*)\((.*)\)$/s.exec(first.value);
          const value: { algorithm: string; args: Word[]; param?: string } = { algorithm: m ? m[1]! : first.value, args: stmt.args.slice(1) };
          if (m) value.param = m[2];
          p.balance = { value, statement: stmt, from: p };
          break;
        }
        case 'bind':
          p.binds.push(parseBind(stmt));
          break;
        case 'server':
        case 'server-template': {
          const server = buildServer(stmt, p, serverDefaults);
          if (!server) break;
          if (server.namesReferences) (index.serverLinesWithRefs ??= new Set()).add(stmt);
          p.servers.push(server);
          const decl = new Declaration('server', server.name, section.file, stmt, server.nameWord);
          decl.scope = p;
          decl.section = section;
          declare(this.symbols, decl);
          if (server.template) {
            decl.template = server.template;
            (index.templates ??= []).push(decl);
          } else {
            const servers = (index.servers ??= new Map());
            if (!servers.has(server.name)) servers.set(server.name, decl);
          }
          break;
        }
        case 'default-server':
          serverDefaults = addDefaultServer(serverDefaults, stmt);
          p.defaultServers.push(stmt);
          break;
        case 'use_backend':
          p.useBackends.push(stmt);
          break;
        case 'default_backend':
          p.defaultBackend = stmt;
          break;
        case 'use-server':
          p.useServers.push(stmt);
          break;
        case 'redirect':
          p.redirects.push(stmt);
          break;
        case 'stick':
          p.stickRules.push(stmt);
          break;
        case 'errorfile':
        case 'errorfiles':
          p.errorFiles.push(stmt);
          break;
        case 'stick-table': {
          p.stickTable = parseStickTable(stmt, stmt.args);
          if (kind !== 'defaults' && !index.table) {
            const decl = new Declaration('table', p.name, section.file, stmt, section.name ?? stmt.keywordWords[0]!);
            decl.section = section;
            decl.proxy = p;
            index.table = declare(this.symbols, decl);
          }
          break;
        }
        default:
          break;
      }
    }

    this.inLoadOrder.push(p);
    if (kind === 'defaults') {
      this.defaults.push(p);
      this.lastDefaults = p;
      if (p.name) this.namedDefaults.set(p.name, p);
      this.serverDefaults.set(p, serverDefaults);
    } else {
      this.proxies.push(p);
    }
    return p;
  }

  private addAcl(p: ProxyModel, index: ProxyIndex, stmt: AclStatement, position: number): void {
    const nameWord = stmt.name;
    if (!nameWord) return;
    const name = nameWord.value;
    push(p.acls, name, { name, nameWord, statement: stmt, expr: stmt.expr, proxy: p });
    const decl = new Declaration('acl', name, p.section.file, stmt, nameWord);
    decl.scope = p;
    decl.section = p.section;
    declare(this.symbols, decl);
    const acls = (index.acls ??= new Map());
    const entry = acls.get(name);
    if (entry) entry.decls.push(decl);
    else acls.set(name, { decls: [decl], first: position });
  }
}

/** For `timeout X v` / `option X`: the sub-keyword and the value word, whether or not the catalogue joined them. */
function subKeyword(stmt: Statement): [string | undefined, Word | undefined] {
  const words = stmt.keywordWords;
  if (words.length === 2) return [words[1]!.value, stmt.args[0]];
  if (words.length > 2) return [words.slice(1).map((w) => w.value).join(' '), stmt.args[0]];
  return [stmt.args[0]?.value, stmt.args[1]];
}

/**
 * A copy of a map, in the same order. Not `new Map(map)`, which walks it as an iterator of fresh
 * `[key, value]` arrays (thousands of proxies copy their inherited settings).
 */
function copyMap<K, V>(map: ReadonlyMap<K, V>): Map<K, V> {
  const copy = new Map<K, V>();
  map.forEach((value, key) => copy.set(key, value));
  return copy;
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
