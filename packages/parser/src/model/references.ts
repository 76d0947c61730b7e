// Collects every reference of the configuration and resolves it to its declaration, in one pass
// over the sections in load order. What resolves to what:
//   use_backend/default_backend/fetch `backend` args → a proxy with backend capability
//   use-server, `track`, fetch `server` args        → a server of that (or the current) proxy
//   ACL names in conditions                          → ACLs of the proxy, the first one written on an
//                                                      earlier line, else of its defaults chain
//   `table NAME`, `table`-typed sample args          → a proxy's stick-table or a peers `table`
//   `from NAME`                                       → defaults (the one visible at that point)
//   http_auth(L)…, errorfiles, cache-use/store, filter cache, peers, resolvers, email-alert
//   mailers, log ring@, use-fcgi-app                 → the named section
//   -f, map*, crt, ca-file, errorfile …              → `file` symbols (declared at first mention)
//   ${VAR}/$VAR                                       → `setenv`/`presetenv` written above
import type {
  AclExpr, Condition, ConfigFile, Range, RuleStatement, SampleArg, SampleExpr, Section, Statement, Word,
} from '../ast/nodes.js';
import { rangeInWord } from '../ast/ranges.js';
import { aclKeywordSpecs } from '../catalogue/acl-keywords.js';
import { converterSpecs } from '../catalogue/converters.js';
import { fetchSpecs } from '../catalogue/fetches.js';
import type { SampleArgSpec, SampleArgType } from '../catalogue/types.js';
import { isBindFlag } from './binds.js';
import type { UserlistIndex } from './named-sections.js';
import { internTable, type ProxyIndex } from './proxies.js';
import { isServerFlag } from './servers.js';
import { addReference, declare, Declaration, lookup, type NameSite, Reference, siteRange } from './symbols.js';
import type { ProxyModel, SymbolDecl, SymbolKind, SymbolRef, SymbolTable } from './types.js';

// ---- catalogue lookups (built once) ----------------------------------------------------------

let fetchArgs: Map<string, readonly SampleArgSpec[]> | undefined;
let convArgs: Map<string, readonly SampleArgSpec[]> | undefined;

/** Only entries with an argument we resolve are kept. */
const INTERESTING: ReadonlySet<SampleArgType> = new Set<SampleArgType>(['table', 'user list', 'backend', 'frontend', 'server']);

function sampleArgTables(): { fetches: Map<string, readonly SampleArgSpec[]>; converters: Map<string, readonly SampleArgSpec[]> } {
  if (!fetchArgs || !convArgs) {
    fetchArgs = new Map();
    convArgs = new Map();
    const byFetch = new Map<string, readonly SampleArgSpec[]>();
    for (const f of fetchSpecs) {
      byFetch.set(f.name, f.args);
      if (f.args.some((a) => INTERESTING.has(a.type))) fetchArgs.set(f.name, f.args);
    }
    for (const a of aclKeywordSpecs) {
      const args = byFetch.get(a.fetch);
      if (args && args.some((x) => INTERESTING.has(x.type)) && !fetchArgs.has(a.name)) fetchArgs.set(a.name, args);
    }
    for (const c of converterSpecs) if (c.args.some((a) => INTERESTING.has(a.type))) convArgs.set(c.name, c.args);
  }
  return { fetches: fetchArgs, converters: convArgs };
}

