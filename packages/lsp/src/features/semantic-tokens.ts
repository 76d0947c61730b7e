// Semantic tokens, whole document and range: tokens are computed once per file per analysis
// (the collector says what each piece is) and encoded with LSP's relative encoding.
import type { SemanticTokens } from 'vscode-languageserver';
import { collectSemanticTokens, type SemanticToken } from '../semantic-token-collector.js';
import { fileOf } from '../symbols-at.js';
import { uriToPath, type Analysis, type Workspace } from '../workspace.js';
import type { Feature } from './feature.js';
import { guarded } from './request-guard.js';

const cache = new WeakMap<Analysis, Map<string, SemanticToken[]>>();

function tokensOf(workspace: Workspace, uri: string): SemanticToken[] {
  const analysis = workspace.analysis(uri);
  if (!analysis) return [];
  const path = uriToPath(uri);
  let files = cache.get(analysis);
  if (!files) cache.set(analysis, (files = new Map()));
  let tokens = files.get(path);
  if (!tokens) {
    const file = fileOf(analysis, path);
    tokens = file ? collectSemanticTokens(analysis, file) : [];
    files.set(path, tokens);
  }
  return tokens;
}

/** (deltaLine, deltaStart, length, type, modifiers) per token, relative to the previous one. */
export function encodeTokens(tokens: readonly SemanticToken[]): number[] {
  const data: number[] = [];
  let line = 0;
  let start = 0;
  for (const t of tokens) {
    const deltaLine = t.line - line;
    data.push(deltaLine, deltaLine === 0 ? t.start - start : t.start, t.length, t.type, t.modifiers);
    line = t.line;
    start = t.start;
  }
  return data;
}

export const semanticTokensFeature: Feature = (connection, workspace) => {
  connection.languages.semanticTokens.on(
    guarded(connection, 'semanticTokens/full', { data: [] }, (params): SemanticTokens => ({ data: encodeTokens(tokensOf(workspace, params.textDocument.uri)) })),
  );
  connection.languages.semanticTokens.onRange(
    guarded(connection, 'semanticTokens/range', { data: [] }, (params): SemanticTokens => {
      const { start, end } = params.range;
      const inRange = tokensOf(workspace, params.textDocument.uri).filter(
        (t) => (t.line > start.line || (t.line === start.line && t.start + t.length > start.character)) && (t.line < end.line || (t.line === end.line && t.start < end.character)),
      );
      return { data: encodeTokens(inRange) };
    }),
  );
};
