// Expression checks: fetches, converters, arguments, variables, ACL patterns, ACL names and
// phases. Every expected message was compared with `haproxy -c` (2.6.12) on the same lines.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../packages/parser/src/diagnostics/diagnostic.js';
import { codes } from '../../packages/parser/src/diagnostics/codes.js';
import { checkSources } from '../../packages/parser/src/check-sources.js';
import { defaultEnvironment } from '../../packages/parser/src/lexer/environment.js';
import { checkLines, found, messages } from '../support/diagnostics.js';

const EXISTING = new Set(['/etc/haproxy/ok.lst', '/etc/haproxy/ok.map']);
const fileExists = (p: string): boolean => EXISTING.has(p);

function check(lines: string[], head = true): Diagnostic[] {
  return checkLines(lines, fileExists, head);
}

/** A frontend at line 6 with the given lines from line 8, and a backend after. */
function fe(...lines: string[]): string[] {
  return ['frontend fe', '    bind 127.0.0.1:8080', ...lines, '    default_backend be', 'backend be', '    server s1 127.0.0.1:8081'];
}

describe('unknown fetches and converters', () => {
  it('reports an unknown fetch in an acl line with did-you-mean (A04)', () => {
    const ds = check(fe('acl a1 pth /x', 'http-request deny if a1'));
    expect(found(ds, codes.unknownFetch)).toEqual([[codes.unknownFetch.code, 8, 'error']]);
    expect(messages(ds, codes.unknownFetch)[0]).toContain("unknown fetch method 'pth' in ACL expression 'pth'.");
    expect(messages(ds, codes.unknownFetch)[0]).toContain("'path'");
  });

  it('uses the log-format and set-var wordings (D04, D10)', () => {
    const ds = check(fe('http-request set-header X-A %[nosuch_fetch]', 'http-request set-var(txn.a) nosuch_fetch'));
    expect(found(ds, codes.unknownFetch)).toEqual([[codes.unknownFetch.code, 8, 'error'], [codes.unknownFetch.code, 9, 'error']]);
    const [a, b] = messages(ds, codes.unknownFetch);
    expect(a).toContain("failed to parse sample expression <nosuch_fetch]> : unknown fetch method 'nosuch_fetch'.");
    expect(b).toContain("unknown fetch method 'nosuch_fetch'.");
  });

  it('rejects req.hdr_beg and suggests hdr_beg or -m beg (A17)', () => {
    const ds = check(fe('acl a1 req.hdr_beg(host) www', 'acl a3 hdr_beg(host) www', 'acl a4 req.hdr(host),lower -m beg www',
      'acl a8 path_beg,lower /x', 'http-request deny if a1 a3 a4 a8'));
    expect(found(ds, codes.unknownFetch)).toEqual([[codes.unknownFetch.code, 8, 'error']]);
    const d = ds.find((x) => x.code === codes.unknownFetch.code)!;
    expect(d.message).toContain("'hdr_beg(host)'");
    expect(d.message).toContain("'req.hdr(host) -m beg'");
    expect(d.fixes?.map((f) => f.edits[0]!.newText)).toEqual(['hdr_beg', 'req.hdr(host) -m beg']);
  });

  it('reports unknown converters (D09) but not known ones', () => {
    const ds = check(fe('http-request set-header X-B %[path,nosuchconv]', 'http-request set-header X-C %[path,lower,regsub(a,b)]'));
    expect(found(ds, codes.unknownConverter)).toEqual([[codes.unknownConverter.code, 8, 'error']]);
    expect(messages(ds, codes.unknownConverter)[0]).toContain("unknown converter 'nosuchconv'.");
  });

  it('reports a predefined ACL used as a criterion', () => {
    const ds = check(fe('acl x METH_GET', 'http-request deny if x', 'http-request deny if METH_GET TRUE'));
    expect(found(ds, codes.predefinedAclAsFetch)).toEqual([[codes.predefinedAclAsFetch.code, 8, 'error']]);
    expect(messages(ds, codes.predefinedAclAsFetch)[0]).toContain("unknown fetch method 'METH_GET' in ACL expression 'METH_GET'.");
    // The acl line fails, so HAProxy declares no 'x': its use is "no such ACL" too (haproxy -c 2.6.12).
    expect(found(ds, codes.undefinedAcl, codes.unknownFetch)).toEqual([[codes.undefinedAcl.code, 9, 'error']]);
    expect(messages(ds, codes.undefinedAcl)[0]).toBe(
      "error detected while parsing an 'http-request deny' condition : no such ACL : 'x'. The acl line that declares it (line 8) has an error, so HAProxy does not declare it.");
  });
});

