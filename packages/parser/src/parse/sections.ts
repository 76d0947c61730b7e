// The words that open a section, and how each section's header reads.
import type { SectionKind } from '../ast/nodes.js';

export const SECTION_KEYWORDS: ReadonlyMap<string, SectionKind> = new Map<string, SectionKind>([
  ['global', 'global'],
  ['defaults', 'defaults'],
  ['frontend', 'frontend'],
  ['backend', 'backend'],
  ['listen', 'listen'],
  ['userlist', 'userlist'],
  ['peers', 'peers'],
  ['resolvers', 'resolvers'],
  ['mailers', 'mailers'],
  ['http-errors', 'http-errors'],
  ['ring', 'ring'],
  ['cache', 'cache'],
  ['program', 'program'],
  ['fcgi-app', 'fcgi-app'],
  ['log-forward', 'log-forward'],
]);

/** Proxies: the sections that carry `from`, rules and the keyword matrix. */
export const PROXY_KINDS: ReadonlySet<SectionKind> = new Set<SectionKind>(['defaults', 'frontend', 'backend', 'listen']);

/** Sections whose header takes no name. */
export const UNNAMED_SECTIONS: ReadonlySet<SectionKind> = new Set<SectionKind>(['global']);

/** Sections whose name is optional. */
export const OPTIONAL_NAME_SECTIONS: ReadonlySet<SectionKind> = new Set<SectionKind>(['defaults']);
