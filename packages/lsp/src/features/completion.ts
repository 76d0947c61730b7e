// Completion: what may be written at the cursor, from the catalogue (keywords valid in the section
// and mode, actions of the rule set, fetches, converters, match methods, ACL flags, enum values)
// and the model's symbol index (ACLs of the proxy, backends, servers, userlists, tables).
// Catalogue items are built once; a request only classifies the cursor's line and copies them.
import { catalogue, type Model, type ProxyModel, type SectionKind } from '@haplo/parser';
import type { CompletionItem, CompletionList, CompletionParams, Range as LspRange } from 'vscode-languageserver';
import { CompletionItemKind, CompletionItemTag, InsertTextFormat, MarkupKind } from '../language-server-api.js';
import type { Feature } from './feature.js';
import { guarded } from './request-guard.js';
import { cursorContext, type ArgOwner, type CursorContext, type SamplePosition } from '../cursor-context.js';
import {
  converterDetail, fetchDetail, keywordShape, placedIn, removedBefore26,
} from '../catalogue-text.js';
import { lineText, lspRange } from '../positions.js';

const doc = (text: string) => ({ kind: MarkupKind.Markdown, value: text });
const TRIGGER_SUGGEST = { title: 'Suggest', command: 'editor.action.triggerSuggest' };

// ---- items built once from the catalogue ------------------------------------------------------

const fetchItems: CompletionItem[] = catalogue.fetchSpecs
  .filter((f) => !removedBefore26(f))
  .map((f) => ({
    label: f.name,
    kind: CompletionItemKind.Function,
    detail: fetchDetail(f),
    documentation: doc(f.description + (f.deprecated?.replacement ? `\n\nDeprecated: use \`${f.deprecated.replacement}\`.` : '')),
    ...(f.deprecated ? { tags: [CompletionItemTag.Deprecated], sortText: `~${f.name}` } : {}),
  }));

const aclKeywordItems: CompletionItem[] = catalogue.aclKeywordSpecs
  .filter((a) => !catalogue.getFetch(a.name))
  .map((a) => ({ label: a.name, kind: CompletionItemKind.Function, detail: `${a.fetch} -m ${a.method}`, documentation: doc(a.description) }));

const converterItems: CompletionItem[] = catalogue.converterSpecs
  .filter((c) => !removedBefore26(c))
  .map((c) => ({ label: c.name, kind: CompletionItemKind.Method, detail: converterDetail(c), documentation: doc(c.description) }));

const methodItems: CompletionItem[] = catalogue.matchMethodSpecs.map((m) => ({
  label: m.name, kind: CompletionItemKind.EnumMember, detail: `-m ${m.name}`, documentation: doc(m.description),
}));

const ACL_FLAGS: [string, string][] = [
  ['-i', 'Ignore case when matching'],
  ['-m', 'Match method (beg, end, sub, reg, str, int, ip, found, …)'],
  ['-f', 'Load patterns from a file'],
  ['-M', 'Load patterns from a map file'],
  ['-n', 'Forbid DNS resolution of patterns'],
  ['-u', 'Give the pattern list a unique id'],
  ['--', 'End of flags: what follows is a pattern'],
];
const flagItems: CompletionItem[] = ACL_FLAGS.map(([label, d]) => ({ label, kind: CompletionItemKind.Operator, detail: 'ACL flag', documentation: doc(d) }));

const predefinedAclItems: CompletionItem[] = catalogue.predefinedAcls.map((a) => ({
  label: a.name, kind: CompletionItemKind.Constant, detail: `predefined: ${a.expansion}`, documentation: doc(a.description), sortText: `1${a.name}`,
}));

const DIRECTIVES: [string, string][] = [
  ['.if', 'Starts a conditional block'], ['.elif', 'Alternative condition of a block'], ['.else', 'Last branch of a block'],
  ['.endif', 'Ends a conditional block'], ['.notice', 'Prints a notice'], ['.warning', 'Prints a warning'],
  ['.alert', 'Prints an alert and stops'], ['.diag', 'Prints a diagnostic message'],
];
const directiveItems: CompletionItem[] = DIRECTIVES.map(([label, d]) => ({ label, kind: CompletionItemKind.Keyword, documentation: doc(d) }));

