// Per proxy: the ACL lines in order and every condition term that names an ACL, split into
// resolved (an `acl` line of that name stands above the use) and unresolved. HAProxy reads the
// file in one pass, so an ACL declared below its first use is "no such ACL" there. ACLs of a
// named defaults section are only visible to that section's own rules (verified: a proxy using
// one gets "no such ACL"). Built once per model and shared by the ACL checks.
import type { AclRefTerm, AclStatement, Statement } from '../../ast/nodes.js';
import type { Model, ProxyModel } from '../../model/types.js';

export interface AclLine {
  stmt: AclStatement;
  index: number;
}

export interface AclUse {
  term: AclRefTerm;
  stmt: Statement;
  index: number;
  /** The ACL lines of that name above the use (empty when unresolved). */
  before: AclLine[];
}

export interface ProxyAcls {
  proxy: ProxyModel;
  file: string;
  /** ACL lines by name, in order. */
  lines: Map<string, AclLine[]>;
  uses: AclUse[];
}

const cache = new WeakMap<Model, ProxyAcls[]>();

export function aclIndex(model: Model): ProxyAcls[] {
  let out = cache.get(model);
  if (out) return out;
  out = [];
  for (const proxy of [...model.defaults, ...model.proxies]) out.push(build(proxy));
  cache.set(model, out);
  return out;
}

function build(proxy: ProxyModel): ProxyAcls {
  const lines = new Map<string, AclLine[]>();
  const stmts = proxy.statements;
  for (let i = 0; i < stmts.length; i++) {
    const s = stmts[i]!;
    if (!s.line.active || s.type !== 'acl' || !s.name) continue;
    const list = lines.get(s.name.value);
    if (list) list.push({ stmt: s, index: i });
    else lines.set(s.name.value, [{ stmt: s, index: i }]);
  }
  const uses: AclUse[] = [];
  for (let i = 0; i < stmts.length; i++) {
    const s = stmts[i]!;
    if (!s.line.active || !s.condition) continue;
    for (const group of s.condition.groups) {
      for (const term of group) {
        if (term.kind !== 'ref') continue;
        const all = lines.get(term.name.value.replace(/^!+/, '')) ?? lines.get(term.name.value);
        const before = all ? all.filter((l) => l.index < i) : [];
        uses.push({ term, stmt: s, index: i, before });
      }
    }
  }
  return { proxy, file: proxy.section.file, lines, uses };
}

/** The name a reference term uses, without any `!`. */
export function termName(term: AclRefTerm): string {
  return term.name.value.replace(/^!+/, '');
}
