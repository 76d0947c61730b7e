// The keyword catalogue against the HAProxy 2.6.12 binary's own dumps (read here, at test time
// only: the catalogue never reads them), plus the lookup API other code relies on.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  PHASES, RULE_SETS, aclKeywordSpecs, actionNames, actionSpecs, bindKeywords, bindOptionSpecs, converterSpecs,
  editDistance, fetchSpecs, findKeyword, getAclKeyword, getAction, getBindOption, getConverter, getFetch,
  getMatchMethod, getPredefinedAcl, getRejectedAction, getSectionKind, getServerOption, isPhaseAllowed,
  keywordSpecs, keywordWordCount, keywordsFor, matchMethodSpecs, predefinedAcls, proxyKeywordSpecs, PROXY_KEYWORDS_NOT_IN_MATRIX,
  ruleSetOf, sectionKeywordSpecs, sectionKinds, serverKeywords, serverOptionSpecs, suggest,
  type RuleSet, type SampleArgSpec, type SectionKind,
} from '../../packages/parser/src/catalogue/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const refDir = resolve(here, '../../../shared/reference');
const kwDir = resolve(refDir, 'keywords');
const haveDumps = existsSync(resolve(kwDir, 'sample-fetches.txt'));
const read = (name: string) => readFileSync(resolve(kwDir, name), 'utf8');

