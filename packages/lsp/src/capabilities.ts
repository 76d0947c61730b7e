// What the server announces to the editor; each feature module implements one entry.
import type { ServerCapabilities } from 'vscode-languageserver';
import { semanticTokensLegend } from './semantic-legend.js';

export const capabilities: ServerCapabilities = {
  definitionProvider: true,
  referencesProvider: true,
  renameProvider: { prepareProvider: true },
  documentHighlightProvider: true,
  documentSymbolProvider: { label: 'haplo' },
  workspaceSymbolProvider: true,
  foldingRangeProvider: true,
  semanticTokensProvider: { legend: semanticTokensLegend, full: true, range: true },
  completionProvider: { triggerCharacters: [' ', '.', ',', '(', '[', '{', '-', '!'], resolveProvider: false },
  hoverProvider: true,
  signatureHelpProvider: { triggerCharacters: [' ', '(', ','], retriggerCharacters: [','] },
  documentFormattingProvider: true,
  documentRangeFormattingProvider: true,
  codeActionProvider: { codeActionKinds: ['quickfix'] },
  inlayHintProvider: true,
};