const NO_DECLS: readonly SymbolDecl[] = [];
const TRACK_RE = /^track-sc\d+$/;
const BUILTIN_SINKS: ReadonlySet<string> = new Set(['buf0', 'stdout', 'stderr']);
const FILE_ACTIONS_RE = /^(set-map|del-map|add-acl|del-acl)\((.*)\)$/s;
/** The action names FILE_ACTIONS_RE can match (an action's name is its word up to the `(`). */
const FILE_ACTIONS: ReadonlySet<string> = new Set(['set-map', 'del-map', 'add-acl', 'del-acl']);
const BIND_FILE_OPTIONS = new Set(['crt', 'crt-list', 'ca-file', 'crl-file', 'ca-verify-file', 'ca-sign-file']);
const SERVER_FILE_OPTIONS = new Set(['crt', 'ca-file', 'crl-file']);
const RETURN_ACTIONS = new Set(['return', 'deny', 'tarpit']);
/** The keywords that may hold references, mapped to their interned literal (see proxies.ts). */
const REF_KEYWORDS = internTable([
  'use_backend', 'default_backend', 'use-server', 'stick', 'stick-table', 'errorfiles', 'errorfile', 'use-fcgi-app',
  'lua-load', 'setenv', 'presetenv', 'bind', 'server', 'server-template', 'default-server', 'user', 'group',
  'filter', 'email-alert', 'log',
]);

export interface ReferenceContext {
  symbols: SymbolTable;
  proxyIndex: Map<ProxyModel, ProxyIndex>;
  userlists: Map<Section, UserlistIndex>;
  files: readonly ConfigFile[];
}

export class ReferenceCollector {
  private readonly symbols: SymbolTable;
  private readonly proxyIndex: Map<ProxyModel, ProxyIndex>;
  private readonly userlists: Map<Section, UserlistIndex>;
  private readonly files = new Map<string, SymbolDecl>();
  private readonly env = new Map<string, SymbolDecl>();
  // Per-statement context.
  private section!: Section;
  private proxy: ProxyModel | undefined;
  /** The current proxy's symbol indexes. */
  private index: ProxyIndex | undefined;
  private node!: Statement | Section;
  /** Index of the current statement in its section. */
  private position = 0;
  /**
   * The numbers of the lines of the current file that hold a `$`: only their words can hold an
   * environment reference. Undefined for a file not in the model (then every line is read).
   * Why: reading every word of every line costs a cache miss per word on a large file.
   */
  private envLines: ReadonlySet<number> | undefined;
  private readonly dollarLines = new Map<string, ReadonlySet<number>>();
  /** The same line numbers in ascending order, to tell whether a section spans any of them. */
  private readonly dollarLineLists = new Map<string, number[]>();

  constructor(ctx: ReferenceContext) {
    this.symbols = ctx.symbols;
    this.proxyIndex = ctx.proxyIndex;
    this.userlists = ctx.userlists;
    for (const f of ctx.files) {
      const lines = linesWithDollar(f.text);
      this.dollarLines.set(f.path, lines);
      this.dollarLineLists.set(f.path, [...lines]);
    }
  }

  private mayHoldEnv(line: number): boolean {
    return this.envLines === undefined || this.envLines.has(line);
  }

  /** Collects the references of one section (call in load order). */
  collectSection(section: Section, proxy: ProxyModel | undefined): void {
    this.section = section;
    this.proxy = proxy;
    this.index = proxy && this.proxyIndex.get(proxy);
    this.node = section;
    this.envLines = this.dollarLines.get(section.file);
    // A section spanning no `$` line: none of its statements' lines need be read (most sections).
    const list = this.dollarLineLists.get(section.file);
    if (list && !anyBetween(list, section.header.line, lastLine(section))) this.envLines = NO_LINES;
    if (this.mayHoldEnv(section.header.line)) this.envRefs(section.header.words);
    if (section.from && proxy) {
      const target = proxy.defaults && proxy.defaults.name === section.from.value ? this.proxyIndex.get(proxy.defaults)?.decl : undefined;
      this.add('defaults', section.from.value, section.from, target);
    }
    const statements = section.statements;
    for (let i = 0; i < statements.length; i++) {
      const stmt = statements[i]!;
      this.node = stmt;
      this.position = i;
      if (this.mayHoldEnv(stmt.line.line)) this.envRefs(stmt.line.words);
      if (stmt.type === 'rule') this.ruleRefs(stmt);
      else if (stmt.type === 'acl') {
        if (stmt.expr) this.aclFlags(stmt.expr);
      } else this.plainRefs(stmt);
      // Indexed loops on per-statement paths: an iterator is an allocation in unoptimized code.
      const samples = stmt.samples;
      for (let k = 0; k < samples.length; k++) this.sampleRefs(samples[k]!.expr);
      if (stmt.condition) this.conditionRefs(stmt.condition);
    }
  }

