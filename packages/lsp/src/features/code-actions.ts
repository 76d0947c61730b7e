// Quick fixes: one per fix the parser attaches to a diagnostic (the same fixes `haplo check`
// knows), and for every diagnostic "Silence HAPxxxx on this line".
import { suppressionComment, type Diagnostic as HaploDiagnostic, type Fix } from '@haplo/parser';
import type { CodeAction, CodeActionParams, TextEdit, Diagnostic as LspDiagnostic } from 'vscode-languageserver';
import { CodeActionKind } from '../language-server-api.js';
import type { Feature } from './feature.js';
import { guarded } from './request-guard.js';
import { toLspDiagnostic } from './diagnostics.js';
import { lineText, lspRange, sameRange, toLspRange } from '../positions.js';
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
    const fixes = d.fixes ?? [];
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