const SKELETONS: Partial<Record<SectionKind, string>> = {
  global: 'global\n    log stdout format raw local0\n    maxconn ${1:4096}\n$0',
  defaults: 'defaults ${1:web}\n    mode ${2|http,tcp|}\n    timeout connect ${3:5s}\n    timeout client ${4:30s}\n    timeout server ${5:30s}\n$0',
  frontend: 'frontend ${1:fe_main}\n    bind ${2::80}\n    mode ${3|http,tcp|}\n    timeout client ${4:30s}\n    default_backend ${5:be_app}\n$0',
  backend: 'backend ${1:be_app}\n    mode ${2|http,tcp|}\n    balance ${3:roundrobin}\n    timeout connect ${4:5s}\n    timeout server ${5:30s}\n    server ${6:app1} ${7:127.0.0.1:8080} check\n$0',
  listen: 'listen ${1:name}\n    bind ${2::80}\n    mode ${3|http,tcp|}\n    timeout connect ${4:5s}\n    timeout client ${5:30s}\n    timeout server ${6:30s}\n    server ${7:app1} ${8:127.0.0.1:8080} check\n$0',
};

const headerItems: CompletionItem[] = catalogue.sectionKinds.map((s) => ({
  label: s.keyword,
  kind: CompletionItemKind.Module,
  detail: SKELETONS[s.kind] ? `${s.keyword} section (skeleton)` : `${s.keyword} section`,
  documentation: doc(s.description),
  insertTextFormat: InsertTextFormat.Snippet,
  insertText: SKELETONS[s.kind] ?? (s.name === 'none' ? `${s.keyword}\n$0` : `${s.keyword} \${1:name}\n$0`),
  sortText: `0${s.keyword}`,
}));

const actionItemCache = new Map<string, CompletionItem[]>();
function actionItems(ruleSet: catalogue.RuleSet, tcpMode: boolean): CompletionItem[] {
  const key = `${ruleSet}|${tcpMode}`;
  let items = actionItemCache.get(key);
  if (!items) {
    items = [];
    for (const name of catalogue.actionNames(ruleSet)) {
      const a = catalogue.getAction(ruleSet, name)!;
      if (removedBefore26(a) || (tcpMode && a.httpOnly && ruleSet.startsWith('tcp-'))) continue;
      const written = a.parenArg ? `${a.name}(${a.parenArg === 'variable' ? '<var>' : '<arg>'})` : a.name;
      items.push({
        label: a.name,
        kind: CompletionItemKind.Function,
        detail: keywordShape(written, a.args).label,
        documentation: doc(a.description + (a.final ? '\n\nEnds the rule set.' : '')),
        ...(a.deprecated ? { tags: [CompletionItemTag.Deprecated] } : {}),
      });
    }
    actionItemCache.set(key, items);
  }
  return items;
}