  // ---- helpers --------------------------------------------------------------------------------

  private add(kind: SymbolKind, name: string, at: NameSite, target: SymbolDecl | undefined): SymbolRef {
    const ref = new Reference(kind, name, this.section.file, this.node, this.section, at);
    if (this.proxy) ref.scope = this.proxy;
    if (target) ref.target = target;
    return addReference(this.symbols, ref);
  }

  private first(kind: SymbolKind, name: string): SymbolDecl | undefined {
    return lookup(this.symbols, kind, name)[0];
  }

  private named(kind: SymbolKind, word: Word | undefined): void {
    if (word && word.value) this.add(kind, word.value, word, this.first(kind, word.value));
  }

  private file(name: string, at: NameSite): void {
    if (!name) return;
    let decl = this.files.get(name);
    if (!decl) {
      const d = new Declaration('file', name, this.section.file, this.node, at);
      d.section = this.section;
      this.files.set(name, (decl = declare(this.symbols, d)));
    }
    this.add('file', name, at, decl);
  }

  private fileWord(word: Word | undefined): void {
    if (word) this.file(word.value, word);
  }

  private envRefs(words: readonly Word[]): void {
    for (const w of words) {
      if (!w.envRefs) continue;
      for (const e of w.envRefs) this.add('env', e.name, e.range, this.env.get(e.name));
    }
  }

  /** A proxy by name with the wanted capability (frontends and backends may share names). */
  private proxyDecl(name: string, capability: 'frontend' | 'backend'): SymbolDecl | undefined {
    const decls = lookup(this.symbols, 'proxy', name);
    for (let i = 0; i < decls.length; i++) if (decls[i]!.proxy?.capabilities[capability]) return decls[i];
    return undefined;
  }

  private backendRef(word: Word | undefined): void {
    if (!word || !word.value) return;
    if (word.value.includes('%[')) {
      this.add('proxy', word.value, word, undefined).dynamic = true;
      return;
    }
    this.add('proxy', word.value, word, this.proxyDecl(word.value, 'backend'));
  }

  private serverIn(proxy: ProxyModel | undefined, name: string): SymbolDecl | undefined {
    if (!proxy) return undefined;
    const index = this.proxyIndex.get(proxy);
    if (!index) return undefined;
    const direct = index.servers?.get(name);
    if (direct) return direct;
    const templates = index.templates ?? NO_DECLS;
    for (let i = 0; i < templates.length; i++) {
      const t = templates[i]!;
      if (!name.startsWith(t.name) || !t.template) continue;
      const rest = name.slice(t.name.length);
      if (!/^\d+$/.test(rest)) continue;
      const n = Number(rest);
      if (n >= t.template.from && n <= t.template.to) return t;
    }
    return undefined;
  }

  /** `srv` (current proxy) or `be/srv`, with ranges computed inside the site's range when possible. */
  private serverPath(value: string, at: NameSite, exact: boolean): void {
    if (!value) return;
    const slash = value.indexOf('/');
    if (slash < 0) {
      this.add('server', value, at, this.serverIn(this.proxy, value));
      return;
    }
    const range = siteRange(at);
    const beName = value.slice(0, slash);
    const srvName = value.slice(slash + 1);
    const be = this.proxyDecl(beName, 'backend');
    this.add('proxy', beName, exact ? sub(range, 0, slash) : range, be);
    this.add('server', srvName, exact ? sub(range, slash + 1, value.length) : range, this.serverIn(be?.proxy, srvName));
  }

