// The `server`, `server-template`, `default-server` and `bind` lines of proxy sections, with their
// options read once against the catalogue, shared by the checks that look at those options
// (unknown options, missing files). Computed once per model, like statement-visits.
//
// Why: a large configuration is mostly server lines (~23,000 in the 100,000-line benchmark) with
// ten words each; every check walking those words again pays the memory traffic again.
import type { Word } from '../ast/nodes.js';
import { getBindOption, getServerOption } from '../catalogue/index.js';
import type { Model } from '../model/types.js';
import { statementVisits, type StatementVisit } from './statement-visits.js';

export interface OptionLine {
  visit: StatementVisit;
  isBind: boolean;
  /**
   * Where the walk over the options (HAProxy's: each known option skips its value word) ended:
   * the index in `args` of the first unknown option word, of the first option taking a variable
   * number of values, or `args.length`.
   */
  stop: number;
  /** True when `stop` is an unknown option word. */
  unknown: boolean;
  /** The index of the first option word (before `stop`, or `stop` itself) with `${VAR}` references; -1 when none. */
  envAt: number;
  /** The indices of the option words naming a file (bind: crt, crt-list, CA/CRL files; server: ca-file), in order. */
  fileOptions: readonly number[];
  /**
   * Server lines: the indices of the option words whose value is an address read by str2sa_range
   * (`addr`, `source`; the walk ends at `source`, whose values vary), in order.
   */
  addressOptions: readonly number[];
  /**
   * Server lines: the index of the first word `weight` from the first option word on, followed by
   * a word (read as HAProxy's weight check reads, whatever stands before it); -1 when none.
   */
  weightAt: number;
}

const BIND_FILE_OPTIONS: ReadonlySet<string> = new Set(['crt', 'crt-list', 'ca-file', 'ca-verify-file', 'crl-file']);
const SERVER_FILE_OPTIONS: ReadonlySet<string> = new Set(['ca-file']);
const SERVER_ADDRESS_OPTIONS: ReadonlySet<string> = new Set(['addr', 'source']);
const NO_FILES: readonly number[] = Object.freeze([]);

const cache = new WeakMap<Model, readonly OptionLine[]>();

/** The option lines of the model (proxy sections, no `no`/`default` modifier), in statement order. */
export function optionLines(model: Model): readonly OptionLine[] {
  let lines = cache.get(model);
  if (!lines) cache.set(model, (lines = collect(model)));
  return lines;
}

/** The index of the first option word of a server/bind line, or -1 for other keywords. */
export function firstOptionIndex(keyword: string): number {
  switch (keyword) {
    case 'bind': return 1;
    case 'server': return 2;
    case 'server-template': return 3;
    case 'default-server': return 0;
    default: return -1;
  }
}

function collect(model: Model): OptionLine[] {
  const out: OptionLine[] = [];
  const visits = statementVisits(model);
  for (let n = 0; n < visits.length; n++) {
    const visit = visits[n]!;
    if (!visit.inProxySection || visit.hasModifier) continue;
    const start = firstOptionIndex(visit.keyword);
    if (start >= 0) out.push(readOptions(visit, start));
  }
  return out;
}

function readOptions(visit: StatementVisit, start: number): OptionLine {
  const isBind = visit.keyword === 'bind';
  const files = isBind ? BIND_FILE_OPTIONS : SERVER_FILE_OPTIONS;
  const args: readonly Word[] = visit.stmt.args;
  let envAt = -1;
  let fileOptions: number[] | undefined;
  let addressOptions: number[] | undefined;
  let i = start;
  let unknown = false;
  for (; i < args.length; i++) {
    const word = args[i]!;
    if (envAt < 0 && word.envRefs?.length) envAt = i;
    const spec = isBind ? getBindOption(word.value) : getServerOption(word.value);
    if (!spec) {
      unknown = true;
      break;
    }
    if (!isBind && SERVER_ADDRESS_OPTIONS.has(word.value)) (addressOptions ??= []).push(i);
    if (spec.value === 'variable') break;
    if (files.has(word.value)) (fileOptions ??= []).push(i);
    i += spec.value;
  }
  const weightAt = isBind ? -1 : weightIndex(args, start);
  return { visit, isBind, stop: Math.min(i, args.length), unknown, envAt, fileOptions: fileOptions ?? NO_FILES, addressOptions: addressOptions ?? NO_FILES, weightAt };
}

/** The index of the first `weight` word in `args[from…]` that has a word after it, or -1. */
export function weightIndex(args: readonly Word[], from: number): number {
  for (let i = from; i < args.length - 1; i++) if (args[i]!.value === 'weight') return i;
  return -1;
}
