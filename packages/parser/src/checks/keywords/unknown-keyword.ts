// Unknown keywords: lines before any section, keywords a section does not know (with a "did you
// mean" that may merge the next word), unknown members of keyword families (`timeout frob`,
// `option frob`), and keywords that belong to another kind of section (`daemon` in a frontend).
// Removed keywords (`reqadd`, `clitimeout`, …) are left to the deprecated-keyword check and `//`
// lines to the comment-style check, so each line gets exactly one diagnostic.
import type { SectionKind, Statement } from '../../ast/nodes.js';
import { findKeyword, isProxySection, keywordsFor, sectionKinds } from '../../catalogue/index.js';
import { codes } from '../../diagnostics/codes.js';
import type { Fix } from '../../diagnostics/diagnostic.js';
import type { CheckContext, Check } from '../registry.js';
import { removedGlobalKeywordMessages, removedOptionMessages, removedProxyKeywordMessages } from './removed-keywords.js';
import { replacedRange, suggestWords } from './suggest-words.js';
import { proxyLabel, replaceFix, statementVisits, wordsRange, type StatementContext } from './util.js';

interface SectionVocabulary {
  /** Full keyword names and their first words. */
  words: Set<string>;
  /** Family prefix (`timeout`, `capture request`) → the words that may follow it. */
  families: Map<string, Set<string>>;
}

const vocabularies = new Map<string, SectionVocabulary>();

function vocabularyFor(kind: SectionKind): SectionVocabulary {
  const key = isProxySection(kind) ? 'proxy' : kind;
  let v = vocabularies.get(key);
  if (v) return v;
  v = { words: new Set(), families: new Map() };
  for (const spec of keywordsFor(kind)) {
    const parts = spec.name.split(' ');
    v.words.add(parts[0]!);
    v.words.add(spec.name);
    for (let i = 1; i < parts.length; i++) {
      const prefix = parts.slice(0, i).join(' ');
      let set = v.families.get(prefix);
      if (!set) v.families.set(prefix, (set = new Set()));
      set.add(parts[i]!);
    }
  }
  vocabularies.set(key, v);
  return v;
}

/** Where else a keyword is valid, as section kind names (`global`, or `proxy` for proxy sections). */
function otherHomes(kind: SectionKind, words: readonly string[]): string[] {
  const homes: string[] = [];
  const here = isProxySection(kind) ? 'proxy' : kind;
  for (const sk of sectionKinds) {
    const name = sk.proxy ? 'proxy' : sk.kind;
    if (name === here || homes.includes(name)) continue;
    const found = findKeyword(sk.kind, words);
    if (found && found.wordCount >= 1 && found.spec.name.split(' ')[0] === words[0]) homes.push(name);
  }
  return homes;
}

/** HAProxy's own message for an unknown member of a keyword family, when it has one. */
function familyMessage(family: string, word: string, ctx: StatementContext): string | undefined {
  switch (family) {
    case 'timeout':
      return `'timeout' supports 'client', 'server', 'connect', 'check', 'queue', 'http-keep-alive', 'http-request', 'tunnel', 'tarpit', 'client-fin' and 'server-fin' (got '${word}')`;
    case 'stats':
      return `unknown stats parameter '${word}', expects 'admin', 'uri', 'realm', 'auth', 'scope', 'enable', 'hide-version', 'show-node', 'show-desc' or 'show-legends'.`;
    case 'capture':
    case 'capture request':
    case 'capture response':
      return `'capture' expects 'cookie' or 'request header' or 'response header'.`;
    case 'stick':
      return `'stick' expects 'on', 'match', or 'store'.`;
    case 'http-check':
      return `'http-check' only supports 'disable-on-404', 'send-state', 'comment', 'connect', 'send', 'expect', 'set-var-fmt(*)', 'set-var(*)', 'unset-var(*)'. but got '${word}'`;
    case 'tcp-request':
      return ctx.proxy ? `'tcp-request' expects 'inspect-delay', 'connection', or 'content' in ${proxyLabel(ctx.proxy)} (got '${word}')` : undefined;
    default:
      return undefined;
  }
}

function isRemoved(kind: SectionKind, stmt: Statement): boolean {
  const first = stmt.keywordWords[0]?.value ?? '';
  if (isProxySection(kind)) {
    if (removedProxyKeywordMessages.has(first)) return true;
    if (first === 'option' && stmt.keywordWords.length >= 2 && removedOptionMessages.has(stmt.keywordWords[1]!.value)) return true;
    if (first === 'option' && stmt.keywordWords.length === 1 && stmt.args[0] && removedOptionMessages.has(stmt.args[0].value)) return true;
  }
  if (kind === 'global' && removedGlobalKeywordMessages.has(first)) return true;
  return false;
}

