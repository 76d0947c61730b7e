// Quick fixes: one per fix the parser attaches to a diagnostic, a few the parser does not offer
// (wrapping a fetch and its patterns in anonymous-ACL braces, rewriting removed `reqadd`-style
// keywords, applying a "did you mean"), and for every diagnostic "Silence HAPxxxx on this line".
import {
  catalogue, suppressionComment, type ConditionTerm, type Diagnostic as HaploDiagnostic, type Fix, type ProxyModel, type Statement,
} from '@haplo/parser';
import { CodeActionKind, type CodeAction, type CodeActionParams, type TextEdit, type Diagnostic as LspDiagnostic } from 'vscode-languageserver';
import type { Feature } from './feature.js';
import { guarded } from './request-guard.js';
import { toLspDiagnostic } from './diagnostics.js';
import { lineText, lspRange, proxyOfSection, sameRange, sectionAt, statementAt, toLspRange } from '../positions.js';
import { pathToUri, uriToPath, type Analysis } from '../workspace.js';

function fixAction(fix: Fix, diagnostic: LspDiagnostic, preferred: boolean): CodeAction {
  const changes: Record<string, TextEdit[]> = {};
  for (const e of fix.edits) (changes[pathToUri(e.file)] ??= []).push({ range: toLspRange(e.range), newText: e.newText });
  return { title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: preferred || undefined, edit: { changes } };
}

const DISABLE = /haplo-disable-line\s+([A-Z0-9, ]*[A-Z0-9])/;

/** Appends `# haplo-disable-line CODE` to the diagnostic's line, or adds the code to the one there. */
function silenceAction(analysis: Analysis, uri: string, d: HaploDiagnostic, diagnostic: LspDiagnostic): CodeAction | undefined {
  const line = analysis.file.lines[d.range.start.line];
  if (!line) return undefined;
  const text = lineText(analysis.file, line.line);
  const match = line.comment ? DISABLE.exec(text) : null;
  let edit: TextEdit;
  if (match) {
    const codes = match[1]!.split(/[\s,]+/).filter(Boolean);
    if (codes.includes(d.code)) return undefined;
    const at = match.index + match[0].length - match[1]!.length;
    edit = { range: lspRange(line.line, at, at + match[1]!.length), newText: [...codes, d.code].join(',') };
  } else {
    const end = text.trimEnd().length;
    edit = { range: lspRange(line.line, end, end), newText: `${end > 0 ? ' ' : ''}${suppressionComment(d.code)}` };
  }
  return { title: `Silence ${d.code} on this line`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: { changes: { [uri]: [edit] } } };
}

// ---- fixes the parser does not offer ----------------------------------------------------------

function statementOf(analysis: Analysis, line: number): { stmt?: Statement; proxy?: ProxyModel } {
  const section = sectionAt(analysis.file, line);
  return { stmt: statementAt(section, line), proxy: proxyOfSection(analysis.model, section) };
}

/** `if path_beg /admin` → `if { path_beg /admin }`: the fetch and the pattern words after it. */
function braceFix(analysis: Analysis, d: HaploDiagnostic): Fix | undefined {
  const { stmt, proxy } = statementOf(analysis, d.range.start.line);
  for (const group of stmt?.condition?.groups ?? []) {
    const at = group.findIndex((t) => t.kind === 'ref' && t.nameRange.start.column === d.range.start.column);
    if (at < 0) continue;
    const first = group[at] as Extract<ConditionTerm, { kind: 'ref' }>;
    const words = [first.name.value.replace(/^!/, '')];
    let last: ConditionTerm = first;
    for (const t of group.slice(at + 1)) {
      if (t.kind !== 'ref' || t.negated || proxy?.acls.has(t.name.value) || catalogue.getPredefinedAcl(t.name.value)) break;
      words.push(t.name.text);
      last = t;
    }
    if (words.length === 1) return undefined; // the parser's `{ fetch -m found }` covers it
    const newText = `${first.negated ? '!' : ''}{ ${words.join(' ')} }`;
    return { title: `Wrap in braces: ${newText}`, edits: [{ file: d.file, range: { start: first.range.start, end: last.range.end }, newText }] };
  }
  return undefined;
}

