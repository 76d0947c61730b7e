// Inlay hints: what `${VAR}` expands to, the mode and the timeouts a proxy inherits from its
// defaults (at the end of its header line), and whether each `.if`/`.elif`/`.else` branch is
// taken in the configured environment.
import type { ProxyModel } from '@haplo/parser';
import type { InlayHint, InlayHintParams } from 'vscode-languageserver';
import { InlayHintKind } from '../language-server-api.js';
import type { Feature } from './feature.js';
import { guarded } from './request-guard.js';
import { proxyOfSection } from '../positions.js';
import type { Analysis } from '../workspace.js';

const TIMEOUT_ORDER = ['client', 'connect', 'server', 'http-request', 'http-keep-alive', 'queue', 'tunnel', 'check', 'client-fin', 'server-fin', 'tarpit'];
/** Timeouts only one side of a proxy uses: a frontend ignores the server side's and the reverse. */
const BACKEND_SIDE = new Set(['connect', 'server', 'server-fin', 'queue', 'check', 'tunnel']);
const FRONTEND_SIDE = new Set(['client', 'client-fin', 'http-request']);

/** ` mode http · client 30s · server 30s (from defaults web)` for a frontend, backend or listen. */
export function proxyHint(proxy: ProxyModel): string | undefined {
  if (proxy.kind === 'defaults') return undefined;
  const parts = [`mode ${proxy.mode}`];
  const { frontend, backend } = proxy.capabilities;
  const inherited = [...proxy.timeouts].filter(([name, t]) =>
    t.from !== proxy && (backend || !BACKEND_SIDE.has(name)) && (frontend || !FRONTEND_SIDE.has(name)));
  inherited.sort(([a], [b]) => (TIMEOUT_ORDER.indexOf(a) + 1 || 99) - (TIMEOUT_ORDER.indexOf(b) + 1 || 99));
  for (const [name, t] of inherited) parts.push(`${name} ${t.statement.args[0]?.value ?? `${t.value}ms`}`);
  const from = proxy.defaults;
  const source = from ? ` (from defaults${from.name ? ` ${from.name}` : ''})` : '';
  const modeInherited = !!proxy.modeStatement && !proxy.statements.includes(proxy.modeStatement);
  return ` ${parts.join(' · ')}${inherited.length || modeInherited ? source : ''}`;
}

export function inlayHints(analysis: Analysis, startLine: number, endLine: number): InlayHint[] {
  const file = analysis.file;
  const hints: InlayHint[] = [];
  const last = Math.min(endLine, file.lines.length - 1);
  for (let n = Math.max(0, startLine); n <= last; n++) {
    for (const w of file.lines[n]!.words) {
      for (const ref of w.envRefs ?? []) {
        hints.push({
          position: { line: ref.range.end.line, character: ref.range.end.column },
          label: ref.value === undefined ? '= (unset)' : `= ${JSON.stringify(ref.value)}`,
          kind: InlayHintKind.Parameter,
          paddingLeft: true,
          tooltip: `\${${ref.name}}`,
        });
      }
    }
  }
  for (const section of file.sections) {
    const line = section.header.line;
    if (line < startLine || line > endLine) continue;
    if (section.kind !== 'frontend' && section.kind !== 'backend' && section.kind !== 'listen') continue;
    const proxy = proxyOfSection(analysis.model, section);
    const label = proxy && proxyHint(proxy);
    if (label) hints.push({ position: { line, character: section.header.range.end.column }, label });
  }
  for (const block of file.conditionals) {
    for (const b of block.branches) {
      const line = b.directive.line;
      if (line.line < startLine || line.line > endLine) continue;
      hints.push({ position: { line: line.line, character: line.range.end.column }, label: b.taken ? ' ✓ active' : ' ✗ inactive' });
    }
  }
  return hints;
}

export const inlayHintsFeature: Feature = (connection, workspace) => {
  connection.languages.inlayHint.on(guarded(connection, 'inlay hints', null, (params: InlayHintParams) => {
    const analysis = workspace.analysis(params.textDocument.uri);
    return analysis ? inlayHints(analysis, params.range.start.line, params.range.end.line) : null;
  }));
};
