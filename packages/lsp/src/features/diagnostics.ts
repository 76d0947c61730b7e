// Publishes everything `haplo check` reports, same codes and ranges, as the user types.
import type { Diagnostic as HaploDiagnostic } from '@haplo/parser';
import { DiagnosticSeverity, DiagnosticTag, type Diagnostic } from 'vscode-languageserver';
import type { Feature } from './feature.js';
import { pathToUri, type Workspace } from '../workspace.js';

const SEVERITY = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, info: DiagnosticSeverity.Information, hint: DiagnosticSeverity.Hint } as const;

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
  const analysis = workspace.analysis(uri);
  if (!analysis) return;
  // One publication per file of the set, so a change in one file refreshes the others too.
  for (const file of analysis.files) {
    const diagnostics = analysis.diagnostics.filter((d) => d.file === file.path).map(toLspDiagnostic);
    void connection.sendDiagnostics({ uri: pathToUri(file.path), diagnostics });
  }
}

export const diagnosticsFeature: Feature = (connection, workspace) => {
  workspace.documents.onDidChangeContent((e) => publish(connection, workspace, e.document.uri));
  workspace.documents.onDidClose((e) => {
    workspace.forget(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });
  connection.onDidChangeConfiguration((change) => {
    workspace.setSettings(change.settings?.haplo);
    for (const doc of workspace.documents.all()) publish(connection, workspace, doc.uri);
  });
};