describe('arguments and variables', () => {
  it('reports too many arguments and a missing integer argument', () => {
    const ds = check(fe('acl a req.hdr(a,1,c) x', 'acl b req.payload -m found', 'acl c path,field(1,/) x', 'acl d str -m found',
      'acl e var(txn.x) -m found', 'http-request deny if a b c d e'));
    expect(found(ds, codes.badFetchArguments)).toEqual([[codes.badFetchArguments.code, 8, 'error'], [codes.badFetchArguments.code, 9, 'error']]);
    expect(messages(ds, codes.badFetchArguments)[1]).toContain("expected type 'integer' at position 1, but got nothing");
  });

  it('requires a scope in variable names (D12)', () => {
    const ds = check(fe('http-request set-var(foo.a) str(x)', 'http-request set-header x %[var(bad)]', 'http-request unset-var(txn)',
      'http-request set-var(txn.ok) str(x)', 'http-request set-header y %[var(txn.ok),add(req.n)]'));
    expect(found(ds, codes.badVariableName)).toEqual([8, 9, 10].map((l) => [codes.badVariableName.code, l, 'error']));
    expect(messages(ds, codes.badVariableName)[0]).toContain("invalid variable name 'foo.a'. A variable name must be start by its scope.");
  });
});

describe('ACL patterns', () => {
  it('reports an unknown -m method (A09)', () => {
    const ds = check(fe('acl a1 path -m nosuch /x', 'acl a2 path -m beg /x', 'http-request deny if a1 a2'));
    expect(found(ds, codes.unknownMatchMethod)).toEqual([[codes.unknownMatchMethod.code, 8, 'error']]);
    expect(messages(ds, codes.unknownMatchMethod)[0]).toContain("unknown matching method 'nosuch' when parsing ACL expression.");
  });

  it('needs -m for binary fetches (A10)', () => {
    const ds = check(fe('acl a1 req.payload(0,10) 0102', 'acl a2 req.payload(0,10) -m bin 0102', 'acl a3 req.payload(0,2),hex 01',
      'http-request deny if a1 a2 a3'));
    expect(found(ds, codes.aclNeedsMethod)).toEqual([[codes.aclNeedsMethod.code, 8, 'error']]);
    expect(messages(ds, codes.aclNeedsMethod)[0]).toContain("matching method must be specified first (using '-m') when using a sample fetch of this type ('req.payload').");
  });

  it('warns when no pattern is given (A05) unless -m found, -m bool, -- or a boolean fetch', () => {
    const ds = check(fe('acl a1 path_beg', 'http-request deny if { req.fhdr(x) }', 'acl a2 path -m found', 'acl a3 path --',
      'acl a4 req.hdr_cnt(x) -m bool', 'acl a5 always_true', 'http-request deny if a1 a2 a3 a4 a5 { req.fhdr(x) -m found }'));
    expect(found(ds, codes.aclNoPattern)).toEqual([[codes.aclNoPattern.code, 8, 'warning'], [codes.aclNoPattern.code, 9, 'warning']]);
  });

  it('checks integers, ranges, addresses, hex and regexes (A06, A07, A08)', () => {
    const ds = check(fe(
      'acl a1 dst_port abc', 'acl a2 src 300.1.2.3', 'acl a3 path_reg ^(abc', 'acl a4 dst_port 10:5', 'acl a5 req.payload(0,2) -m bin 0g',
      'acl ok1 dst_port 80 1024: :99 5-8', 'acl ok2 src 10.0.0.0/8 127.1 ::1 localhost ::ffff:1.2.3.4', 'acl ok3 path_reg ^/(a|b)[)(]+\\d$',
      'acl ok4 req_ssl_ver 3.0-3.1', 'acl ok5 path -m len 3:',
      'http-request deny if a1 a2 a3 a4 a5 ok1 ok2 ok3 ok4 ok5',
    ));
    expect(found(ds, codes.aclBadPattern)).toEqual([8, 9, 10, 11, 12].map((l) => [codes.aclBadPattern.code, l, 'error']));
    const m = messages(ds, codes.aclBadPattern);
    expect(m[0]).toContain("'abc' is not a number.");
    expect(m[1]).toContain("'300.1.2.3' is not a valid IPv4 or IPv6 address.");
    expect(m[2]).toContain("regex '^(abc' is invalid (error=missing closing parenthesis, erroffset=5).");
    expect(m[3]).toContain("'10:5' is not a valid number range.");
  });

  it('reports missing -f pattern files and map files (A11)', () => {
    const ds = check(fe('acl a1 path -f /nonexistent.lst', 'acl a2 path -f /etc/haproxy/ok.lst',
      'http-request set-header X %[path,map(/nonexistent.map)]', 'http-request set-header Y %[path,map(/etc/haproxy/ok.map)]',
      'http-request deny if a1 a2'));
    expect(found(ds, codes.patternFileMissing)).toEqual([[codes.patternFileMissing.code, 8, 'error'], [codes.patternFileMissing.code, 10, 'error']]);
    expect(messages(ds, codes.patternFileMissing)[0]).toContain('failed to open pattern file </nonexistent.lst>.');
  });
});

