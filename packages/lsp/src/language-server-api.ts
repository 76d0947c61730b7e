// The values the server uses from vscode-languageserver (a CommonJS package), loaded with
// require() instead of an ES import. Importing CommonJS from an ES module makes Node scan every
// file the package re-exports (vscode-languageserver-protocol, -types, vscode-jsonrpc: about a
// hundred) for export names before running them; require() runs the same files without that
// scan, which took more than half of the package's load time and a third of the server's start.
// Types still come from 'vscode-languageserver' through `import type` (erased at run time).
// The VS Code bundle replaces this module with a plain re-export (client/scripts/bundle.mjs).
import { createRequire } from 'node:module';

import type * as Lsp from 'vscode-languageserver/node';

type Api = typeof Lsp;

const api = createRequire(import.meta.url)('vscode-languageserver/node') as Api;

export const {
  CodeActionKind,
  CompletionItemKind,
  CompletionItemTag,
  createConnection,
  DiagnosticSeverity,
  DiagnosticTag,
  DocumentHighlightKind,
  FoldingRangeKind,
  InlayHintKind,
  InsertTextFormat,
  LSPErrorCodes,
  MarkupKind,
  ProposedFeatures,
  ResponseError,
  StreamMessageReader,
  StreamMessageWriter,
  SymbolKind,
  TextDocuments,
  TextDocumentSyncKind,
} = api;

// The enumerations and classes are types too, as in the package itself.
export type CodeActionKind = Lsp.CodeActionKind;
export type CompletionItemKind = Lsp.CompletionItemKind;
export type CompletionItemTag = Lsp.CompletionItemTag;
export type DiagnosticSeverity = Lsp.DiagnosticSeverity;
export type DiagnosticTag = Lsp.DiagnosticTag;
export type DocumentHighlightKind = Lsp.DocumentHighlightKind;
export type FoldingRangeKind = Lsp.FoldingRangeKind;
export type InlayHintKind = Lsp.InlayHintKind;
export type InsertTextFormat = Lsp.InsertTextFormat;
export type LSPErrorCodes = Lsp.LSPErrorCodes;
export type MarkupKind = Lsp.MarkupKind;
export type ResponseError<D = void> = Lsp.ResponseError<D>;
export type SymbolKind = Lsp.SymbolKind;
export type TextDocuments<T extends { uri: string }> = Lsp.TextDocuments<T>;
export type TextDocumentSyncKind = Lsp.TextDocumentSyncKind;
