// Analyses one section in a small configuration made of it and every section that is not a
// frontend, backend or listen (prelude, global, defaults, userlists, peers …), each parsed at its
// real position in the document. Content checks of a proxy section read only it, its defaults and
// the global section, so their findings on it are those of the whole document.
import type { ConfigFile, Section } from '../ast/nodes.js';
import { runChecks, type CheckOptions } from '../checks/registry.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Environment } from '../lexer/environment.js';
import { buildModel } from '../model/build-model.js';
import type { Model } from '../model/types.js';
import { parseConfig } from '../parse/document-parser.js';
import { checkPhases } from './check-phases.js';

/** A run of whole lines of the document: its first line and its offsets. */
export interface Span {
  line: number;
  from: number;
  to: number;
}

export interface SectionInContext {
  /** The sections parsed from the target span (one for a well-formed proxy segment). */
  sections: Section[];
  /** Whether the span held lines before its first header, or directives. */
  orphansOrDirectives: boolean;
  /** Parse diagnostics of the target span, in order. */
  parse: Diagnostic[];
  model: Model;
  /** Content-check diagnostics located on the target's lines, in order (when checks were run). */
  content: Diagnostic[];
  /** False when a check failed on the small configuration: its result cannot be trusted. */
  ok: boolean;
}

/**
 * Parses `contexts` and `target` (spans of `text`, in document order once sorted) into one file,
 * builds its model, and runs the content checks when `runContentChecks`.
 */
export function analyseInContext(
  text: string, path: string, env: Environment, contexts: readonly Span[], target: Span, targetEndLine: number,
  runContentChecks: boolean, options: Omit<CheckOptions, 'env' | 'prior'>,
): SectionInContext {
  const prior: Diagnostic[] = [];
  let own: ConfigFile | undefined;
  let ownParse: Diagnostic[] = [];
  const spans = [...contexts, target].sort((a, b) => a.from - b.from);
  // The text up to the last span is all the model and the checks can read (they scan the file's
  // text for `$`, so a shorter one saves time); offsets are unchanged.
  const end = spans[spans.length - 1]!.to;
  const file: ConfigFile = { path, text: end < text.length ? text.slice(0, end) : text, lines: [], orphans: [], sections: [], directives: [], conditionals: [] };
  for (const span of spans) {
    const parsed = parseConfig(text, path, { env, range: { line: span.line, from: span.from, to: span.to } });
    const f = parsed.file;
    for (const l of f.lines) file.lines.push(l);
    for (const s of f.sections) file.sections.push(s);
    for (const o of f.orphans) file.orphans.push(o);
    for (const d of f.directives) file.directives.push(d);
    for (const c of f.conditionals) file.conditionals.push(c);
    for (const d of parsed.diagnostics) prior.push(d);
    if (span === target) {
      own = f;
      ownParse = parsed.diagnostics;
    }
  }
  const model = buildModel([file]);
  const content: Diagnostic[] = [];
  let ok = true;
  if (runContentChecks && checkPhases) {
    for (const d of runChecks(model, checkPhases.content, { ...options, env, prior })) {
      if (d.code === 'HAP9999' || d.file !== path) ok = false;
      if (d.file === path && d.range.start.line >= target.line && d.range.start.line < targetEndLine) content.push(d);
    }
  }
  return {
    sections: own!.sections,
    orphansOrDirectives: own!.orphans.length > 0 || own!.directives.length > 0,
    parse: ownParse,
    model,
    content,
    ok,
  };
}
