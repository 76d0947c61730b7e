// The semantic token legend the server announces; token types and modifiers are sent as indexes
// into these lists, so their order is part of the protocol with the client.
import type { SemanticTokensLegend } from 'vscode-languageserver';

export const TOKEN_TYPES = [
  'keyword', // section headers, statement keywords, actions, if/unless
  'function', // sample fetches
  'method', // converters
  'variable', // ACL names, declared and used
  'class', // proxy (frontend/backend/listen/defaults) names and proxy-named stick tables
  'property', // servers, users, groups
  'operator', // `!`, `||`, `or`, `{`, `}`, `-i`/`-m`-style flags, `eq`…
  'string', // quoted words
  'number', // numbers, times and sizes
  'comment',
  'macro', // `.if`/`.elif`/`.else`/`.endif`/`.notice`… directives
  'parameter', // `${VAR}` references and setenv names
  'namespace', // other named sections: userlist, peers, resolvers, cache, …
] as const;

export const TOKEN_MODIFIERS = ['declaration', 'deprecated', 'defaultLibrary'] as const;

export type TokenType = (typeof TOKEN_TYPES)[number];
export type TokenModifier = (typeof TOKEN_MODIFIERS)[number];

export const semanticTokensLegend: SemanticTokensLegend = { tokenTypes: [...TOKEN_TYPES], tokenModifiers: [...TOKEN_MODIFIERS] };

export const TYPE_INDEX: Readonly<Record<TokenType, number>> = Object.fromEntries(TOKEN_TYPES.map((t, i) => [t, i])) as Record<TokenType, number>;
export const MODIFIER_BIT: Readonly<Record<TokenModifier, number>> = Object.fromEntries(TOKEN_MODIFIERS.map((m, i) => [m, 1 << i])) as Record<TokenModifier, number>;
