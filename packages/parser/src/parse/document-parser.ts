// One file's text → its AST: every physical line kept (blank, comment, directive, statement),
// `.if` blocks evaluated against the environment with inactive lines kept and marked, sections
// opened positionally, statements structured. Errors become diagnostics; nothing throws.
import type { ConditionalBlock, ConfigFile, Directive, Line, Range, Section, Word } from '../ast/nodes.js';
import { spanRange } from '../ast/ranges.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { codes, type CodeInfo } from '../diagnostics/codes.js';
import { defaultEnvironment, type Environment } from '../lexer/environment.js';
import { evaluateIfCondition } from '../lexer/if-condition.js';
import { tokenizeLine, type LexError } from '../lexer/line-tokenizer.js';
import { SECTION_KEYWORDS } from './sections.js';
import { SectionNode, SourceLine } from './nodes-impl.js';
import { buildStatement } from './statement-builder.js';

export interface ParseOptions {
  env?: Environment;
  /**
   * Parse only the lines from `range.from` (the offset of the start of line `range.line`) up to
   * offset `range.to` (a line start, or the end of the text), with their real positions. Used by
   * the editor to re-read one section of a large file; lines outside are not in `file.lines`.
   */
  range?: { line: number; from: number; to: number };
}

export interface ParseResult {
  file: ConfigFile;
  diagnostics: Diagnostic[];
}

/** HAProxy allows this many nested `.if` levels. */
const MAX_NESTED_CONDS = 10;

interface IfFrame {
  block: ConditionalBlock;
  /** Whether the enclosing level is active. */
  parentActive: boolean;
  /** Whether a branch of this block was already taken. */
  taken: boolean;
  /** Whether lines of the current branch are active. */
  active: boolean;
  sawElse: boolean;
}

function lexCode(message: string): CodeInfo {
  if (message.startsWith('unmatched quote')) return codes.unmatchedQuote;
  if (message.startsWith('truncated or invalid hexadecimal')) return codes.badHexEscape;
  if (message.startsWith('too many words')) return codes.tooManyWords;
  if (message.startsWith('Stray NUL')) return codes.strayNul;
  return codes.badEnvReference;
}