describe('ACL names in conditions', () => {
  it('reports a fetch written as an ACL name, with the anonymous ACL fix', () => {
    const ds = check(fe('http-request deny if !req.fhdr(netease)', 'http-request deny if ssl_fc', 'http-request deny if !{ req.fhdr(netease) -m found }'));
    expect(found(ds, codes.fetchAsAclName)).toEqual([[codes.fetchAsAclName.code, 8, 'error'], [codes.fetchAsAclName.code, 9, 'error']]);
    const d = ds.find((x) => x.code === codes.fetchAsAclName.code)!;
    expect(d.message).toContain("is a sample fetch, not an ACL name; use an anonymous ACL");
    expect(d.fixes?.[0]?.edits[0]?.newText).toBe('!{ req.fhdr(netease) -m found }');
    expect(ds.find((x) => x.code === codes.fetchAsAclName.code && x.range.start.line === 8)!.fixes?.[0]?.edits[0]?.newText).toBe('{ ssl_fc }');
  });

  it('takes the patterns after a fetch written as an ACL name into the braces, as one mistake', () => {
    const ds = check(fe('acl is_api path_beg /api', 'http-request deny if path_beg /admin /private is_api'));
    expect(found(ds, codes.fetchAsAclName, codes.undefinedAcl)).toEqual([[codes.fetchAsAclName.code, 9, 'error']]);
    const fix = ds.find((x) => x.code === codes.fetchAsAclName.code)!.fixes![0]!.edits[0]!;
    expect(fix.newText).toBe('{ path_beg /admin /private }');
    expect([fix.range.start.column, fix.range.end.column]).toEqual([21, 45]);
  });

  it('offers the suggested name as a fix for a misspelt ACL', () => {
    const ds = check(fe('acl is_api path_beg /api', 'http-request deny if is_apii'));
    const d = ds.find((x) => x.code === codes.undefinedAcl.code)!;
    expect(d.fixes?.[0]?.edits[0]?.newText).toBe('is_api');
  });

  it('reports undefined ACLs (A01), ACLs declared after use (D33), with did-you-mean', () => {
    const ds = check(fe('acl is_api path_beg /api', 'http-request deny if nosuch_acl', 'use_backend be if is_x', 'acl is_x path /x',
      'http-request deny if is_apii', 'http-request deny if is_api is_x TRUE'));
    expect(found(ds, codes.undefinedAcl)).toEqual([9, 10, 12].map((l) => [codes.undefinedAcl.code, l, 'error']));
    const m = messages(ds, codes.undefinedAcl);
    expect(m[0]).toContain("error detected while parsing an 'http-request deny' condition : no such ACL : 'nosuch_acl'.");
    expect(m[1]).toContain("no such ACL : 'is_x'");
    expect(m[1]).toContain('declared on line 11, after this use');
    expect(m[2]).toContain("Did you mean 'is_api'?");
  });

  it('does not let proxies see the ACLs of their named defaults (verified with the binary)', () => {
    const ds = check(['defaults d1', '    mode http', '    acl from_d path /d', '    http-request deny if from_d',
      'frontend fe from d1', '    bind :80', '    http-request deny if from_d', '    default_backend be', 'backend be from d1'], false);
    expect(found(ds, codes.undefinedAcl)).toEqual([[codes.undefinedAcl.code, 7, 'error']]);
    expect(messages(ds, codes.undefinedAcl)[0]).toContain("defaults 'd1'");
  });

  it('reports uses of an ACL whose acl lines all failed, like HAProxy (it declares nothing)', () => {
    // haproxy -c 2.6.12: `acl x pathbeg /x` … `use-server s1 if x` → "unknown fetch method
    // 'pathbeg' …" on the acl line AND "error detected while parsing switching rule : no such ACL : 'x'."
    const ds = check(['frontend fe', '    bind :80', '    default_backend be', 'backend be', '    acl x pathbeg /x',
      '    acl y { srcip /x', '    use-server s1 if x', '    use-server s1 if y', '    server s1 127.0.0.1:8081']);
    expect(found(ds, codes.undefinedAcl)).toEqual([[codes.undefinedAcl.code, 12, 'error'], [codes.undefinedAcl.code, 13, 'error']]);
    expect(messages(ds, codes.undefinedAcl)[0]).toBe(
      "error detected while parsing switching rule : no such ACL : 'x'. The acl line that declares it (line 10) has an error, so HAProxy does not declare it.");
  });

  it('does not report uses when one acl line of the name is valid, or when the acl has only a reference error', () => {
    const ds = check(fe('acl x pathbeg /x', 'acl x path_beg /x', 'acl t sc_http_req_rate(0,nosuch) gt 1', 'http-request deny if x t'));
    expect(found(ds, codes.undefinedAcl)).toEqual([]);
  });

  it('refuses characters HAProxy does not allow in acl, proxy and server names (A14)', () => {
    // haproxy -c: "character '@' is not permitted in acl name 'a@b'." and the use gets "no such ACL".
    const ds = check(['frontend f@e', '    bind :80', '    acl a@b path /x', '    acl ok-1.a:b_c path /y', '    http-request deny if a@b ok-1.a:b_c',
      '    default_backend be', 'backend be', '    server s/1 127.0.0.1:8081']);
    expect(found(ds, codes.badName, codes.undefinedAcl)).toEqual([
      [codes.badName.code, 6, 'error'], [codes.badName.code, 8, 'error'], [codes.undefinedAcl.code, 10, 'error'], [codes.badName.code, 13, 'error'],
    ]);
    expect(messages(ds, codes.badName)).toEqual([
      "character '@' is not permitted in 'frontend' name 'f@e'.",
      "character '@' is not permitted in acl name 'a@b'.",
      "character '/' is not permitted in server name 's/1'.",
    ]);
  });

  it('warns about unused ACLs', () => {
    const ds = check(fe('acl used path /a', 'acl unused path /b', 'acl used path /c', 'http-request deny if used'));
    expect(found(ds, codes.unusedAcl)).toEqual([[codes.unusedAcl.code, 9, 'warning']]);
  });
});

