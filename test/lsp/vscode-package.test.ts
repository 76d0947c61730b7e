// The VS Code extension's static parts: the manifest VS Code reads, the TextMate grammar it
// highlights with before the server answers, and the language configuration. Packaging itself
// (`npm run package:vscode`) is slow and is not run here; when a bundle from it exists, the
// bundled server is started once to show it runs without node_modules.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver-protocol/node';

const CLIENT = resolve(import.meta.dirname, '../../packages/lsp/client');
const readJson = (path: string): any => JSON.parse(readFileSync(join(CLIENT, path), 'utf8'));

/** A minimal glob → RegExp for VS Code's filenamePatterns (`**`, `*`, `?`); enough to pin which names match. */
function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      source += '.*';
      i++;
      if (glob[i + 1] === '/') i++;
    } else if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`(^|/)${source}$`);
}

describe('the VS Code extension manifest', () => {
  const manifest = readJson('package.json');
  const language = manifest.contributes.languages.find((l: { id: string }) => l.id === 'haproxy');
  const matches = (path: string) => (language.filenamePatterns as string[]).some((p) => globToRegExp(p).test(path));

  it('contributes the haproxy language with its configuration file', () => {
    expect(language).toBeDefined();
    expect(language.configuration).toBe('./language-configuration.json');
    expect(existsSync(join(CLIENT, language.configuration))).toBe(true);
    expect(manifest.main).toBe('./dist/extension.js');
    expect(manifest.engines.vscode).toMatch(/^\^1\.\d+\.\d+$/);
  });

  it('claims HAProxy-looking .cfg files but not every .cfg', () => {
    expect(language.extensions ?? []).not.toContain('.cfg');
    expect(language.filenamePatterns).not.toContain('*.cfg');
    expect(language.filenamePatterns).not.toContain('**/*.cfg');
    expect(matches('/etc/haproxy/haproxy.cfg')).toBe(true);
    expect(matches('/srv/lb/haproxy-edge.cfg')).toBe(true);
    expect(matches('/srv/lb/edge.haproxy.cfg')).toBe(true);
    expect(matches('/etc/haproxy/conf.d/backends.cfg')).toBe(true);
    expect(matches('/srv/app/setup.cfg')).toBe(false);
    expect(matches('/srv/app/tox.cfg')).toBe(false);
  });

  it('points the haproxy grammar at source.haproxy', () => {
    const [grammar] = manifest.contributes.grammars;
    expect(grammar).toMatchObject({ language: 'haproxy', scopeName: 'source.haproxy' });
    expect(readJson(grammar.path).scopeName).toBe('source.haproxy');
  });

  it('contributes the settings the server reads, under haplo.*', () => {
    const properties = manifest.contributes.configuration.properties;
    expect(Object.keys(properties).sort()).toEqual(['haplo.env', 'haplo.fileSets', 'haplo.inheritEnv', 'haplo.targetVersion']);
    expect(properties['haplo.env']).toMatchObject({ type: 'object', default: {} });
    expect(properties['haplo.inheritEnv']).toMatchObject({ type: 'boolean', default: true });
    expect(properties['haplo.fileSets']).toMatchObject({ type: 'array', items: { type: 'array', items: { type: 'string' } }, default: [] });
    expect(properties['haplo.targetVersion']).toMatchObject({ type: 'string', enum: ['2.6'], default: '2.6' });
  });

  it('keeps the client out of the root workspaces so its tooling stays out of npm ci', () => {
    const root = JSON.parse(readFileSync(resolve(CLIENT, '../../../package.json'), 'utf8'));
    expect(root.workspaces).not.toContain('packages/lsp/client');
    expect(root.scripts['package:vscode']).toContain('packages/lsp/client');
  });
});