  private tableRef(name: string, at: NameSite): void {
    this.add('table', name, at, this.first('table', name));
  }

  private implicitTable(at: NameSite): void {
    const table = this.index?.table;
    this.add('table', this.proxy?.name ?? '', at, table).implicit = true;
  }

  /** `table NAME` among `words`, else an implicit reference to the proxy's own table. */
  private tableArg(words: readonly Word[], implicitAt: NameSite): void {
    for (let i = 0; i < words.length; i++) {
      if (words[i]!.value !== 'table') continue;
      const name = words[i + 1];
      if (name) this.tableRef(name.value, name);
      return;
    }
    this.implicitTable(implicitAt);
  }

  // ---- statements -----------------------------------------------------------------------------

  private plainRefs(stmt: Statement): void {
    const kw = stmt.keywordWords;
    // The keyword is the head word unless it holds a space (as in proxies.ts: one miss less).
    const keyword = stmt.keyword;
    const head = REF_KEYWORDS.get(keyword) ?? (keyword.includes(' ') ? REF_KEYWORDS.get(kw[0]?.value ?? '') : undefined);
    if (head === undefined) return;
    const args = stmt.args;
    switch (head) {
      case 'use_backend':
      case 'default_backend':
        this.backendRef(args[0]);
        return;
      case 'use-server': {
        const w = args[0];
        // 2.6 accepts a log-format name (`use-server %[req.hdr(x-srv)]`), resolved per request.
        if (w && w.value.includes('%[')) this.add('server', w.value, w, undefined).dynamic = true;
        else if (w && w.value) this.add('server', w.value, w, this.serverIn(this.proxy, w.value));
        return;
      }
      case 'stick':
        if (kw.length > 1 || args.length > 0) this.tableArg(args, kw.length === 1 ? kw[0]! : spanOf(kw));
        return;
      case 'stick-table': {
        const i = args.findIndex((w) => w.value === 'peers');
        if (i >= 0) this.named('peers', args[i + 1]);
        return;
      }
      case 'errorfiles':
        this.named('http-errors', args[0]);
        return;
      case 'errorfile':
        this.fileWord(args[1]);
        return;
      case 'use-fcgi-app':
        this.named('fcgi-app', args[0]);
        return;
      case 'lua-load':
        this.fileWord(args[0]);
        return;
      case 'setenv':
      case 'presetenv': {
        const name = args[0];
        if (this.section.kind === 'global' && name && name.value) {
          const decl = new Declaration('env', name.value, this.section.file, stmt, name);
          decl.section = this.section;
          this.env.set(name.value, declare(this.symbols, decl));
        }
        return;
      }
      case 'bind':
        for (let i = 1; i < args.length; i++) {
          const name = args[i]!.value;
          if (isBindFlag(name)) continue;
          const arg = args[++i];
          if (BIND_FILE_OPTIONS.has(name)) this.fileWord(arg);
        }
        return;
      case 'server':
      case 'server-template':
      case 'default-server': {
        if (!this.proxy) return;
        if (head !== 'default-server' && !this.index?.serverLinesWithRefs?.has(stmt)) return;
        const from = head === 'server' ? 2 : head === 'server-template' ? 3 : 0;
        // Read in place (as parseServerParams splits them): there are many server lines.
        for (let i = from; i < args.length; i++) {
          const name = args[i]!.value;
          if (isServerFlag(name) || i + 1 >= args.length) continue;
          const arg = args[++i]!;
          if (name === 'resolvers') this.named('resolvers', arg);
          else if (SERVER_FILE_OPTIONS.has(name)) this.fileWord(arg);
          else if (name === 'track') this.serverPath(arg.value, arg, !arg.offsets);
        }
        return;
      }
      case 'user':
      case 'group':
        if (this.section.kind === 'userlist') this.userlistRefs(stmt, head as 'user' | 'group');
        return;
      default:
        break;
    }
    // Keywords whose sub-keyword may or may not have been joined by the catalogue.
    const tail = kw.length > 1 ? kw.slice(1).concat(args) : args;
    if (head === 'filter') {
      const what = tail[0]?.value;
      if (what === 'cache') this.named('cache', tail[1]);
      else if (what === 'fcgi-app') this.named('fcgi-app', tail[1]);
    } else if (head === 'email-alert') {
      if (tail[0]?.value === 'mailers') this.named('mailers', tail[1]);
    } else if (head === 'log') {
      const w = tail[0];
      // buf0, stdout and stderr are sinks every HAProxy declares itself.
      if (w && w.value.startsWith('ring@') && w.value.length > 5 && !BUILTIN_SINKS.has(w.value.slice(5))) {
        const name = w.value.slice(5);
        this.add('ring', name, rangeInWord(w, 5, w.value.length), this.first('ring', name));
      }
    }
  }