function checkStatement(ctx: CheckContext, sc: StatementContext): void {
  const { stmt, file, section } = sc;
  if (!section) {
    ctx.report(codes.outOfSection, file, wordsRange(stmt.keywordWords), `unknown keyword '${stmt.keywordWords[0]!.value}' out of section.`);
    return;
  }
  const kind = section.kind;
  const kwRange = wordsRange(stmt.keywordWords);
  const kwValues = stmt.keywordWords.map((w) => w.value);
  const found = findKeyword(kind, kwValues);
  if (isRemoved(kind, stmt)) return;

  const vocab = vocabularyFor(kind);
  const allValues = kwValues.concat(stmt.args.map((w) => w.value));

  // `option <name>`
  if (isProxySection(kind) && kwValues[0] === 'option') {
    const nameWord = stmt.keywordWords[1] ?? stmt.args[0];
    if (!nameWord) {
      ctx.report(codes.missingArgument, file, kwRange, `'option' expects an option name.`);
      return;
    }
    const options = vocab.families.get('option') ?? new Set<string>();
    const tail = [nameWord, ...stmt.args.filter((w) => w !== nameWord)];
    const s = suggestWords(tail, options);
    const fixes: Fix[] = s ? [replaceFix(`Replace with 'option ${s.text}'`, file, replacedRange(tail, s.count), s.text)] : [];
    ctx.report(codes.unknownOption, file, nameWord.range, `unknown option '${nameWord.value}'` + (s ? `; did you mean '${s.text}' maybe ?` : '.'), { fixes });
    return;
  }

  // An unknown member of a family: `timeout frob`, `capture request frob`, `stats frob`.
  if (kwValues.length > 1) {
    const family = kwValues.slice(0, -1).join(' ');
    const members = vocab.families.get(family);
    if (members) {
      const bad = stmt.keywordWords[kwValues.length - 1]!;
      const tail = [bad, ...stmt.args];
      const s = suggestWords(tail, members);
      const base = familyMessage(family, bad.value, sc) ?? `unknown keyword '${family} ${bad.value}' in '${kind}' section`;
      const fixes = s ? [replaceFix(`Replace with '${family} ${s.text}'`, file, replacedRange(tail, s.count), s.text)] : [];
      ctx.report(codes.unknownKeyword, file, bad.range, base + (s ? `; did you mean '${family} ${s.text}' maybe ?` : ''), { fixes });
      return;
    }
  }
  // A family prefix alone: `timeout`, `capture`, `stats`.
  if (kwValues.length === 1 && vocab.families.has(kwValues[0]!) && !found) {
    const members = [...vocab.families.get(kwValues[0]!)!].map((m) => `'${kwValues[0]} ${m}'`);
    ctx.report(codes.missingArgument, file, kwRange, `'${kwValues[0]}' needs a second word: ${members.slice(0, 12).join(', ')}${members.length > 12 ? ', …' : ''}`);
    return;
  }

  // A keyword of another kind of section.
  const homes = otherHomes(kind, allValues);
  if (homes.length > 0) {
    const where = homes.map((h) => (h === 'proxy' ? 'defaults/frontend/listen/backend' : `'${h}'`)).join(', ');
    ctx.report(codes.keywordNotAllowed, file, stmt.keywordWords[0]!.range,
      `unknown keyword '${kwValues[0]}' in '${kind}' section; '${kwValues[0]}' is only valid in ${where} section${homes.length > 1 ? 's' : ''}`);
    return;
  }

  const words = [...stmt.keywordWords, ...stmt.args];
  const s = suggestWords(words, vocab.words);
  const fixes = s ? [replaceFix(`Replace with '${s.text}'`, file, replacedRange(words, s.count), s.text)] : [];
  ctx.report(codes.unknownKeyword, file, stmt.keywordWords[0]!.range,
    `unknown keyword '${kwValues[0]}' in '${kind}' section` + (s ? `; did you mean '${s.text}' maybe ?` : ''), { fixes });
}

export const unknownKeywordCheck: Check = {
  name: 'unknown-keyword',
  run(ctx) {
    const visits = statementVisits(ctx.model);
    for (let n = 0; n < visits.length; n++) {
      const sc = visits[n]!;
      // Known keywords (most lines) are fine; `//` lines are the comment-style check's.
      if (sc.spec || sc.slashComment || sc.stmt.keywordWords.length === 0) continue;
      checkStatement(ctx, sc);
    }
  },
};