const ADD = new Map([['reqadd', 'http-request add-header'], ['rspadd', 'http-response add-header']]);
const DEL = new Map([['reqdel', 'http-request del-header'], ['reqidel', 'http-request del-header'], ['rspdel', 'http-response del-header'], ['rspidel', 'http-response del-header']]);
const quote = (s: string) => (/^[^\s"'#\\]+$/.test(s) ? s : `"${s.replace(/(["\\])/g, '\\$1')}"`);

/** `reqadd X-A:\ b` → `http-request add-header X-A b`; `reqdel ^X-A:` → `http-request del-header X-A`. */
function removedKeywordFix(analysis: Analysis, d: HaploDiagnostic): Fix | undefined {
  const { stmt } = statementOf(analysis, d.range.start.line);
  const kw = stmt?.keywordWords[0];
  const arg = stmt?.args[0];
  if (!stmt || !kw || !arg) return undefined;
  let newText: string | undefined;
  const add = ADD.get(kw.value);
  if (add) {
    const colon = arg.value.indexOf(':');
    if (colon > 0) newText = `${add} ${arg.value.slice(0, colon).trim()} ${quote(arg.value.slice(colon + 1).trim())}`;
  }
  const del = DEL.get(kw.value);
  const header = del ? /^\^([A-Za-z0-9_-]+):(\.\*)?$/.exec(arg.value) : null;
  if (del && header) newText = `${del} ${header[1]}`;
  if (!newText) return undefined;
  return { title: `Replace with '${newText}'`, edits: [{ file: d.file, range: { start: kw.range.start, end: arg.range.end }, newText }] };
}

/** A "did you mean 'x'" message without a fix: replace the range with the suggestion. */
function didYouMeanFix(d: HaploDiagnostic): Fix | undefined {
  const m = /did you mean '([^']+)'/i.exec(d.message);
  if (!m || d.range.start.line !== d.range.end.line) return undefined;
  return { title: `Replace with '${m[1]}'`, edits: [{ file: d.file, range: d.range, newText: m[1]! }] };
}

/** The parser's fixes plus ours; ours first when they fit better (braces around fetch + patterns). */
function fixesFor(analysis: Analysis, d: HaploDiagnostic): Fix[] {
  const parser = d.fixes ?? [];
  const brace = d.code === 'HAP3007' ? braceFix(analysis, d) : undefined;
  if (brace) return [brace, ...parser];
  if (parser.length) return parser;
  const ours = d.code === 'HAP2008' ? removedKeywordFix(analysis, d) : didYouMeanFix(d);
  return ours ? [ours] : [];
}

/** The code actions for the diagnostics of a range (the client's, matched by code and range). */
export function codeActions(analysis: Analysis, uri: string, params: CodeActionParams): CodeAction[] {
  const path = uriToPath(uri);
  const { range, context } = params;
  const wanted = context.diagnostics.filter((d) => d.source === undefined || d.source === 'haplo');
  const mine = analysis.diagnostics.filter((d) => {
    if (d.file !== path) return false;
    if (context.diagnostics.length) return wanted.some((w) => String(w.code) === d.code && sameRange(w.range, d.range));
    return d.range.start.line <= range.end.line && d.range.end.line >= range.start.line;
  });
  const only = context.only;
  if (only && !only.some((k) => k === CodeActionKind.QuickFix || CodeActionKind.QuickFix.startsWith(`${k}.`) || k === CodeActionKind.Empty)) return [];
  const actions: CodeAction[] = [];
  for (const d of mine) {
    const lsp = toLspDiagnostic(d);
    const fixes = fixesFor(analysis, d);
    fixes.forEach((f, i) => actions.push(fixAction(f, lsp, i === 0)));
    const silence = silenceAction(analysis, uri, d, lsp);
    if (silence) actions.push(silence);
  }
  return actions;
}

export const codeActionsFeature: Feature = (connection, workspace) => {
  connection.onCodeAction(guarded(connection, 'code actions', null, (params: CodeActionParams) => {
    const analysis = workspace.analysis(params.textDocument.uri);
    return analysis ? codeActions(analysis, params.textDocument.uri, params) : null;
  }));
};