  private ruleRefs(rule: RuleStatement): void {
    const name = rule.actionName;
    const args = rule.actionArgs;
    if (TRACK_RE.test(name)) {
      this.tableArg(args, rule.action!);
      return;
    }
    if (name === 'cache-use' || name === 'cache-store') {
      this.named('cache', args[0]);
      return;
    }
    if (RETURN_ACTIONS.has(name)) {
      for (let i = 0; i + 1 < args.length; i++) {
        const v = args[i]!.value;
        if (v === 'errorfiles') this.named('http-errors', args[++i]);
        else if (v === 'errorfile' || v === 'file' || v === 'lf-file') this.fileWord(args[++i]);
      }
      return;
    }
    const action = rule.action;
    // The name first: most rules' action word need not be read.
    if (action && FILE_ACTIONS.has(name) && action.value.endsWith(')')) {
      const m = FILE_ACTIONS_RE.exec(action.value);
      if (m && m[2]) {
        const start = m[1]!.length + 1;
        this.file(m[2], rangeInWord(action, start, start + m[2].length));
      }
    }
  }

  private userlistRefs(stmt: Statement, head: 'user' | 'group'): void {
    const index = this.userlists.get(this.section);
    const listWord = head === 'group' ? 'users' : 'groups';
    const kind: SymbolKind = head === 'group' ? 'user' : 'group';
    const args = stmt.args;
    for (let i = 1; i + 1 < args.length; i++) {
      if (args[i]!.value !== listWord) continue;
      const w = args[i + 1]!;
      let start = 0;
      const v = w.value;
      for (;;) {
        const comma = v.indexOf(',', start);
        const end = comma < 0 ? v.length : comma;
        const name = v.slice(start, end);
        if (name) {
          const target = kind === 'user' ? index?.users.get(name) : index?.groups.get(name);
          this.add(kind, name, rangeInWord(w, start, end), target);
        }
        if (comma < 0) break;
        start = comma + 1;
      }
      i++;
    }
  }

  // ---- expressions and conditions -------------------------------------------------------------

  private sampleRefs(expr: SampleExpr): void {
    const { fetches, converters } = sampleArgTables();
    const fspec = fetches.get(expr.fetch.name);
    if (fspec && expr.fetch.args) this.typedArgs(expr.fetch.args, fspec);
    const convs = expr.converters;
    for (let i = 0; i < convs.length; i++) {
      const conv = convs[i]!;
      if (!conv.args) continue;
      if (conv.name.startsWith('map')) {
        const a = conv.args[0];
        if (a) this.file(a.value, a.range);
        continue;
      }
      const cspec = converters.get(conv.name);
      if (cspec) this.typedArgs(conv.args, cspec);
    }
  }

