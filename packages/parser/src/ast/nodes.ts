// The AST: every line of every file, with exact ranges, so the formatter and the editor are
// lossless. Lines and columns are 0-based and columns count UTF-16 code units (LSP's default);
// the CLI adds 1 when it prints them.

export interface Position {
  line: number;
  column: number;
  offset: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** One argument of a line after HAProxy's first-level tokenising (quotes, escapes, `$VAR`). */
export interface Word {
  /** The source text of the word, quotes and escapes included. */
  text: string;
  /** What HAProxy sees: unquoted, unescaped, environment variables expanded. */
  value: string;
  range: Range;
  /**
   * Source offset of each character of `value`, present only when `value` is not a plain copy
   * of `text` (quotes, escapes, expansions). Expanded characters map to the `$` that produced them.
   */
  offsets?: number[];
  /** True when some part of the word was quoted (so `"if"` is not the keyword `if`). */
  quoted: boolean;
  /** True when `${VAR[*]}` split one source word into several: all pieces share the range. */
  splitFromExpansion?: boolean;
  /** Names of the environment variables the word read, with where each reference stands. */
  envRefs?: EnvRef[];
}

export interface EnvRef {
  name: string;
  range: Range;
  /** The value it expanded to, or undefined when unset. */
  value: string | undefined;
  /** The `-default` part, when written. */
  fallback?: string;
}

export interface Comment {
  /** Including the leading `#`. */
  text: string;
  range: Range;
}

export type LineKind = 'blank' | 'comment' | 'directive' | 'statement';

/** A physical line of a file. */
export interface Line {
  kind: LineKind;
  /** 0-based line number. */
  line: number;
  /** The whole line, without its line ending. */
  range: Range;
  /** Leading blanks as written. */
  indent: string;
  words: Word[];
  comment?: Comment;
  /** False inside a `.if` branch that is not taken: the line is kept but HAProxy ignores it. */
  active: boolean;
}

import type { KeywordSpec } from '../catalogue/types.js';

// ---- Conditional blocks and directives (`.if`, `.notice`, …) ----------------------------------

export type DirectiveName =
  | '.if' | '.elif' | '.else' | '.endif'
  | '.notice' | '.warning' | '.alert' | '.diag';

export interface Directive {
  type: 'directive';
  name: DirectiveName | string;
  line: Line;
  /** For `.if`/`.elif`: the evaluated value (undefined when the line is inactive or unparsable). */
  value?: boolean;
}

/** One `.if … .endif` block with its branches; nested blocks appear as their own entries. */
export interface ConditionalBlock {
  /** The `.if`, `.elif` and `.else` lines, in order, each with the lines it covers. */
  branches: { directive: Directive; taken: boolean; bodyRange: Range }[];
  endif?: Directive;
  range: Range;
}

// ---- Sample expressions: `fetch(args),conv(args),…` ------------------------------------------

export interface SampleArg {
  /** The argument after HAProxy's second-level parsing (quotes and backslashes removed). */
  value: string;
  range: Range;
}

export interface SampleCall {
  name: string;
  nameRange: Range;
  /** Undefined when written without parentheses. */
  args?: SampleArg[];
  /** From the name to the closing parenthesis. */
  range: Range;
}

export interface SampleExpr {
  /** The expression text as HAProxy sees it. */
  text: string;
  range: Range;
  fetch: SampleCall;
  converters: SampleCall[];
}

// ---- Log-format strings: literal text, `%[expr]`, `%var` ------------------------------------

export type LogFormatPart =
  | { kind: 'text'; text: string; range: Range }
  | { kind: 'sample'; expr: SampleExpr | undefined; text: string; range: Range }
  | { kind: 'variable'; name: string; flags: string; text: string; range: Range };

export interface LogFormat {
  parts: LogFormatPart[];
  range: Range;
}

// ---- ACL expressions and conditions ----------------------------------------------------------

/** `<criterion>[,conv…] [flags] [operator] [value …]`, as in `acl` lines and `{ … }`. */
export interface AclExpr {
  criterion: SampleExpr;
  /** Flags as written, e.g. `-i`, `-m beg`, `-f file`, `--`. */
  flags: AclFlag[];
  /** The `-m` method, if any. */
  method?: Word;
  /** `eq ge gt le lt`, if any. */
  operator?: Word;
  values: Word[];
  range: Range;
}

export interface AclFlag {
  flag: Word;
  /** The flag's argument (`-m beg`, `-f file`, `-u id`). */
  arg?: Word;
}

export interface AclRefTerm {
  kind: 'ref';
  negated: boolean;
  name: Word;
  /** The range of the name without any `!`. */
  nameRange: Range;
  range: Range;
}

export interface AnonymousAclTerm {
  kind: 'anonymous';
  negated: boolean;
  open: Word;
  close?: Word;
  /** Undefined when the braces are empty or the criterion is missing. */
  expr?: AclExpr;
  range: Range;
}

export type ConditionTerm = AclRefTerm | AnonymousAclTerm;

export interface Condition {
  polarity: 'if' | 'unless';
  keyword: Word;
  /** OR of AND-groups (HAProxy has no parentheses). */
  groups: ConditionTerm[][];
  /** The `or`/`||` words, for tooling. */
  orWords: Word[];
  range: Range;
}

// ---- Statements and sections -----------------------------------------------------------------

export type SectionKind =
  | 'global' | 'defaults' | 'frontend' | 'backend' | 'listen' | 'userlist' | 'peers'
  | 'resolvers' | 'mailers' | 'http-errors' | 'ring' | 'cache' | 'program' | 'fcgi-app'
  | 'log-forward';

export type RuleSet =
  | 'http-request' | 'http-response' | 'http-after-response'
  | 'tcp-request connection' | 'tcp-request session' | 'tcp-request content'
  | 'tcp-response content';

interface StatementBase {
  line: Line;
  /** The words that name the keyword: `timeout client` is two, `bind` one. */
  keywordWords: Word[];
  /** The keyword as written after `no`/`default`, joined with one space (`timeout client`). */
  keyword: string;
  /**
   * The catalogue entry the keyword words name exactly, in the statement's kind of section;
   * undefined for unknown keywords and for lines outside any section.
   */
  keywordSpec: KeywordSpec | undefined;
  /** `no` or `default`, when written before the keyword. */
  modifier?: Word;
  /** Arguments after the keyword words and before any condition. */
  args: Word[];
  condition?: Condition;
  /** Sample expressions and log-format strings found in the arguments, by argument index. */
  samples: { argIndex: number; expr: SampleExpr }[];
  logFormats: { argIndex: number; format: LogFormat }[];
  range: Range;
}

/** A line whose structure is just keyword + arguments (+ condition). */
export interface PlainStatement extends StatementBase {
  type: 'statement';
}

/** `acl <name> <expr>`. */
export interface AclStatement extends StatementBase {
  type: 'acl';
  name?: Word;
  expr?: AclExpr;
}

/** `http-request set-header X v if cond` and the other rule sets. */
export interface RuleStatement extends StatementBase {
  type: 'rule';
  ruleSet: RuleSet;
  /** The action word(s): `set-header`, `track-sc0`, `set-var(txn.x)`. */
  action?: Word;
  /** The action name without its parenthesised argument: `set-var` for `set-var(txn.x)`. */
  actionName: string;
  /** Arguments after the action word. */
  actionArgs: Word[];
}

export type Statement = PlainStatement | AclStatement | RuleStatement;

export interface Section {
  kind: SectionKind;
  /** The header line (`backend be from defs`). */
  header: Line;
  keyword: Word;
  name?: Word;
  /** `from <defaults>` target, when written. */
  from?: Word;
  statements: Statement[];
  /** From the header to the last line before the next section. */
  range: Range;
  file: string;
}

export interface ConfigFile {
  path: string;
  text: string;
  lines: Line[];
  /** Statements before any section (always an error in HAProxy). */
  orphans: Statement[];
  sections: Section[];
  directives: Directive[];
  conditionals: ConditionalBlock[];
}
