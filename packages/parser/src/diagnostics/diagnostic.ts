import type { Range } from '../ast/nodes.js';

export type Severity = 'error' | 'warning' | 'info' | 'hint';

/** A mechanical fix: replace each range with its text (an empty text deletes). */
export interface Fix {
  title: string;
  edits: { file: string; range: Range; newText: string }[];
}

export interface Diagnostic {
  /** Stable code from the catalogue in `codes.ts`, e.g. `HAP1001`. */
  code: string;
  severity: Severity;
  file: string;
  range: Range;
  /** What is wrong and what to do about it. */
  message: string;
  fixes?: Fix[];
  /** Marks code that never runs (inactive `.if` branches), so editors grey it out. */
  unnecessary?: boolean;
  /** Marks use of a deprecated keyword. */
  deprecated?: boolean;
  /** Other places that explain this one (the first declaration of a duplicate, …). */
  related?: { file: string; range: Range; message: string }[];
}