/** `string[,integer]` → [{string}, {integer, optional}] as the dump writes it. */
function dumpArgs(s: string | undefined): SampleArgSpec[] {
  if (!s) return [];
  const out: SampleArgSpec[] = [];
  let optional = false;
  for (let tok of s.replace(/\[,/g, ',[').split(',')) {
    if (tok.startsWith('[')) { optional = true; tok = tok.slice(1); }
    tok = tok.replace(/[[\]]/g, '');
    if (tok) out.push(optional ? { type: tok as SampleArgSpec['type'], optional: true } : { type: tok as SampleArgSpec['type'] });
  }
  return out;
}
const normArgs = (args: readonly SampleArgSpec[]) => args.map((a) => ({ type: a.type, optional: a.optional === true }));

describe.skipIf(!haveDumps)('catalogue matches the HAProxy 2.6.12 dumps (shared/reference/keywords)', () => {
  it('has every sample fetch with the same arguments, output type and phases', () => {
    const lines = read('sample-fetches.txt').split('\n').filter((l) => l.startsWith('[ '));
    expect(lines.length).toBeGreaterThan(450);
    for (const l of lines) {
      const m = /^\[ ([Y. ]+) \] ([^\s(:]+)(?:\(([^)]*)\))?: (\w+)$/.exec(l);
      expect(m, l).not.toBeNull();
      const [, mask, name, args, output] = m!;
      const f = getFetch(name!);
      expect(f, name).toBeDefined();
      expect(normArgs(f!.args), name).toEqual(normArgs(dumpArgs(args)));
      expect(f!.output, name).toBe(output);
      const flags = mask!.replace(/ /g, '');
      expect(f!.phases, name).toEqual(PHASES.filter((_, i) => flags[i] === 'Y'));
    }
    expect(fetchSpecs.length).toBe(lines.length);
  });

  it('has every converter with the same arguments and input → output (the dump prints output => input)', () => {
    const lines = read('converters.txt').split('\n').filter((l) => l && !l.startsWith('#'));
    for (const l of lines) {
      const m = /^([^\s(:]+)(?:\(([^)]*)\))?: (\w+) => (\w+)$/.exec(l);
      expect(m, l).not.toBeNull();
      const [, name, args, out, inp] = m!;
      const c = getConverter(name!);
      expect(c, name).toBeDefined();
      expect(normArgs(c!.args), name).toEqual(normArgs(dumpArgs(args)));
      expect([c!.input, c!.output], name).toEqual([inp, out]);
    }
    expect(converterSpecs.length).toBe(lines.length);
  });

  it('has every ACL keyword derivative with its fetch and method', () => {
    const lines = read('acl-keywords.txt').split('\n').filter((l) => l && !l.startsWith('#'));
    for (const l of lines) {
      const [, name, fetch, method] = /^(\S+) = (\S+) -m (\w+)$/.exec(l)!;
      expect(getAclKeyword(name!), name).toMatchObject({ fetch, method });
    }
    expect(aclKeywordSpecs.length).toBe(lines.length);
  });

  it('has every row of the proxy keyword matrix with its placement, negation and deprecation', () => {
    let rows = 0;
    for (const l of read('proxy-keyword-matrix.txt').split('\n')) {
      const m = /^(\S(?:\S| (?! ))*)\s+(\(\*\)|\(deprecated\))?\s*(X|-)( \(!\))?\s+(X|-)\s+(X|-)\s+(X|-)\s*$/.exec(l);
      if (!m) continue;
      rows++;
      const [, name, mark, d, named, f, li, b] = m;
      const words = name!.split(' ');
      const found = findKeyword('listen', words);
      expect(found?.spec.name, name).toBe(name);
      expect(found?.wordCount).toBe(words.length);
      expect(found!.spec.proxy, name).toEqual({
        defaults: d === 'X' ? (named ? 'named' : 'yes') : 'no', frontend: f === 'X', listen: li === 'X', backend: b === 'X',
      });
      expect(found!.spec.negatable === true, name).toBe(mark === '(*)');
      if (mark === '(deprecated)') expect(found!.spec.deprecated, name).toBeDefined();
    }
    expect(rows).toBeGreaterThan(170);
    // Plus the few the binary accepts beyond the manual's matrix, each still a catalogue row.
    for (const name of PROXY_KEYWORDS_NOT_IN_MATRIX) expect(findKeyword('listen', name.split(' '))?.spec.name, name).toBe(name);
    expect(proxyKeywordSpecs.length).toBe(rows + PROXY_KEYWORDS_NOT_IN_MATRIX.length);
  });

  it('has every registered global keyword and every bind/server option', () => {
    const lines = read('registered-cfg-keywords.txt').split('\n');
    const start = lines.indexOf('global');
    const end = lines.indexOf('listen');
    const global = new Set(keywordsFor('global').map((k) => k.name));
    for (const l of lines.slice(start + 1, end)) {
      const name = l.trim();
      // `stats` is a family: `stats socket`, `stats timeout`, …
      const ok = global.has(name) || [...global].some((g) => g.startsWith(`${name} `));
      expect(ok, name).toBe(true);
    }
    for (const l of lines) {
      let m = /^\tbind <addr> (?:ssl )?(\S+)( \+1)?/.exec(l);
      if (m) expect(getBindOption(m[1]!)?.value, m[1]).toBe(m[2] ? 1 : 0);
      m = /^\tserver <name> <addr> (\S+)( \+1| \+-1)?/.exec(l);
      if (m) expect(getServerOption(m[1]!)?.value, m[1]).toBe(m[2] === ' +1' ? 1 : m[2] ? 'variable' : 0);
    }
  });

  it('has every http-request action of the D11 probe', () => {
    const log = resolve(refDir, 'probes', 'results.log');
    if (!existsSync(log)) return;
    const text = readFileSync(log, 'utf8');
    const line = text.split('\n').find((l) => l.includes("'http-request' expects"))!;
    const names = [...line.slice(line.indexOf('expects')).matchAll(/'([a-z0-9-]+)(?:\(\*\))?'/g)].map((x) => x[1]!).filter((n) => n !== 'frobnicate');
    expect(names.length).toBeGreaterThan(50);
    for (const n of names) {
      if (n === 'track-sc') for (const i of [0, 1, 2]) expect(getAction('http-request', `track-sc${i}`)).toBeDefined();
      else expect(getAction('http-request', n), n).toBeDefined();
    }
  });
});

// The lists HAProxy 2.6.12 prints for an unknown action (haproxy -c with `<rule set> frobnicate`).
const BINARY_ACTIONS: Record<RuleSet, string> = {
  'http-request': 'wait-for-handshake ot-group set-log-level set-nice use-service sc-inc-gpc sc-inc-gpc0 sc-inc-gpc1 sc-set-gpt sc-set-gpt0 send-spoe-group do-resolve cache-use add-acl add-header allow auth capture del-acl del-header del-map deny disable-l7-retry early-hint normalize-uri redirect reject replace-header replace-path replace-pathq replace-uri replace-value return set-header set-map set-method set-path set-pathq set-query set-uri strict-mode tarpit track-sc0 track-sc1 track-sc2 set-timeout wait-for-body set-var-fmt set-var unset-var set-dst set-dst-port set-mark set-src set-src-port set-tos silent-drop set-priority-class set-priority-offset',
  'http-response': 'ot-group set-log-level set-nice sc-inc-gpc sc-inc-gpc0 sc-inc-gpc1 sc-set-gpt sc-set-gpt0 send-spoe-group cache-store add-acl add-header allow capture del-acl del-header del-map deny redirect replace-header replace-value return set-header set-map set-status strict-mode track-sc0 track-sc1 track-sc2 wait-for-body set-var-fmt set-var unset-var set-mark set-tos silent-drop',
  'http-after-response': 'ot-group add-header allow capture del-header replace-header replace-value set-header set-status strict-mode set-var-fmt set-var unset-var',
  'tcp-request connection': 'accept reject expect-proxy expect-netscaler-cip track-sc0 track-sc1 track-sc2 sc-inc-gpc sc-inc-gpc0 sc-inc-gpc1 sc-set-gpt sc-set-gpt0 set-var-fmt set-var unset-var set-dst set-dst-port set-mark set-src set-src-port set-tos silent-drop',
  'tcp-request session': 'accept reject track-sc0 track-sc1 track-sc2 sc-inc-gpc sc-inc-gpc0 sc-inc-gpc1 sc-set-gpt sc-set-gpt0 set-var-fmt set-var unset-var set-dst set-dst-port set-mark set-src set-src-port set-tos silent-drop',
  'tcp-request content': 'accept reject capture track-sc0 track-sc1 track-sc2 ot-group set-log-level set-nice switch-mode use-service sc-inc-gpc sc-inc-gpc0 sc-inc-gpc1 sc-set-gpt sc-set-gpt0 send-spoe-group do-resolve set-var-fmt set-var unset-var set-src set-src-port set-dst set-dst-port set-mark set-tos silent-drop set-priority-class set-priority-offset',
  'tcp-response content': 'accept close reject ot-group set-log-level set-nice sc-inc-gpc sc-inc-gpc0 sc-inc-gpc1 sc-set-gpt sc-set-gpt0 send-spoe-group set-var-fmt set-var unset-var set-mark set-tos silent-drop',
};

describe('actions', () => {
  it('has exactly the actions the binary accepts in each rule set', () => {
    for (const rs of RULE_SETS) {
      expect(actionNames(rs).sort(), rs).toEqual(BINARY_ACTIONS[rs].split(' ').sort());
    }
  });

  it('knows the actions HAProxy names but refuses in a rule set', () => {
    expect(getAction('tcp-request connection', 'capture')).toBeUndefined();
    expect(getRejectedAction('tcp-request connection', 'capture')?.name).toBe('capture');
    expect(getRejectedAction('tcp-request content', 'expect-proxy')?.name).toBe('expect-proxy');
  });

  it('marks final actions', () => {
    const final = (rs: RuleSet, n: string) => getAction(rs, n)?.final;
    for (const n of ['allow', 'deny', 'tarpit', 'auth', 'redirect', 'return', 'reject', 'silent-drop', 'use-service']) {
      expect(final('http-request', n), n).toBe(true);
    }
    for (const n of ['set-header', 'add-header', 'set-var', 'track-sc0', 'capture', 'cache-use', 'wait-for-body']) {
      expect(final('http-request', n), n).toBe(false);
    }
    expect(final('tcp-request content', 'accept')).toBe(true);
    expect(final('tcp-response content', 'close')).toBe(true);
    expect(final('tcp-request connection', 'expect-proxy')).toBe(false);
  });

  it('finds parenthesised actions by their written form', () => {
    expect(getAction('http-request', 'set-var(txn.x)')).toMatchObject({ name: 'set-var', parenArg: 'variable' });
    expect(getAction('http-request', 'sc-inc-gpc0(0)')).toMatchObject({ name: 'sc-inc-gpc0', parenArg: 'string' });
    expect(getAction('http-response', 'set-map(/etc/m.map)')?.name).toBe('set-map');
    expect(getAction('http-request', 'set-header')?.args?.map((a) => a.type)).toEqual(['header-name', 'log-format']);
    expect(getAction('http-after-response', 'deny')).toBeUndefined();
  });
});

describe('keyword lookup', () => {
  it('counts the words that form a keyword', () => {
    const cases: [string[], number][] = [
      [['timeout', 'client', '5s'], 2],
      [['option', 'httplog'], 2],
      [['http-request', 'set-header', 'X', 'y'], 1],
      [['tcp-request', 'content', 'accept'], 2],
      [['capture', 'request', 'header', 'Host', 'len', '20'], 3],
      [['stick', 'on', 'src'], 2],
      [['stats', 'uri', '/s'], 2],
      [['bind', ':80'], 1],
      [['foo'], 1],
      [['option', 'frobnicate'], 2],
      [['http-check', 'set-var(check.x)', 'int(1)'], 2],
    ];
    for (const [words, n] of cases) expect(keywordWordCount('frontend', words), words.join(' ')).toBe(n);
    expect(keywordWordCount('global', ['stats', 'socket', '/run/s'])).toBe(2);
    expect(keywordWordCount('resolvers', ['timeout', 'resolve', '1s'])).toBe(2);
    expect(keywordWordCount(undefined, ['timeout', 'client', '5s'])).toBe(2);
  });

  it('finds keywords for the section kind', () => {
    expect(findKeyword('backend', ['timeout', 'server', '5s'])).toMatchObject({ spec: { name: 'timeout server' }, wordCount: 2 });
    // Placement is checked elsewhere: a frontend still finds `server`.
    expect(findKeyword('frontend', ['server', 's1', '1.2.3.4:80'])?.spec.proxy?.frontend).toBe(false);
    expect(findKeyword('global', ['nbthread', '4'])?.spec.sections).toEqual(['global']);
    expect(findKeyword('global', ['bind', ':80'])).toBeUndefined();
    expect(findKeyword('userlist', ['user', 'bob', 'password', 'x'])?.spec.sections).toEqual(['userlist']);
    expect(findKeyword('frontend', ['option', 'frobnicate'])).toBeUndefined();
    expect(findKeyword('frontend', [])).toBeUndefined();
    expect(findKeyword('listen', ['use_backend', 'b', 'if', 'x'])?.spec.condition).toBe(true);
    expect(findKeyword('listen', ['http-request'])?.spec.httpOnly).toBe(true);
    expect(findKeyword('listen', ['balance', 'roundrobin'])?.spec.args?.[0]?.values).toContain('hdr(name)');
  });

  it('maps keyword words to rule sets', () => {
    expect(ruleSetOf(['http-request'])).toBe('http-request');
    expect(ruleSetOf(['tcp-request', 'content'])).toBe('tcp-request content');
    expect(ruleSetOf(['tcp-response', 'content'])).toBe('tcp-response content');
    expect(ruleSetOf(['tcp-request', 'inspect-delay'])).toBeUndefined();
    expect(ruleSetOf(['bind'])).toBeUndefined();
  });

  it('knows every section kind and its opening word', () => {
    const kinds: SectionKind[] = ['global', 'defaults', 'frontend', 'backend', 'listen', 'userlist', 'peers', 'resolvers',
      'mailers', 'http-errors', 'ring', 'cache', 'program', 'fcgi-app', 'log-forward'];
    expect(sectionKinds.map((s) => s.kind).sort()).toEqual([...kinds].sort());
    for (const k of kinds) expect(getSectionKind(k)?.kind).toBe(k);
    expect(getSectionKind('crt-store')).toBeUndefined();
  });
});

describe('suggestions', () => {
  it('suggests close words', () => {
    expect(suggest('bnd', keywordsFor('frontend').map((k) => k.name))).toBe('bind');
    expect(suggest('wieght', serverKeywords)).toBe('weight');
    expect(suggest('acept-proxy', bindKeywords)).toBe('accept-proxy');
    expect(suggest('roundrobn', ['roundrobin', 'static-rr', 'leastconn'])).toBe('roundrobin');
    expect(suggest('set-heder', actionNames('http-request'))).toBe('set-header');
  });

  it('does not suggest far-off or identical words', () => {
    expect(suggest('xyzzy', serverKeywords)).toBeUndefined();
    expect(suggest('weight', serverKeywords)).toBeUndefined();
    expect(suggest('a', ['bind'])).toBeUndefined();
  });

  it('computes Damerau–Levenshtein distances', () => {
    expect(editDistance('wieght', 'weight')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('abcdef', 'uvwxyz', 2)).toBeGreaterThan(2);
  });
});

describe('samples and ACLs', () => {
  it('knows where fetches are usable', () => {
    const path = getFetch('path')!;
    expect(isPhaseAllowed(path, 'fe-http-request')).toBe(true);
    expect(isPhaseAllowed(path, 'fe-tcp-connection')).toBe(false);
    expect(isPhaseAllowed(getFetch('status')!, 'fe-http-request')).toBe(false);
    expect(isPhaseAllowed(getFetch('src')!, 'fe-tcp-connection')).toBe(true);
  });

  it('gets converter directions right', () => {
    expect(getConverter('lower')).toMatchObject({ input: 'str', output: 'str' });
    expect(getConverter('base64')).toMatchObject({ input: 'bin', output: 'str' });
    expect(getConverter('hex')).toMatchObject({ input: 'bin', output: 'str' });
    expect(getConverter('ipmask')).toMatchObject({ input: 'addr', output: 'ipv4' });
    expect(getConverter('length')).toMatchObject({ input: 'str', output: 'sint' });
    expect(getConverter('add_item')?.args).toEqual([{ type: 'string' }, { type: 'string' }, { type: 'string', optional: true }]);
    expect(getFetch('req.hdr')?.args).toEqual([{ type: 'string', optional: true }, { type: 'integer', optional: true }]);
    expect(getFetch('sc_get_gpc')?.args.map((x) => x.optional === true)).toEqual([false, false, true]);
  });

  it('links ACL keywords, match methods and predefined ACLs to real fetches', () => {
    for (const a of aclKeywordSpecs) {
      expect(getFetch(a.fetch), a.name).toBeDefined();
      expect(getMatchMethod(a.method), a.name).toBeDefined();
    }
    expect(matchMethodSpecs.map((m) => m.name).sort()).toEqual(
      ['found', 'bool', 'int', 'ip', 'bin', 'len', 'str', 'sub', 'reg', 'beg', 'end', 'dir', 'dom'].sort());
    expect(getMatchMethod('found')?.takesPatterns).toBe(false);
    for (const p of predefinedAcls) {
      const criterion = p.expansion.split(' ')[0]!.replace(/\(.*$/, '');
      expect(getFetch(criterion) ?? getAclKeyword(criterion), p.name).toBeDefined();
    }
    expect(getPredefinedAcl('METH_GET')?.expansion).toBe('method GET HEAD');
  });
});

describe('table hygiene', () => {
  const tables: [string, readonly { name: string; description: string }[]][] = [
    ['proxy keywords', proxyKeywordSpecs], ['fetches', fetchSpecs], ['converters', converterSpecs],
    ['ACL keywords', aclKeywordSpecs], ['match methods', matchMethodSpecs], ['actions', actionSpecs],
    ['predefined ACLs', predefinedAcls], ['bind options', bindOptionSpecs], ['server options', serverOptionSpecs],
  ];
  for (const kind of sectionKinds.filter((s) => !s.proxy)) {
    tables.push([`${kind.kind} keywords`, sectionKeywordSpecs.filter((k) => k.sections?.includes(kind.kind))]);
  }

  it('gives every entry a one-line description', () => {
    for (const [table, list] of tables) {
      expect(list.length, table).toBeGreaterThan(0);
      for (const e of list) {
        expect(e.description.trim().length, `${table}: ${e.name}`).toBeGreaterThan(3);
        expect(e.description, `${table}: ${e.name}`).not.toMatch(/\n/);
      }
    }
  });

  it('has no duplicate names within a table', () => {
    for (const [table, list] of tables) {
      const seen = new Set<string>();
      for (const e of list) {
        expect(seen.has(e.name), `${table}: ${e.name}`).toBe(false);
        seen.add(e.name);
      }
    }
  });

  it('covers every keyword in keywordSpecs', () => {
    expect(keywordSpecs.length).toBe(proxyKeywordSpecs.length + sectionKeywordSpecs.length);
    for (const k of keywordSpecs) expect(k.proxy !== undefined || (k.sections?.length ?? 0) > 0, k.name).toBe(true);
  });
});
