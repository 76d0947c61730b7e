// Publishes everything `haplo check` reports, same codes and ranges, as the user types: at once
// on each change, computed before any other request is served (see Workspace.diagnostics).
import type { Diagnostic as HaploDiagnostic } from '@haplo/parser';
import type { Diagnostic } from 'vscode-languageserver';
import { DiagnosticSeverity, DiagnosticTag } from '../language-server-api.js';
import type { Feature } from './feature.js';
import { pathToUri, type Workspace } from '../workspace.js';

const SEVERITY = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, info: DiagnosticSeverity.Information, hint: DiagnosticSeverity.Hint } as const;

/** Conversions already made: after an edit most diagnostics are the same objects as before. */
const converted = new WeakMap<HaploDiagnostic, Diagnostic>();

function convert(d: HaploDiagnostic): Diagnostic {
  let lsp = converted.get(d);
  if (!lsp) converted.set(d, (lsp = toLspDiagnostic(d)));
  return lsp;
}

export function toLspDiagnostic(d: HaploDiagnostic): Diagnostic {
  const tags: DiagnosticTag[] = [];
  if (d.unnecessary) tags.push(DiagnosticTag.Unnecessary);
  if (d.deprecated) tags.push(DiagnosticTag.Deprecated);
  return {
    range: { start: { line: d.range.start.line, character: d.range.start.column }, end: { line: d.range.end.line, character: d.range.end.column } },
    severity: SEVERITY[d.severity],
    code: d.code,
    source: 'haplo',
    message: d.message,
    ...(tags.length ? { tags } : {}),
    ...(d.related?.length
      ? { relatedInformation: d.related.map((r) => ({ location: { uri: pathToUri(r.file), range: { start: { line: r.range.start.line, character: r.range.start.column }, end: { line: r.range.end.line, character: r.range.end.column } } }, message: r.message })) }
      : {}),
  };
}

function publish(connection: Parameters<Feature>[0], workspace: Workspace, uri: string): void {
  const byFile = workspace.diagnostics(uri);
  if (!byFile) return;
  // One publication per file of the set, so a change in one file refreshes the others too.
  for (const [path, found] of byFile) {
    const fileUri = pathToUri(path);
    // The version lets a client tell which text the diagnostics describe.
    const version = workspace.documents.get(fileUri)?.version;
    void connection.sendDiagnostics({ uri: fileUri, ...(version !== undefined ? { version } : {}), diagnostics: found.map(convert) });
  }
}

export const diagnosticsFeature: Feature = (connection, workspace) => {
  workspace.documents.onDidChangeContent((e) => publish(connection, workspace, e.document.uri));
  workspace.documents.onDidClose((e) => {
    workspace.forget(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });
  connection.onDidChangeConfiguration((change) => {
    // Unchanged settings keep every analysis: this then only sends the same diagnostics again.
    workspace.setSettings(change.settings?.haplo);
    for (const doc of workspace.documents.all()) publish(connection, workspace, doc.uri);
  });
};
