// Reference checks: backends, proxies, servers, stick-tables, defaults and named sections.
// Every expected message was compared with `haproxy -c` (2.6.12) on the same lines.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../packages/parser/src/diagnostics/diagnostic.js';
import { codes } from '../../packages/parser/src/diagnostics/codes.js';
import { checkSources } from '../../packages/parser/src/check-sources.js';
import { defaultEnvironment } from '../../packages/parser/src/lexer/environment.js';
import { checkLines, found, messages } from '../support/diagnostics.js';

const fileExists = (): boolean => true;

function check(lines: string[], head = true): Diagnostic[] {
  return checkLines(lines, fileExists, head);
}

describe('backends', () => {
  it('reports unknown use_backend and default_backend targets (D03) with a fix', () => {
    const ds = check(['frontend fe', '    bind :8080', '    use_backend nosuch if { path /x }', '    use_backend be_apii if { path /y }',
      '    default_backend be_missing', 'backend be_api', '    server s1 127.0.0.1:8081']);
    expect(found(ds, codes.unknownBackend)).toEqual([8, 9, 10].map((l) => [codes.unknownBackend.code, l, 'error']));
    const m = messages(ds, codes.unknownBackend);
    expect(m[0]).toBe("Proxy 'fe': unable to find required use_backend: 'nosuch'.");
    expect(m[1]).toContain("Did you mean 'be_api'?");
    expect(m[2]).toContain("Proxy 'fe': unable to find required default_backend: 'be_missing'.");
    const create = ds[0]!.fixes?.find((f) => f.title.includes('Create'));
    expect(create?.edits[0]?.newText).toContain('backend nosuch');
  });

  it('accepts existing and dynamic backends', () => {
    const ds = check(['frontend fe', '    bind :8080', '    use_backend be_%[req.hdr(host),lower]', '    default_backend be',
      'backend be', '    server s1 127.0.0.1:8081']);
    expect(found(ds, codes.unknownBackend, codes.unusedBackend)).toEqual([]);
  });

  it('warns about backends nothing routes to, but not table holders', () => {
    const ds = check(['frontend fe', '    bind :8080', '    http-request track-sc0 src table st_src', '    default_backend be',
      'backend be', '    server s1 127.0.0.1:8081', 'backend orphan', '    server s1 127.0.0.1:8082',
      'backend st_src', '    stick-table type ip size 1k']);
    expect(found(ds, codes.unusedBackend)).toEqual([[codes.unusedBackend.code, 12, 'warning']]);
  });
});

describe('duplicates', () => {
  it('reports proxies with overlapping capabilities sharing a name (D05)', () => {
    const ds = check(['frontend fe', '    bind :8080', '    default_backend be', 'backend be', '    server s1 127.0.0.1:8081',
      'backend be', '    server s1 127.0.0.1:8081', 'listen fe', '    bind :8082', '    server s1 127.0.0.1:8081',
      'frontend web', '    bind :8083', '    default_backend web', 'backend web', '    server s1 127.0.0.1:8081']);
    expect(found(ds, codes.duplicateProxy)).toEqual([[codes.duplicateProxy.code, 11, 'error'], [codes.duplicateProxy.code, 13, 'error']]);
    const m = messages(ds, codes.duplicateProxy);
    expect(m[0]).toBe("backend 'be' has the same name as backend 'be' declared at x.cfg:9.");
    expect(m[1]).toBe("proxy 'fe' has the same name as frontend 'fe' declared at x.cfg:6.");
    expect(ds.find((d) => d.code === codes.duplicateProxy.code)!.related?.[0]?.range.start.line).toBe(8);
  });

  it('follows the direction HAProxy looks names up in: listen after backend is fine, backend after listen is not', () => {
    // haproxy -c: `backend be` then `listen be` → valid; `listen li` then `backend li` →
    // "backend 'li' has the same name as proxy 'li' declared at …"; `frontend x` then `backend x` → valid.
    const ok = check(['frontend fe', '    bind :8080', '    default_backend be', 'backend be', '    server s1 127.0.0.1:8081',
      'listen be', '    bind :8082', '    server s2 127.0.0.1:8082', 'backend fe', '    server s3 127.0.0.1:8083']);
    expect(found(ok, codes.duplicateProxy)).toEqual([]);
    const bad = check(['listen li', '    bind :8084', '    server s1 127.0.0.1:8081', 'backend li', '    server s2 127.0.0.1:8082',
      'frontend li', '    bind :8085', '    default_backend li']);
    expect(found(bad, codes.duplicateProxy)).toEqual([[codes.duplicateProxy.code, 9, 'error'], [codes.duplicateProxy.code, 11, 'error']]);
    expect(messages(bad, codes.duplicateProxy)).toEqual([
      "backend 'li' has the same name as proxy 'li' declared at x.cfg:6.",
      "frontend 'li' has the same name as proxy 'li' declared at x.cfg:6.",
    ]);
  });

  it('reports duplicate server names (D06)', () => {
    const ds = check(['frontend fe', '    bind :8080', '    default_backend be', 'backend be', '    server s1 127.0.0.1:8081',
      '    server s1 127.0.0.1:8082', '    server s2 127.0.0.1:8083']);
    expect(found(ds, codes.duplicateServer)).toEqual([[codes.duplicateServer.code, 11, 'error']]);
    expect(messages(ds, codes.duplicateServer)[0]).toBe("backend 'be', another server named 's1' was already defined at line 10, please use distinct names.");
  });
});

