// Every editor feature the server offers, registered in this order.
import type { Feature } from './feature.js';
import { diagnosticsFeature } from './diagnostics.js';
import { definitionFeature } from './definition.js';
import { referencesFeature } from './references.js';
import { renameFeature } from './rename.js';
import { documentHighlightFeature } from './document-highlight.js';
import { documentSymbolsFeature } from './document-symbols.js';
import { workspaceSymbolsFeature } from './workspace-symbols.js';
import { foldingRangesFeature } from './folding-ranges.js';
import { semanticTokensFeature } from './semantic-tokens.js';
import { completionFeature } from './completion.js';
import { hoverFeature } from './hover.js';
import { signatureHelpFeature } from './signature-help.js';
import { formattingFeature } from './formatting.js';
import { codeActionsFeature } from './code-actions.js';
import { inlayHintsFeature } from './inlay-hints.js';

export const features: Feature[] = [
  diagnosticsFeature,
  definitionFeature,
  referencesFeature,
  renameFeature,
  documentHighlightFeature,
  documentSymbolsFeature,
  workspaceSymbolsFeature,
  foldingRangesFeature,
  semanticTokensFeature,
  completionFeature,
  hoverFeature,
  signatureHelpFeature,
  formattingFeature,
  codeActionsFeature,
  inlayHintsFeature,
];