  private typedArgs(args: readonly SampleArg[], specs: readonly SampleArgSpec[]): void {
    const n = Math.min(args.length, specs.length);
    for (let i = 0; i < n; i++) {
      const a = args[i]!;
      if (!a.value) continue;
      switch (specs[i]!.type) {
        case 'table':
          this.tableRef(a.value, a.range);
          break;
        case 'user list':
          this.add('userlist', a.value, a.range, this.first('userlist', a.value));
          break;
        case 'backend':
          this.add('proxy', a.value, a.range, this.proxyDecl(a.value, 'backend'));
          break;
        case 'frontend':
          this.add('proxy', a.value, a.range, this.proxyDecl(a.value, 'frontend'));
          break;
        case 'server':
          this.serverPath(a.value, a.range, a.range.end.offset - a.range.start.offset === a.value.length);
          break;
        default:
          break;
      }
    }
  }

  private aclFlags(expr: AclExpr): void {
    const flags = expr.flags;
    for (let i = 0; i < flags.length; i++) {
      const f = flags[i]!;
      if (f.flag.value === '-f' && f.arg) this.fileWord(f.arg);
    }
  }

  private conditionRefs(cond: Condition): void {
    const groups = cond.groups;
    for (let g = 0; g < groups.length; g++) {
      const group = groups[g]!;
      for (let t = 0; t < group.length; t++) {
        const term = group[t]!;
        if (term.kind === 'anonymous') {
          if (term.expr) {
            this.aclFlags(term.expr);
            this.sampleRefs(term.expr.criterion);
          }
          continue;
        }
        const name = term.name.value;
        const targets = this.resolveAcl(name);
        // The name's word locates it exactly unless quotes surround it: then only the term knows
        // where the name itself starts. Passing the word lets the reference build its range
        // when read (few are) instead of keeping one per ACL use.
        const site = term.name.offsets === undefined ? term.name : term.nameRange;
        const ref = this.add('acl', name, site, targets?.[0]);
        if (targets) ref.targets = targets;
      }
    }
  }

  /**
   * An ACL of the current proxy whose first line is above the use (HAProxy reads in one pass),
   * with all its same-name lines; else nothing. ACLs are never inherited: a proxy (or a named
   * defaults) using an ACL declared in the defaults it inherits from gets "no such ACL" from
   * `haproxy -c` 2.6, so such a reference has no declaration either (nor have predefined ACLs
   * and unknown names).
   */
  private resolveAcl(name: string): SymbolDecl[] | undefined {
    const own = this.index?.acls?.get(name);
    if (own && own.first < this.position) return own.decls;
    return undefined;
  }
}

const NO_LINES: ReadonlySet<number> = new Set();

/** The line of the section's last statement (statements are in line order), else its header's. */
function lastLine(section: Section): number {
  const statements = section.statements;
  return statements.length > 0 ? statements[statements.length - 1]!.line.line : section.header.line;
}

/** Whether the ascending list holds a number in [from, to]. */
function anyBetween(sorted: readonly number[], from: number, to: number): boolean {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < from) lo = mid + 1;
    else hi = mid;
  }
  return lo < sorted.length && sorted[lo]! <= to;
}

/** The numbers of the lines of `text` that hold a `$` (lines end at `\n`, as the parser reads them). */
function linesWithDollar(text: string): ReadonlySet<number> {
  const lines = new Set<number>();
  let line = 0;
  let lineStart = 0;
  for (let at = text.indexOf('$'); at >= 0; at = text.indexOf('$', at + 1)) {
    for (let nl = text.indexOf('\n', lineStart); nl >= 0 && nl < at; nl = text.indexOf('\n', lineStart)) {
      line++;
      lineStart = nl + 1;
    }
    lines.add(line);
  }
  return lines;
}

function spanOf(words: readonly Word[]): Range {
  return { start: words[0]!.range.start, end: words[words.length - 1]!.range.end };
}

/** The part [from, to) of a single-line range whose text is exactly the value. */
function sub(range: Range, from: number, to: number): Range {
  return {
    start: { line: range.start.line, column: range.start.column + from, offset: range.start.offset + from },
    end: { line: range.start.line, column: range.start.column + to, offset: range.start.offset + to },
  };
}
