// Per proxy: the ACL lines in order and every condition term that names an ACL, split into
// resolved (an `acl` line of that name stands above the use) and unresolved. HAProxy reads the
// file in one pass, so an ACL declared below its first use is "no such ACL" there. ACLs of a
// named defaults section are only visible to that section's own rules (verified: a proxy using
// one gets "no such ACL"). Built once per model (aclIndex in expression-index.ts) and shared by the
// ACL checks.
import type { AclRefTerm, AclStatement, Section, Statement } from '../../ast/nodes.js';
import type { Model, ProxyModel } from '../../model/types.js';
import type { FetchSpec } from '../../catalogue/index.js';
import type { StatementVisit } from '../statement-visits.js';
import { resolveFetch } from './walk.js';

export interface AclLine {
  stmt: AclStatement;
  index: number;
  /** The fetch of the line's criterion (in ACL context), looked up while the line is read. */
  fetch: FetchSpec | undefined;
}

export interface AclUse {
  term: AclRefTerm;
  stmt: Statement;
  index: number;
  /** The ACL lines of that name above the use (empty when unresolved). */
  before: AclLine[];
  /** The name the term uses, without any `!` (`termName(term)`). */
  name: string;
}

export interface ProxyAcls {
  proxy: ProxyModel;
  file: string;
  /** ACL lines by name, in order. */
  lines: Map<string, AclLine[]>;
  uses: AclUse[];
}

/** The statements with a condition, and their index in their section, until the section is read. */
interface Pending {
  stmts: Statement[];
  indexes: number[];
}

/**
 * Builds the index in one pass over the statement visits (grouped by section, in order): ACL
 * lines, and the statements whose condition may name them, resolved when their section ends (all
 * its ACL lines known then). Statements of other sections are skipped without reading them.
 * Fed by the shared expression pass (see expression-index.ts).
 */
export class AclIndexBuilder {
  private readonly out: ProxyAcls[] = [];
  private readonly byProxy = new Map<ProxyModel, ProxyAcls>();
  private readonly pending: Pending = { stmts: [], indexes: [] };
  private section: Section | undefined = undefined;
  private sectionStart = 0;
  private entry: ProxyAcls | undefined = undefined;

  constructor(model: Model) {
    for (const list of [model.defaults, model.proxies]) {
      for (const proxy of list) {
        const acls: ProxyAcls = { proxy, file: proxy.section.file, lines: new Map(), uses: [] };
        this.out.push(acls);
        this.byProxy.set(proxy, acls);
      }
    }
  }

  /** The visit at index `k` of the statement visits. */
  visit(v: StatementVisit, k: number): void {
    if (v.section !== this.section) {
      if (this.entry) resolveUses(this.entry, this.pending);
      this.section = v.section;
      this.sectionStart = k;
      this.entry = v.proxy && this.byProxy.get(v.proxy);
    }
    const entry = this.entry;
    if (!entry || (v.type !== 'acl' && !v.hasExpressions) || !v.active) return;
    const s = v.stmt;
    const index = k - this.sectionStart;
    if (s.type === 'acl' && s.name) {
      const line: AclLine = { stmt: s, index, fetch: s.expr && resolveFetch(s.expr.criterion.fetch, true) };
      const lines = entry.lines;
      const list = lines.get(s.name.value);
      if (list) list.push(line);
      else lines.set(s.name.value, [line]);
    }
    if (s.condition) {
      this.pending.stmts.push(s);
      this.pending.indexes.push(index);
    }
  }

  finish(): ProxyAcls[] {
    if (this.entry) resolveUses(this.entry, this.pending);
    this.entry = undefined;
    return this.out;
  }
}

/** Adds the ACL uses of the pending statements of a proxy's section, then empties `pending`. */
function resolveUses(acls: ProxyAcls, pending: Pending): void {
  const { lines, uses } = acls;
  for (let n = 0; n < pending.stmts.length; n++) {
    const s = pending.stmts[n]!;
    const i = pending.indexes[n]!;
    const groups = s.condition!.groups;
    for (let g = 0; g < groups.length; g++) {
      const group = groups[g]!;
      for (let t = 0; t < group.length; t++) {
        const term = group[t]!;
        if (term.kind !== 'ref') continue;
        const name = termName(term);
        const all = lines.get(name) ?? lines.get(term.name.value);
        uses.push({ term, stmt: s, index: i, before: all ? linesBefore(all, i) : NO_LINES, name });
      }
    }
  }
  pending.stmts.length = 0;
  pending.indexes.length = 0;
}

const NO_LINES: AclLine[] = [];

/** The lines written above statement `index`: usually all of them, then the list itself is shared (never mutated). */
function linesBefore(all: AclLine[], index: number): AclLine[] {
  if (all[all.length - 1]!.index < index) return all;
  return all.filter((l) => l.index < index);
}

/** The name a reference term uses, without any `!`. */
export function termName(term: AclRefTerm): string {
  const name = term.name.value;
  return name.charCodeAt(0) === 33 /* ! */ ? name.replace(/^!+/, '') : name;
}
