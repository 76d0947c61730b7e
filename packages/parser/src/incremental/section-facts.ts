// What the rest of a configuration can see of one frontend, backend or listen section: its
// header, the names it declares and references (but its ACLs, which only it can use), and the
// proxy properties the reference checks read (kind, mode, servers, stick-table), with the whole
// text of every line holding a reference (the checks' messages quote its keyword and words); a
// declaration's line counts by its keyword and name only, so editing a server's options is
// local. When an edit
// leaves these unchanged, only that section's own diagnostics can change. Ranges are kept
// relative to the section's segment, so the facts stay valid when the segment moves.
import type { Range, Section, Statement } from '../ast/nodes.js';
import type { Model, ProxyModel } from '../model/types.js';
import type { EditShift } from './edit-shift.js';

export interface SectionFacts {
  /** Everything but positions, as one string. */
  text: string;
  /** Name sites, relative to the segment start (line 0, offset 0). */
  ranges: Range[];
}

function lineOf(node: Statement | Section): number {
  return 'header' in node ? node.header.line : node.line.line;
}

/** The keyword of a declaring statement (the section kind for a header). */
function keywordOf(node: Statement | Section): string {
  return 'header' in node ? node.kind : node.keyword;
}

function lineText(text: string, node: Statement | Section): string {
  const r = ('header' in node ? node.header : node.line).range;
  return text.slice(r.start.offset, r.end.offset);
}

function relative(r: Range, base: { line: number; offset: number }): Range {
  return {
    start: { line: r.start.line - base.line, column: r.start.column, offset: r.start.offset - base.offset },
    end: { line: r.end.line - base.line, column: r.end.column, offset: r.end.offset - base.offset },
  };
}

/**
 * The facts of `section` in `model`, whose segment starts at `base` and spans lines
 * [base.line, endLine). Undefined when the section is not a proxy of the model.
 */
export function sectionFacts(model: Model, section: Section, base: { line: number; offset: number }, endLine: number, text: string): SectionFacts | undefined {
  const proxy: ProxyModel | undefined = model.proxies.find((p) => p.section === section);
  if (!proxy) return undefined;
  const parts: string[] = [lineText(text, section), proxy.kind, proxy.name, proxy.mode, String(proxy.capabilities.frontend), String(proxy.capabilities.backend)];
  // Which defaults section, by its rank (lines move; every defaults section is in every model here).
  parts.push(`defaults:${proxy.defaults ? `${proxy.defaults.name}#${model.defaults.indexOf(proxy.defaults)}` : '-'}`);
  parts.push(`table:${proxy.stickTable ? 1 : 0}`, `servers:${proxy.servers.length}`);
  const ranges: Range[] = [];
  for (const s of proxy.servers) {
    parts.push(`server:${s.name}:${s.statement.keyword}:${s.statement.line.active}:${s.template ? `${s.template.from}-${s.template.to}` : ''}`);
    ranges.push(relative(s.nameWord.range, base));
  }
  const inSection = (node: Statement | Section): boolean => {
    const line = lineOf(node);
    return line >= base.line && line < endLine;
  };
  for (const d of model.symbols.declarations) {
    if (d.kind === 'acl' || !inSection(d.node)) continue;
    parts.push(`decl:${d.kind}:${d.name}:${d.template ? `${d.template.from}-${d.template.to}` : ''}:${keywordOf(d.node)}`);
    ranges.push(relative(d.range, base));
  }
  for (const r of model.symbols.references) {
    if (r.kind === 'acl' || !inSection(r.node)) continue;
    parts.push(`ref:${r.kind}:${r.name}:${r.dynamic ? 1 : 0}:${r.implicit ? 1 : 0}:${lineText(text, r.node)}`);
    ranges.push(relative(r.range, base));
  }
  return { text: parts.join('\n'), ranges };
}

/** Whether the facts before an edit (mapped through `shift`, relative to the segment) equal those after. */
export function sameFacts(before: SectionFacts, after: SectionFacts, shift: EditShift): boolean {
  if (before.text !== after.text || before.ranges.length !== after.ranges.length) return false;
  for (let i = 0; i < before.ranges.length; i++) {
    const mapped = shift.mapRange(before.ranges[i]!);
    const b = after.ranges[i]!;
    if (!mapped || !samePosition(mapped.start, b.start) || !samePosition(mapped.end, b.end)) return false;
  }
  return true;
}

function samePosition(a: Range['start'], b: Range['start']): boolean {
  return a.line === b.line && a.column === b.column && a.offset === b.offset;
}