describe('the TextMate grammar', () => {
  const grammar = readJson('syntaxes/haproxy.tmLanguage.json');
  const rules = (function collect(node: any, out: any[] = []): any[] {
    if (node && typeof node === 'object') {
      if (typeof node.match === 'string' || typeof node.begin === 'string') out.push(node);
      for (const value of Object.values(node)) collect(value, out);
    }
    return out;
  })(grammar);
  const rule = (key: string) => grammar.repository[key];
  const firstMatch = (regex: string, text: string) => new RegExp(regex).exec(text)?.[0];

  it('has top-level patterns that all resolve to repository entries', () => {
    expect(grammar.patterns.length).toBeGreaterThan(0);
    for (const p of grammar.patterns) expect(grammar.repository[p.include.slice(1)], p.include).toBeDefined();
  });

  it('compiles every regular expression (the subset used works in Oniguruma and JavaScript)', () => {
    expect(rules.length).toBeGreaterThan(20);
    for (const r of rules) for (const key of ['match', 'begin', 'end']) if (r[key]) expect(() => new RegExp(r[key]), r[key]).not.toThrow();
  });

  it('scopes comments, both kinds of strings and section headers', () => {
    expect(rule('comment').name).toBe('comment.line.number-sign.haproxy');
    expect(firstMatch(rule('comment').match, '    bind :80 # public')).toBe('# public');
    const [double, single] = rule('strings').patterns;
    expect(double.name).toBe('string.quoted.double.haproxy');
    expect(single.name).toBe('string.quoted.single.haproxy');
    expect(double.begin).toBe('"');
    expect(single.begin).toBe("'");
    const section = new RegExp(rule('section').match).exec('backend be_app');
    expect(section?.[1]).toBe('backend');
    expect(section?.[2]).toBe('be_app');
    expect(rule('section').captures['1'].name).toMatch(/section/);
    expect(new RegExp(rule('section').match).test('    backend-server x')).toBe(false);
  });

  it('scopes sample expressions, environment variables, .if directives, ACL flags and numbers', () => {
    expect(firstMatch(rule('sample-expression').begin, 'set-header X %[req.hdr(host),lower]')).toBe('%[');
    expect(firstMatch(rule('env-var').patterns[0].begin, '"${HAPROXY_TEST_TIMEOUT-5s}"')).toBe('${');
    expect(firstMatch(rule('env-var').patterns[1].match, 'bind $ADDR')).toBe('$ADDR');
    expect(new RegExp(rule('directive').begin).exec('.if defined(TEST)')?.[1]).toBe('.if');
    expect(new RegExp(rule('directive').begin).test('.ifx')).toBe(false);
    expect(firstMatch(rule('acl-flags').patterns[0].match, 'acl a path -m beg /x')).toBe('-m beg');
    expect(firstMatch(rule('acl-flags').patterns[1].match, 'acl a hdr(host) -i x')).toBe('-i');
    for (const literal of ['5s', '100ms', '16k', '3']) expect(firstMatch(rule('number').match, `timeout x ${literal}`)).toBe(literal);
    expect(firstMatch(rule('address').patterns[1].match, 'server a 10.0.0.1:8080 check')).toBe('10.0.0.1:8080');
    expect(firstMatch(rule('address').patterns[3].match, 'bind :443 ssl')).toBe(':443');
  });
});

describe('the language configuration', () => {
  const config = readJson('language-configuration.json');

  it('uses # comments, the three bracket pairs and auto-closes both quotes', () => {
    expect(config.comments.lineComment).toBe('#');
    expect(config.brackets).toEqual([['{', '}'], ['(', ')'], ['[', ']']]);
    const opens = config.autoClosingPairs.map((p: { open: string }) => p.open);
    expect(opens).toEqual(expect.arrayContaining(['"', "'", '{', '(', '[']));
  });
});

const BUNDLE = join(CLIENT, 'dist/server.js');
describe.skipIf(!existsSync(BUNDLE))('the bundled server (present after npm run package:vscode)', () => {
  it('answers initialize and publishes diagnostics without node_modules around it', async () => {
    const child = spawn(process.execPath, [BUNDLE, '--stdio'], { cwd: tmpdir(), stdio: ['pipe', 'pipe', 'inherit'] });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    connection.listen();
    try {
      const published = new Promise<any>((done) => connection.onNotification('textDocument/publishDiagnostics', done));
      const init: any = await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {}, initializationOptions: { haplo: {} } });
      expect(init.serverInfo.name).toBe('haplo');
      await connection.sendNotification('initialized', {});
      await connection.sendNotification('textDocument/didOpen', { textDocument: { uri: 'file:///tmp/haplo-bundle.cfg', languageId: 'haproxy', version: 1, text: 'frontend fe\n    bnd :80\n' } });
      const { diagnostics } = await published;
      expect(diagnostics.map((d: { code: string }) => d.code)).toContain('HAP2001');
      await connection.sendRequest('shutdown');
      await connection.sendNotification('exit');
    } finally {
      connection.dispose();
      child.kill();
    }
  });
});
