// Condition terms that name no ACL declared above them: a sample fetch written where an ACL
// name is expected (`if !req.fhdr(netease)`), an ACL declared below its use, a misspelt name.
import type { AclRefTerm } from '../../ast/nodes.js';
import { getFetch, getPredefinedAcl, predefinedAcls, suggest } from '../../catalogue/index.js';
import { codes } from '../../diagnostics/codes.js';
import type { Fix } from '../../diagnostics/diagnostic.js';
import type { Check, CheckContext } from '../registry.js';
import type { ProxyAcls } from './acl-index.js';
import { aclIndex } from './expression-index.js';
import { isKnownFetchName } from './walk.js';
import type { Statement } from '../../ast/nodes.js';

const predefinedNames = predefinedAcls.map((p) => p.name);

export function conditionName(stmt: Statement): string {
  if (stmt.type === 'rule') return `an '${stmt.keyword} ${stmt.actionName}' condition`;
  // haproxy -c 2.6.12 says "switching rule" for both use_backend and use-server.
  if (stmt.keyword === 'use_backend' || stmt.keyword === 'use-server') return 'switching rule';
  return `an '${stmt.keyword}' condition`;
}

function check(ctx: CheckContext, px: ProxyAcls): void {
  // Patterns of a fetch written as an ACL name are part of that one mistake, not ACLs of their own.
  const patternsOfFetches = new Set<AclRefTerm>();
  const uses = px.uses;
  for (let n = 0; n < uses.length; n++) {
    const use = uses[n]!;
    if (use.before.length || patternsOfFetches.has(use.term)) continue;
    const name = use.name;
    if (getPredefinedAcl(name)) continue;
    const term: AclRefTerm = use.term;
    if (name === ')') continue; // reported with its '('
    const base = `error detected while parsing ${conditionName(use.stmt)} : no such ACL : '${name}'.`;
    const later = px.lines.get(name);
    if (later?.length) {
      const first = later[0]!.stmt;
      ctx.report(
        codes.undefinedAcl, px.file, term.nameRange,
        `${base} It is declared on line ${first.line.line + 1}, after this use; HAProxy reads the file once, so move the acl line above.`,
        { related: [{ file: px.file, range: first.name!.range, message: `acl '${name}' is declared here` }] },
      );
      continue;
    }
    const m = /^([A-Za-z0-9_.+$-]+)(\(.*\))?$/s.exec(name);
    const fetchName = m?.[1];
    if (fetchName && isKnownFetchName(fetchName, true) && (m[2] || !/^[A-Z0-9_]+$/.test(name))) {
      // `if path_beg /admin`: the words after the fetch that name no ACL are its patterns.
      const patterns = patternTerms(px, use.stmt, term);
      for (const p of patterns) patternsOfFetches.add(p);
      const bool = getFetch(fetchName)?.output === 'bool';
      const body = patterns.length ? `${name} ${patterns.map((t) => t.name.text).join(' ')}` : bool ? name : `${name} -m found`;
      const newText = `${term.negated ? '!' : ''}{ ${body} }`;
      const last = patterns.length ? patterns[patterns.length - 1]!.range : term.range;
      ctx.report(
        codes.fetchAsAclName, px.file, term.nameRange,
        `${base} '${fetchName}' is a sample fetch, not an ACL name; use an anonymous ACL: ${newText}`,
        { fixes: [{ title: `Replace with '${newText}'`, edits: [{ file: px.file, range: { start: term.range.start, end: last.end }, newText }] }] },
      );
      continue;
    }
    let hint = '';
    let fixes: Fix[] | undefined;
    if (name === '(') {
      ctx.report(codes.undefinedAcl, px.file, term.nameRange, `${base} Conditions have no parentheses: terms side by side are ANDed and 'or' separates alternatives.`);
      continue;
    }
    const defaults = px.proxy.defaults;
    if (defaults?.name && defaults.acls.has(name)) {
      hint = ` It is declared in defaults '${defaults.name}', but ACLs of a defaults section are only visible to that section's own rules; declare it in this ${px.proxy.kind}.`;
    } else {
      const guess = suggest(name, [...px.lines.keys(), ...predefinedNames]);
      if (guess) {
        hint = ` Did you mean '${guess}'?`;
        fixes = [{ title: `Replace with '${guess}'`, edits: [{ file: px.file, range: term.nameRange, newText: guess }] }];
      }
    }
    ctx.report(codes.undefinedAcl, px.file, term.nameRange, base + hint, fixes ? { fixes } : undefined);
  }
}

/** The plain terms right after `term` in its AND-group that name no ACL: a fetch's patterns. */
function patternTerms(px: ProxyAcls, stmt: Statement, term: AclRefTerm): AclRefTerm[] {
  for (const group of stmt.condition?.groups ?? []) {
    const at = group.indexOf(term);
    if (at < 0) continue;
    const out: AclRefTerm[] = [];
    for (const t of group.slice(at + 1)) {
      if (t.kind !== 'ref' || t.negated || px.lines.has(t.name.value) || getPredefinedAcl(t.name.value)) break;
      out.push(t);
    }
    return out;
  }
  return [];
}

export const aclNamesCheck: Check = {
  name: 'acl-names',
  run(ctx) {
    for (const px of aclIndex(ctx.model)) check(ctx, px);
  },
};
