// Hover: our description, argument shape and placement for keywords, actions, fetches, converters
// and match methods; for names (ACLs, backends, servers, userlists, tables) the line(s) that
// declare them, every line for an ACL written on several.
import {
  catalogue, containsPosition, type AclExpr, type Range, type SampleExpr, type Section, type Statement, type SymbolDecl,
} from '@haplo/parser';
import type { Hover, HoverParams } from 'vscode-languageserver';
import { MarkupKind } from '../language-server-api.js';
import type { Feature } from './feature.js';
import { guarded } from './request-guard.js';
import type { Analysis } from '../workspace.js';
import { converterDetail, fetchDetail, keywordShape, phasesText, placementText } from '../catalogue-text.js';
import { lineText, sectionAt, statementAt, toLspRange, wordAt } from '../positions.js';

type Found = { markdown: string; range: Range };

function keywordHover(section: Section, stmt: Statement): string | undefined {
  const found = catalogue.findKeyword(section.kind, stmt.keywordWords.map((w) => w.value));
  if (!found) return undefined;
  const s = found.spec;
  const lines = [`**${s.name}** — ${s.description}`, '', '```haproxy', keywordShape(s.name, s.args).label, '```'];
  const where = placementText(s);
  if (where) lines.push('', `Valid in: ${where}`);
  if (s.httpOnly) lines.push('', 'HTTP only: ignored in `mode tcp` proxies.');
  if (s.deprecated) lines.push('', `Deprecated${s.deprecated.replacement ? `: use \`${s.deprecated.replacement}\`` : ''}${s.deprecated.note ? ` (${s.deprecated.note})` : ''}.`);
  return lines.join('\n');
}

function actionHover(stmt: Statement): string | undefined {
  if (stmt.type !== 'rule') return undefined;
  const a = catalogue.getAction(stmt.ruleSet, stmt.actionName);
  if (!a) return undefined;
  const lines = [`**${stmt.ruleSet} ${a.name}** — ${a.description}`, '', '```haproxy', keywordShape(`${stmt.ruleSet} ${a.name}`, a.args).label, '```'];
  lines.push('', `Rule sets: ${a.ruleSets.join(', ')}`);
  if (a.final) lines.push('', 'Ends the evaluation of the rule set.');
  return lines.join('\n');
}

function fetchHover(name: string): string | undefined {
  const f = catalogue.getFetch(name);
  if (f) {
    const lines = [`**${f.name}** — ${f.description}`, '', '```haproxy', fetchDetail(f), '```', '', `Valid in: ${phasesText(f)}`];
    if (f.deprecated) lines.push('', `Deprecated${f.deprecated.replacement ? `: use \`${f.deprecated.replacement}\`` : ''}.`);
    return lines.join('\n');
  }
  const k = catalogue.getAclKeyword(name);
  if (k) {
    const base = catalogue.getFetch(k.fetch);
    return [`**${k.name}** — ${k.description}`, '', '```haproxy', `${k.name} = ${k.fetch} -m ${k.method}`, '```', ...(base ? ['', `Valid in: ${phasesText(base)}`] : [])].join('\n');
  }
  return undefined;
}

function converterHover(name: string): string | undefined {
  const c = catalogue.getConverter(name);
  if (!c) return undefined;
  return [`**${c.name}** (converter) — ${c.description}`, '', '```haproxy', converterDetail(c), '```'].join('\n');
}

/** Every sample expression and ACL expression written on a statement. */
function expressionsOf(stmt: Statement): { samples: SampleExpr[]; acls: AclExpr[] } {
  const samples: SampleExpr[] = stmt.samples.map((s) => s.expr);
  const acls: AclExpr[] = [];
  if (stmt.type === 'acl' && stmt.expr) acls.push(stmt.expr);
  for (const group of stmt.condition?.groups ?? []) for (const t of group) if (t.kind === 'anonymous' && t.expr) acls.push(t.expr);
  for (const a of acls) samples.push(a.criterion);
  for (const lf of stmt.logFormats) for (const part of lf.format.parts) if (part.kind === 'sample' && part.expr) samples.push(part.expr);
  return { samples, acls };
}

function expressionHover(stmt: Statement, line: number, col: number): Found | undefined {
  const { samples, acls } = expressionsOf(stmt);
  for (const e of samples) {
    if (!containsPosition(e.range, line, col)) continue;
    if (containsPosition(e.fetch.nameRange, line, col)) {
      const md = fetchHover(e.fetch.name);
      if (md) return { markdown: md, range: e.fetch.nameRange };
    }
    for (const c of e.converters) {
      if (containsPosition(c.nameRange, line, col)) {
        const md = converterHover(c.name);
        if (md) return { markdown: md, range: c.nameRange };
      }
    }
  }
  for (const a of acls) {
    if (a.method && containsPosition(a.method.range, line, col)) {
      const m = catalogue.getMatchMethod(a.method.value);
      if (m) return { markdown: `**-m ${m.name}** (match method) — ${m.description}`, range: a.method.range };
    }
  }
  return undefined;
}

function declarationLines(analysis: Analysis, decls: readonly SymbolDecl[]): string {
  const out = ['```haproxy'];
  for (const d of decls) {
    const file = analysis.files.find((f) => f.path === d.file);
    const text = file ? lineText(file, d.range.start.line).trim() : d.name;
    out.push(text);
  }
  out.push('```');
  const where = decls.map((d) => `${d.file === analysis.file.path ? '' : `${d.file}:`}${d.range.start.line + 1}`);
  out.push('', `Declared on line${decls.length > 1 ? 's' : ''} ${where.join(', ')}`);
  return out.join('\n');
}