describe('phases', () => {
  it('warns when a condition can never match in its phase (A12, A13)', () => {
    const ds = check(fe('tcp-request connection reject if { path /x }', 'http-request deny if { status 500 }',
      'acl st status 200', 'acl mix path /x', 'acl mix status 200', 'http-request deny if st', 'http-response deny if mix',
      'http-request deny if { path /x }', 'http-response deny if st'));
    expect(found(ds, codes.aclNeverMatches)).toEqual([8, 9, 13, 14].map((l) => [codes.aclNeverMatches.code, l, 'warning']));
    const m = messages(ds, codes.aclNeverMatches);
    expect(m[0]).toContain("anonymous acl will never match in 'tcp-request connection' because it uses keyword 'path' which is incompatible with 'frontend tcp-request connection rule'");
    expect(m[1]).toContain("anonymous acl will never match because it uses keyword 'status' which is incompatible with 'frontend http-request header rule'");
    expect(m[2]).toContain("acl 'st' will never match because it only involves keywords that are incompatible with 'frontend http-request header rule'");
    expect(m[3]).toContain("acl 'mix' involves keywords 'path' which is incompatible with 'frontend http-response header rule'");
  });

  it('refuses fetches in action samples and log-formats where their data does not exist', () => {
    const ds = check([
      'listen px', '    bind 127.0.0.1:8080',
      '    http-request set-header X %[be_name]', // fine in a listen (backend column)
      '    http-request set-header Y %[srv_name]',
      '    http-response set-header Z %[req.hdr(x)]',
      '    http-request set-var(txn.s) status',
      '    http-response set-header W %[res.hdr(x)]',
      '    log-format "%[path]"',
      '    server s1 127.0.0.1:8081',
    ]);
    expect(found(ds, codes.fetchWrongPhase)).toEqual([9, 10, 11, 13].map((l) => [codes.fetchWrongPhase.code, l, 'error']));
    const m = messages(ds, codes.fetchWrongPhase);
    expect(m[0]).toContain("sample fetch <srv_name]> may not be reliably used here because it needs 'server' which is not available here.");
    expect(m[1]).toContain("needs 'HTTP request headers'");
    expect(m[2]).toContain("fetch method 'status' extracts information from 'HTTP response', none of which is available here");
  });
});

describe('design note', () => {
  const path = '/work/shared/examples/design-note.cfg';
  it.skipIf(!existsSync(path))('flags !req.fhdr(netease) as a fetch used as an ACL name, with the fix', () => {
    const text = readFileSync(path, 'utf8');
    const ds = checkSources([{ path: 'design-note.cfg', text }], { env: defaultEnvironment({}), fileExists }).diagnostics;
    const d = ds.find((x) => x.code === codes.fetchAsAclName.code && x.message.includes('req.fhdr(netease)'));
    expect(d?.severity).toBe('error');
    expect(d?.fixes?.[0]?.edits[0]?.newText).toBe('!{ req.fhdr(netease) -m found }');
  });
});