describe('servers, tables and sections', () => {
  it('reports unknown use-server targets', () => {
    const ds = check(['frontend fe', '    bind :8080', '    default_backend be', 'backend be', '    use-server nosuch if { path /x }',
      '    use-server s1 if { path /y }', '    server s1 127.0.0.1:8081']);
    expect(found(ds, codes.unknownServer)).toEqual([[codes.unknownServer.code, 10, 'error']]);
    expect(messages(ds, codes.unknownServer)[0]).toContain("unable to find server 'nosuch' referenced in a 'use-server' rule.");
  });

  it('accepts a use-server name computed per request, as 2.6 does', () => {
    const ds = check(['frontend fe', '    bind :8080', '    default_backend be', 'backend be', '    use-server %[req.hdr(x-srv)] if TRUE',
      '    server s1 127.0.0.1:8081']);
    expect(ds.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('reports stick and track rules without a stick-table (D23, D24)', () => {
    const ds = check(['listen px', '    bind :8080', '    stick on src', '    http-request track-sc0 src', '    server s1 127.0.0.1:8081',
      'listen ok', '    bind :8082', '    stick-table type ip size 1k', '    stick on src', '    http-request track-sc1 src',
      '    http-request track-sc0 src table px2', '    server s1 127.0.0.1:8081', 'backend px2', '    stick-table type ip size 1k']);
    expect(found(ds, codes.missingStickTable, codes.unknownTable)).toEqual([[codes.missingStickTable.code, 8, 'error'], [codes.missingStickTable.code, 9, 'error']]);
    const m = messages(ds, codes.missingStickTable);
    expect(m[0]).toContain("Proxy 'px': unable to find stick-table 'px'.");
    expect(m[1]).toContain("Proxy 'px': unable to find table 'px' referenced by track-sc0.");
  });

  it('reports unknown table names', () => {
    const ds = check(['frontend fe', '    bind :8080', '    http-request track-sc0 src table nosuch', '    default_backend be',
      'backend be', '    stick on src table nosuch2', '    server s1 127.0.0.1:8081']);
    expect(found(ds, codes.unknownTable)).toEqual([[codes.unknownTable.code, 8, 'error'], [codes.unknownTable.code, 11, 'error']]);
    const m = messages(ds, codes.unknownTable);
    expect(m[0]).toContain("Proxy 'fe': unable to find table 'nosuch' referenced by track-sc0.");
    expect(m[1]).toContain("Proxy 'be': unable to find stick-table 'nosuch2'.");
  });

  it('reports unknown userlists and named sections', () => {
    const ds = check(['userlist users', '    user u insecure-password x', 'frontend fe', '    bind :8080',
      '    http-request auth unless { http_auth(nosuchul) }', '    http-request auth unless { http_auth(users) }',
      '    http-request cache-use nocache', '    default_backend be', 'backend be', '    errorfiles myerrs', '    server s1 127.0.0.1:8081']);
    expect(found(ds, codes.unknownUserlist, codes.unknownSection)).toEqual([
      [codes.unknownUserlist.code, 10, 'error'], [codes.unknownSection.code, 12, 'error'], [codes.unknownSection.code, 15, 'error'],
    ]);
  });
});

describe('defaults', () => {
  it('reports from naming no defaults section', () => {
    const ds = check(['defaults base', '    mode http', 'frontend fe from base', '    bind :8080', '    default_backend be2',
      'backend be2 from nosuch', '    server s1 127.0.0.1:8081'], false);
    expect(found(ds, codes.unknownDefaults)).toEqual([[codes.unknownDefaults.code, 6, 'error']]);
    expect(messages(ds, codes.unknownDefaults)[0]).toContain("defaults section 'nosuch' not found for backend 'be2'.");
  });

  it('reports frontends and backends (or a listen) inheriting rules from one defaults', () => {
    const ds = check(['defaults d1', '    mode http', '    http-request deny if { path /x }', 'frontend fe from d1', '    bind :8080',
      '    default_backend be', 'backend be from d1', '    server s1 127.0.0.1:8081', 'listen li from d1', '    bind :8082',
      'defaults plain', '    mode http', 'frontend fe2 from plain', '    bind :8083', '    default_backend be2', 'backend be2 from plain'], false);
    expect(found(ds, codes.sharedRuleDefaults)).toEqual([[codes.sharedRuleDefaults.code, 7, 'error'], [codes.sharedRuleDefaults.code, 9, 'error']]);
    const m = messages(ds, codes.sharedRuleDefaults);
    expect(m[0]).toContain('frontends and backends cannot inherit from the same defaults section if it defines TCP/HTTP rules (defaults section at x.cfg:1).');
    expect(m[1]).toContain('a listen section cannot inherit from a defaults section defining TCP/HTTP rules');
  });
});

describe('design note', () => {
  const path = '/work/shared/examples/design-note.cfg';
  it.skipIf(!existsSync(path))('flags stick on src without a stick-table', () => {
    const text = readFileSync(path, 'utf8');
    const ds = checkSources([{ path: 'design-note.cfg', text }], { env: defaultEnvironment({}), fileExists }).diagnostics;
    const d = ds.find((x) => x.code === codes.missingStickTable.code);
    expect(d?.severity).toBe('error');
    expect(d?.message).toContain("Proxy 'be': unable to find stick-table 'be'.");
    expect(d?.range.start.line).toBe(text.split('\n').findIndex((l) => l.includes('stick on src')));
  });
});