/** Keyword items for the words after `typed` in a kind of section and mode, cached by that key. */
const keywordItemCache = new Map<string, CompletionItem[]>();
function keywordItems(kind: SectionKind | undefined, namedDefaults: boolean, tcpMode: boolean, typed: readonly string[]): CompletionItem[] {
  const key = `${kind}|${namedDefaults}|${tcpMode}|${typed.join(' ')}`;
  let items = keywordItemCache.get(key);
  if (items) return items;
  const specs = kind ? catalogue.keywordsFor(kind) : catalogue.keywordSpecs;
  const head = typed.length ? `${typed.join(' ')} ` : '';
  const byWord = new Map<string, catalogue.KeywordSpec[]>();
  for (const s of specs) {
    if (!s.name.startsWith(head) || removedBefore26(s)) continue;
    if (kind && !placedIn(s, kind, namedDefaults)) continue;
    if (tcpMode && s.httpOnly) continue;
    const next = s.name.split(' ')[typed.length]!;
    const list = byWord.get(next) ?? [];
    list.push(s);
    byWord.set(next, list);
  }
  items = [];
  for (const [word, list] of byWord) {
    const leaf = list.find((s) => s.name === head + word);
    const family = list.filter((s) => s !== leaf);
    if (leaf && family.length === 0) {
      items.push({
        label: word,
        kind: CompletionItemKind.Keyword,
        detail: keywordShape(leaf.name, leaf.args).label,
        documentation: doc(leaf.description + (leaf.deprecated ? `\n\nDeprecated${leaf.deprecated.replacement ? `: use \`${leaf.deprecated.replacement}\`` : ''}.` : '')),
        ...(leaf.deprecated ? { tags: [CompletionItemTag.Deprecated], sortText: `~${word}` } : {}),
      });
    } else {
      const names = family.map((s) => s.name.split(' ').slice(typed.length + 1).join(' '));
      items.push({
        label: word,
        kind: CompletionItemKind.Keyword,
        detail: `${head}${word} <${names.length <= 4 ? names.join('|') : '…'}>`,
        documentation: doc((leaf ? `${leaf.description}\n\n` : '') + `Followed by one of: ${names.map((n) => `\`${n}\``).join(', ')}`),
        insertText: `${word} `,
        command: TRIGGER_SUGGEST,
      });
    }
  }
  keywordItemCache.set(key, items);
  return items;
}

// ---- names from the model ---------------------------------------------------------------------

function symbolNames(model: Model, kind: 'userlist' | 'table' | 'defaults' | 'peers' | 'resolvers' | 'mailers' | 'http-errors' | 'cache' | 'ring'): CompletionItem[] {
  const items: CompletionItem[] = [];
  for (const name of model.symbols.byName.get(kind)?.keys() ?? []) {
    if (name) items.push({ label: name, kind: CompletionItemKind.Reference, detail: kind });
  }
  return items;
}

function backendNames(model: Model, frontends = false): CompletionItem[] {
  const items: CompletionItem[] = [];
  for (const [name, decls] of model.symbols.byName.get('proxy') ?? []) {
    const p = decls.find((d) => (frontends ? d.proxy?.capabilities.frontend : d.proxy?.capabilities.backend))?.proxy;
    if (p) items.push(p.kind === 'backend' ? { label: name, kind: CompletionItemKind.Module } : { label: name, kind: CompletionItemKind.Module, detail: p.kind });
  }
  return items;
}

function serverNames(proxy: ProxyModel | undefined): CompletionItem[] {
  return (proxy?.servers ?? []).map((s) => ({ label: s.name, kind: CompletionItemKind.Variable, detail: `server ${s.address?.text ?? ''}`.trim() }));
}

function aclNames(proxy: ProxyModel | undefined): CompletionItem[] {
  const items: CompletionItem[] = [];
  for (const [name, decls] of proxy?.acls ?? []) {
    const exprs = decls.map((d) => d.expr?.criterion.text).filter(Boolean);
    items.push({ label: name, kind: CompletionItemKind.Variable, detail: `acl ${name} ${exprs[0] ?? ''}`.trim() + (decls.length > 1 ? ` (+${decls.length - 1} lines)` : ''), sortText: `0${name}` });
  }
  return items;
}

function enumItems(values: readonly string[]): CompletionItem[] {
  return values.map((v) => {
    const paren = v.indexOf('(');
    return paren > 0
      ? { label: v, kind: CompletionItemKind.EnumMember, insertTextFormat: InsertTextFormat.Snippet, insertText: `${v.slice(0, paren)}(\${1:${v.slice(paren + 1, -1)}})` }
      : { label: v, kind: CompletionItemKind.EnumMember };
  });
}

function optionItems(specs: readonly catalogue.OptionSpec[]): CompletionItem[] {
  return specs.filter((o) => !removedBefore26(o)).map((o) => ({
    label: o.name,
    kind: CompletionItemKind.Property,
    detail: o.value === 0 ? o.name : `${o.name} <value>`,
    documentation: doc(o.description + (o.ssl ? '\n\nNeeds an SSL-enabled build.' : '')),
  }));
}
const bindOptionItems = optionItems(catalogue.bindOptionSpecs);
const serverOptionItems = optionItems(catalogue.serverOptionSpecs);
/** Keywords followed by bind or server options, with the index of their first option. */
const OPTION_LINES = new Map<string, { first: number; items: CompletionItem[]; get: (n: string) => catalogue.OptionSpec | undefined }>([
  ['bind', { first: 1, items: bindOptionItems, get: catalogue.getBindOption }],
  ['server', { first: 2, items: serverOptionItems, get: catalogue.getServerOption }],
  ['server-template', { first: 3, items: serverOptionItems, get: catalogue.getServerOption }],
  ['default-server', { first: 0, items: serverOptionItems, get: catalogue.getServerOption }],
]);

const REFERENCE_ARGS = new Set(['userlist', 'table', 'defaults', 'peers', 'resolvers', 'mailers', 'http-errors', 'cache', 'ring']);

function argumentItems(ctx: CursorContext, model: Model, owner: ArgOwner, index: number, previous: string | undefined): CompletionItem[] {
  if (previous === 'table') return symbolNames(model, 'table');
  const args = owner.spec.args ?? [];
  if (owner.kind === 'keyword' && owner.spec.name === 'log' && index >= 2) return enumItems(catalogue.LOG_LEVELS);
  if (owner.kind === 'keyword' && owner.spec.name === 'use-server') return serverNames(ctx.proxy);
  const options = owner.kind === 'keyword' ? OPTION_LINES.get(owner.spec.name) : undefined;
  if (options && index >= options.first) {
    // After an option that takes a value, the value comes next.
    const prev = index > options.first && previous ? options.get(previous) : undefined;
    return prev && prev.value !== 0 ? [] : options.items;
  }
  const spec = args[Math.min(index, args.length - 1)];
  if (!spec || (index >= args.length && !spec.repeat)) return [];
  if (spec.type === 'enum' && spec.values) return enumItems(spec.values);
  if (spec.type === 'backend') return backendNames(model);
  if (spec.type === 'server') return serverNames(ctx.proxy);
  if (REFERENCE_ARGS.has(spec.type)) return symbolNames(model, spec.type as 'table');
  return [];
}

function sampleItems(ctx: CursorContext, model: Model, at: SamplePosition, aclKeywords: boolean): CompletionItem[] {
  if (at.at === 'fetch') return aclKeywords ? [...fetchItems, ...aclKeywordItems] : fetchItems;
  if (at.at === 'converter') return converterItems;
  const spec = at.converter ? catalogue.getConverter(at.call) : (catalogue.getFetch(at.call) ?? (aclKeywords ? catalogue.getFetch(catalogue.getAclKeyword(at.call)?.fetch ?? '') : undefined));
  const type = spec?.args[at.index]?.type;
  if (type === 'user list') return symbolNames(model, 'userlist');
  if (type === 'table') return symbolNames(model, 'table');
  if (type === 'backend') return backendNames(model);
  if (type === 'frontend') return backendNames(model, true);
  if (type === 'server') return serverNames(ctx.proxy);
  return [];
}

/** The items for a cursor context, before their edit ranges are set. */
export function completionItems(ctx: CursorContext, model: Model): CompletionItem[] {
  const w = ctx.what;
  // Only an explicit (or inherited) `mode tcp` hides HTTP keywords: a fresh proxy gets everything.
  const tcpMode = ctx.proxy?.mode === 'tcp' && !!ctx.proxy.modeStatement;
  switch (w.kind) {
    case 'keyword': {
      const kind = ctx.section?.kind;
      const items = ctx.section || w.typed.length ? keywordItems(kind, !!ctx.section?.name, tcpMode, w.typed) : [];
      return w.headers ? [...headerItems, ...items] : items;
    }
    case 'directive':
      return directiveItems;
    case 'header-from':
      return symbolNames(model, 'defaults');
    case 'action':
      return actionItems(w.ruleSet, tcpMode);
    case 'argument':
      return argumentItems(ctx, model, w.owner, w.index, w.previous);
    case 'acl-name':
      return [...aclNames(ctx.proxy), ...predefinedAclItems, ...fetchItems.map(braced)];
    case 'acl-flag':
      return flagItems;
    case 'match-method':
      return methodItems;
    case 'sample':
      return sampleItems(ctx, model, w.sample, w.aclKeywords);
    default:
      return [];
  }
}

/** A fetch offered where an ACL name goes: inserted as an anonymous ACL `{ fetch … }`. */
function braced(item: CompletionItem): CompletionItem {
  return {
    ...item,
    label: `{ ${item.label} }`,
    filterText: item.label,
    insertTextFormat: InsertTextFormat.Snippet,
    insertText: `{ ${item.label} $0 }`,
    sortText: `2${item.label}`,
  };
}

/**
 * Keeps the items whose label holds the typed characters in order (case-insensitive): a superset
 * of what an editor's fuzzy filter shows, so long lists (1,000 backends) stay short on the wire.
 */
export function matchesTyped(label: string, typed: string): boolean {
  if (typed === '') return true;
  const l = label.toLowerCase();
  let at = 0;
  for (const c of typed.toLowerCase()) {
    at = l.indexOf(c, at);
    if (at < 0) return false;
    at++;
  }
  return true;
}

export const completionFeature: Feature = (connection, workspace) => {
  connection.onCompletion(guarded(connection, 'completion', null, (params: CompletionParams): CompletionList | null => {
    const analysis = workspace.analysis(params.textDocument.uri);
    if (!analysis) return null;
    const ctx = cursorContext(analysis, params.position);
    if (!ctx) return null;
    const at = params.position.character;
    const from = Math.min(ctx.from, at);
    const typed = lineText(ctx.file, params.position.line).slice(from, at);
    const items = completionItems(ctx, analysis.model).filter((i) => matchesTyped(i.filterText ?? i.label, typed));
    const range: LspRange = lspRange(params.position.line, from, Math.max(ctx.to, at));
    return {
      isIncomplete: false,
      items: items.map((item) => ({ ...item, textEdit: { range, newText: item.insertText ?? item.label } })),
    };
  }));
};