function referenceHover(analysis: Analysis, line: number, col: number): Found | undefined {
  const path = analysis.file.path;
  for (const ref of analysis.model.symbols.references) {
    if (ref.implicit || ref.file !== path || ref.range.start.line !== line || !containsPosition(ref.range, line, col)) continue;
    const targets = ref.targets ?? (ref.target ? [ref.target] : []);
    if (targets.length) return { markdown: `**${ref.kind}** \`${ref.name}\`\n\n${declarationLines(analysis, targets)}`, range: ref.range };
    const predefined = ref.kind === 'acl' ? catalogue.getPredefinedAcl(ref.name) : undefined;
    if (predefined) return { markdown: `**${predefined.name}** (predefined ACL) — ${predefined.description}\n\n\`\`\`haproxy\n${predefined.expansion}\n\`\`\``, range: ref.range };
    return { markdown: `**${ref.kind}** \`${ref.name}\` — not declared`, range: ref.range };
  }
  return undefined;
}

function declarationHover(analysis: Analysis, line: number, col: number): Found | undefined {
  const path = analysis.file.path;
  for (const d of analysis.model.symbols.declarations) {
    if (d.file !== path || d.range.start.line !== line || !containsPosition(d.range, line, col)) continue;
    const same = analysis.model.symbols.byName.get(d.kind)?.get(d.name)?.filter((o) => d.kind !== 'acl' && d.kind !== 'server' ? true : o.scope === d.scope) ?? [d];
    return { markdown: `**${d.kind}** \`${d.name}\`\n\n${declarationLines(analysis, same)}`, range: d.range };
  }
  return undefined;
}

/** The hover at a position, or undefined. */
export function hoverAt(analysis: Analysis, lineNo: number, col: number): Found | undefined {
  const file = analysis.file;
  const line = file.lines[lineNo];
  if (!line) return undefined;
  const { word } = wordAt(line, col);
  if (!word) return undefined;
  const section = sectionAt(file, lineNo);
  if (section && section.header.line === lineNo) {
    if (word === section.keyword || word.range.start.column === section.keyword.range.start.column) {
      const spec = catalogue.sectionKinds.find((s) => s.kind === section.kind);
      if (spec) return { markdown: `**${spec.keyword}** (section) — ${spec.description}`, range: word.range };
    }
    return declarationHover(analysis, lineNo, col) ?? referenceHover(analysis, lineNo, col);
  }
  const stmt = statementAt(section, lineNo);
  if (!stmt || !section) return undefined;
  const first = stmt.keywordWords[0];
  const last = stmt.keywordWords[stmt.keywordWords.length - 1];
  if (first && last && containsPosition({ start: first.range.start, end: last.range.end }, lineNo, col)) {
    const md = keywordHover(section, stmt);
    return md ? { markdown: md, range: { start: first.range.start, end: last.range.end } } : undefined;
  }
  if (stmt.type === 'rule' && stmt.action && containsPosition(stmt.action.range, lineNo, col)) {
    const md = actionHover(stmt);
    if (md) return { markdown: md, range: stmt.action.range };
  }
  return expressionHover(stmt, lineNo, col) ?? referenceHover(analysis, lineNo, col) ?? declarationHover(analysis, lineNo, col);
}

export const hoverFeature: Feature = (connection, workspace) => {
  connection.onHover(guarded(connection, 'hover', null, (params: HoverParams): Hover | null => {
    const analysis = workspace.analysis(params.textDocument.uri);
    if (!analysis) return null;
    const found = hoverAt(analysis, params.position.line, params.position.character);
    return found ? { contents: { kind: MarkupKind.Markdown, value: found.markdown }, range: toLspRange(found.range) } : null;
  }));
};