export function parseConfig(text: string, path: string, options: ParseOptions = {}): ParseResult {
  const env = options.env ?? defaultEnvironment();
  const diagnostics: Diagnostic[] = [];
  const report = (info: CodeInfo, range: Range, message: string, extra?: Partial<Diagnostic>): void => {
    diagnostics.push({ code: info.code, severity: info.severity, file: path, range, message, ...extra });
  };
  const file: ConfigFile = { path, text, lines: [], orphans: [], sections: [], directives: [], conditionals: [] };
  const stack: IfFrame[] = [];
  let section: SectionNode | undefined;
  let aborted = false;

  const closeSection = (lastLine: Line | undefined): void => {
    if (section && lastLine) section.closeAt(lastLine);
  };
  let lastContentLine: Line | undefined;
  // One context for every line, updated when a section opens (for `${.SECTION}`).
  const lineContext = { env, file: path, section: '' };

  let start = options.range?.from ?? 0;
  let lineNo = options.range?.line ?? 0;
  const length = options.range?.to ?? text.length;
  while (start < length || (start === length && lineNo === 0 && length > 0)) {
    let end = text.indexOf('\n', start);
    const hasLf = end >= 0;
    if (!hasLf) end = length;
    const active = !aborted && (stack.length === 0 || stack[stack.length - 1]!.active);
    const line = new SourceLine(lineNo, start, active);
    const tok = tokenizeLine(text, start, end, lineNo, lineContext, line);
    const contentEnd = end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
    line.setContent(tok.words.length === 0 ? (tok.comment ? 'comment' : 'blank') : 'statement', tok.indent, tok.words, contentEnd);
    if (tok.comment) line.comment = tok.comment;
    file.lines.push(line);
    // HAProxy tokenises lines of skipped blocks too, so their lexical errors still count.
    if (!aborted) for (const e of tok.errors) reportLex(e);

    if (line.words.length > 0 && !aborted) {
      const first = line.words[0]!.value;
      if (first.startsWith('.')) {
        line.kind = 'directive';
        handleDirective(line, first, active);
      } else if (active) {
        const kind = SECTION_KEYWORDS.get(first);
        if (kind) {
          closeSection(lastContentLine);
          section = openSection(line, kind);
          file.sections.push(section);
          lineContext.section = section.name?.value ?? section.kind;
        } else {
          const stmt = buildStatement(line, section?.kind, report);
          if (section) section.statements.push(stmt);
          else file.orphans.push(stmt);
        }
      }
    }
    if (line.kind !== 'blank') lastContentLine = line;

    if (!hasLf) {
      if (end > start) report(codes.missingFinalNewline, line.range, 'the last line does not end with a line feed, so HAProxy thinks the file was truncated; add a newline at the end of the file');
      break;
    }
    start = end + 1;
    lineNo++;
    if (start === length) break;
  }
  closeSection(lastContentLine);

  const lastLine = file.lines[file.lines.length - 1];
  if (stack.length > 0 && lastLine && !aborted) {
    const open = stack[stack.length - 1]!.block.branches[0]!.directive.line;
    report(codes.conditionalStructure, lastLine.range, `non-terminated '.if' block (opened on line ${open.line + 1}); add '.endif'`);
  }
  for (const frame of stack) finishBlock(frame, lastLine);
  return { file, diagnostics };

  function reportLex(e: LexError): void {
    report(lexCode(e.message), e.range, e.message.replace(/:$/, ''));
  }

  function openSection(line: Line, kind: Section['kind']): SectionNode {
    const [keyword, ...rest] = line.words as [Word, ...Word[]];
    let name: Word | undefined;
    let from: Word | undefined;
    let i = 0;
    if (rest[0] && rest[0].value !== 'from') name = rest[i++];
    else if (rest[0]?.value === 'from' && kind !== 'defaults' && rest.length === 1) name = rest[i++];
    if (rest[i]?.value === 'from') {
      if (rest[i + 1]) from = rest[i + 1];
      else report(codes.badSectionHeader, rest[i]!.range, `'from' expects the name of a defaults section`);
      i += 2;
    }
    if (rest.length > i) {
      const extra = rest[i]!;
      report(codes.badSectionHeader, extra.range, `unexpected argument '${extra.value}' in the '${kind}' header; a ${kind} header takes ${kind === 'global' ? 'no argument' : 'a name' + (kind === 'frontend' || kind === 'backend' || kind === 'listen' || kind === 'defaults' ? " and an optional 'from <defaults>'" : '')}`);
    }
    return new SectionNode(kind, line, keyword, name, from, path);
  }

  function handleDirective(line: Line, name: string, active: boolean): void {
    const directive: Directive = { type: 'directive', name, line };
    file.directives.push(directive);
    const top = stack[stack.length - 1];
    const args = line.words.slice(1);
    // A branch directive belongs to its block, which runs whenever the enclosing level does.
    if (top && (name === '.elif' || name === '.else' || name === '.endif')) line.active = top.parentActive;
    switch (name) {
      case '.if': {
        if (stack.length >= MAX_NESTED_CONDS) {
          report(codes.conditionalStructure, line.range, `too many nested '.if', max is ${MAX_NESTED_CONDS}`);
        }
        const value = active ? evaluate(directive, args) : false;
        const block: ConditionalBlock = { branches: [{ directive, taken: value, bodyRange: line.range }], range: line.range };
        file.conditionals.push(block);
        stack.push({ block, parentActive: active, taken: value, active: active && value, sawElse: false });
        return;
      }
      case '.elif': {
        if (!top) return structureError(line, `lone '.elif' with no matching '.if'`, true);
        if (top.sawElse) return structureError(line, `'.elif' after '.else' is not permitted`, true);
        closeBranch(top, line);
        const value = top.parentActive && !top.taken ? evaluate(directive, args) : false;
        top.block.branches.push({ directive, taken: value, bodyRange: line.range });
        top.active = value;
        top.taken ||= value;
        return;
      }
      case '.else': {
        if (!top) return structureError(line, `lone '.else' with no matching '.if'`, true);
        if (top.sawElse) return structureError(line, `'.else' after '.else' is not permitted`, true);
        if (args[0]) report(codes.conditionalStructure, args[0].range, `unexpected argument '${args[0].value}' for '.else'; remove it`);
        closeBranch(top, line);
        const value = top.parentActive && !top.taken;
        top.block.branches.push({ directive, taken: value, bodyRange: line.range });
        top.active = value;
        top.taken = true;
        top.sawElse = true;
        return;
      }
      case '.endif': {
        if (!top) return structureError(line, `lone '.endif' with no matching '.if'`, true);
        if (args[0]) report(codes.conditionalStructure, args[0].range, `unexpected argument '${args[0].value}' for '.endif'; remove it`);
        top.block.endif = directive;
        finishBlock(top, line);
        stack.pop();
        return;
      }
    }
    if (!active) return;
    switch (name) {
      case '.notice':
      case '.diag':
      case '.warning':
      case '.alert': {
        if (args.length === 0) {
          report(codes.directiveArguments, line.range, `'${name}' expects a message; write it in quotes`);
          return;
        }
        if (args.length > 1) {
          report(codes.directiveArguments, args[1]!.range, `unexpected argument '${args[1]!.value}' for '${name}'; use quotes if the message should contain spaces`);
          return;
        }
        const info = name === '.warning' ? codes.directiveWarning : name === '.alert' ? codes.directiveAlert : codes.directiveNotice;
        report(info, args[0]!.range, `'${args[0]!.value}'`);
        if (name === '.alert') aborted = true;
        return;
      }
      default:
        report(codes.unknownDirective, line.words[0]!.range, `unknown directive '${name}'; 2.6 knows .if, .elif, .else, .endif, .notice, .warning, .alert and .diag (there is no include directive)`);
    }
  }

  function evaluate(directive: Directive, args: Word[]): boolean {
    const result = evaluateIfCondition(args, env, directive.name as '.if' | '.elif');
    if ('error' in result) {
      report(codes.badIfExpression, result.error.range, result.error.message.replace(/:$/, ''));
      aborted = true; // HAProxy stops reading the file here
      return false;
    }
    directive.value = result.value;
    return result.value;
  }

  function structureError(line: Line, message: string, abort: boolean): void {
    report(codes.conditionalStructure, line.words[0]!.range, message);
    if (abort) aborted = true;
  }

  function closeBranch(frame: IfFrame, next: Line): void {
    const branch = frame.block.branches[frame.block.branches.length - 1]!;
    branch.bodyRange = spanRange(branch.directive.line.range, next.range);
    if (!branch.taken && frame.parentActive) markInactive(branch.directive.line.line + 1, next.line);
  }

  function finishBlock(frame: IfFrame, last: Line | undefined): void {
    if (!last) return;
    const branch = frame.block.branches[frame.block.branches.length - 1]!;
    if (frame.block.endif === undefined || branch.bodyRange === branch.directive.line.range) {
      branch.bodyRange = spanRange(branch.directive.line.range, last.range);
      if (!branch.taken && frame.parentActive) markInactive(branch.directive.line.line + 1, last.line + (frame.block.endif ? 0 : 1));
    }
    frame.block.range = spanRange(frame.block.branches[0]!.directive.line.range, last.range);
  }

  /** Reports lines [from, to) that no branch runs, once, so editors can grey them out. */
  function markInactive(from: number, to: number): void {
    if (to <= from) return;
    const first = file.lines[from];
    const last = file.lines[to - 1];
    if (!first || !last) return;
    diagnostics.push({
      code: codes.inactiveBranch.code,
      severity: 'hint',
      file: path,
      range: spanRange(first.range, last.range),
      message: 'HAProxy skips these lines: the .if branch is not taken in this environment',
      unnecessary: true,
    });
  }
}
