// `<criterion>[,conv…] [flags] [operator] [value …]`: the body of an `acl` line and of an
// anonymous `{ … }` ACL. Flags come first and `--` ends them, as in HAProxy's parse_acl_expr.
import type { AclExpr, AclFlag, Range, SampleExpr, Word } from '../ast/nodes.js';
import { exactSize } from '../ast/ranges.js';
import { wordSpan } from '../lexer/source-word.js';
import { parseSampleExpression, type SampleSyntaxError } from './sample-expression.js';

/** An ACL expression; its range, from the first word to the last, is built when read. */
class Expr implements AclExpr {
  constructor(
    public criterion: SampleExpr,
    public flags: AclFlag[],
    public method: Word | undefined,
    public operator: Word | undefined,
    public values: Word[],
    private readonly first: Word,
    private readonly last: Word,
  ) {}

  get range(): Range {
    return wordSpan(this.first, this.last);
  }
}

/** Flags that take an argument. */
const FLAGS_WITH_ARG = new Set(['-f', '-m', '-u']);
const FLAGS_ALONE = new Set(['-i', '-n', '-M']);
const INT_OPERATORS = new Set(['eq', 'ge', 'gt', 'le', 'lt']);

export interface AclExprError {
  message: string;
  word: Word;
  /** For sample syntax errors: where in the word. */
  sample?: SampleSyntaxError;
}

export interface AclExprParse {
  expr?: AclExpr;
  errors: AclExprError[];
}

/** Parses `words` from index `from` (the whole list by default). */
export function parseAclExpression(words: readonly Word[], from = 0): AclExprParse {
  const errors: AclExprError[] = [];
  const first = words[from];
  if (!first) return { errors };
  const parsed = parseSampleExpression(first);
  if (!parsed.expr) {
    errors.push({ message: parsed.error?.message ?? 'invalid criterion', word: first, sample: parsed.error });
    return { errors };
  }
  const flags: AclFlag[] = [];
  let method: Word | undefined;
  let i = from + 1;
  while (i < words.length && words[i]!.value.startsWith('-')) {
    const w = words[i]!;
    if (w.value === '--') {
      flags.push({ flag: w });
      i++;
      break;
    }
    if (FLAGS_WITH_ARG.has(w.value)) {
      const arg = words[i + 1];
      if (!arg) errors.push({ message: `ACL flag '${w.value}' expects an argument`, word: w });
      flags.push({ flag: w, arg });
      if (w.value === '-m') method = arg;
      i += 2;
      continue;
    }
    if (!FLAGS_ALONE.has(w.value)) {
      errors.push({
        message: `'${w.value}' is not a valid ACL option; write '--' before any pattern that begins with '-'`,
        word: w,
      });
    }
    flags.push({ flag: w });
    i++;
  }
  let operator: Word | undefined;
  if (i < words.length && INT_OPERATORS.has(words[i]!.value) && words.length > i + 1) {
    operator = words[i];
    i++;
  }
  const values = words.slice(i);
  const last = words[words.length - 1]!;
  return {
    expr: new Expr(parsed.expr, exactSize(flags), method, operator, values, first, last),
    errors,
  };
}
