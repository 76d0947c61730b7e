// The keyword checks (packages/parser/src/checks/keywords/): unknown and misplaced keywords,
// actions, options, server/bind options, modifiers, arguments, deprecations, tcp-mode settings,
// rule order, unreachable rules, whole-proxy requirements and missing files. Messages follow
// HAProxy 2.6.12's wording where it has one (each case checked with `haproxy -c`).
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkSources } from '../../packages/parser/src/check-sources.js';
import { codes } from '../../packages/parser/src/diagnostics/codes.js';
import type { Diagnostic, Fix } from '../../packages/parser/src/diagnostics/diagnostic.js';
import { defaultEnvironment } from '../../packages/parser/src/lexer/environment.js';

// ---- helpers ----------------------------------------------------------------------------------

const C = codes;
type Triple = [code: string, line: number, severity: string];

function run(text: string, fileExists?: (p: string) => boolean): Diagnostic[] {
  return checkSources([{ path: 'x.cfg', text }], { env: defaultEnvironment({}), fileExists }).diagnostics;
}

/** Diagnostics of the given codes as [code, 1-based line, severity]. */
function triples(diags: Diagnostic[], ...infos: { code: string }[]): Triple[] {
  const wanted = new Set(infos.map((i) => i.code));
  return diags.filter((d) => wanted.has(d.code)).map((d) => [d.code, d.range.start.line + 1, d.severity]);
}

function only(diags: Diagnostic[], info: { code: string }): Diagnostic[] {
  return diags.filter((d) => d.code === info.code);
}

/** Applies a fix's edits to the text (edits in one file, applied back to front). */
function applyFix(text: string, fix: Fix): string {
  const edits = [...fix.edits].sort((a, b) => b.range.start.offset - a.range.start.offset);
  let out = text;
  for (const e of edits) out = out.slice(0, e.range.start.offset) + e.newText + out.slice(e.range.end.offset);
  return out;
}

const lines = (...l: string[]): string => l.join('\n') + '\n';
const DEFAULTS = ['defaults', '    mode http', '    timeout client 5s', '    timeout connect 5s', '    timeout server 5s'];
/** A valid config with `body` lines appended; line numbers of the body start at 6. */
const cfg = (...body: string[]): string => lines(...DEFAULTS, ...body);

// ---- comment style ----------------------------------------------------------------------------

describe('comment style (//)', () => {
  it('reports each // line once, with a fix to #', () => {
    const text = cfg('frontend fe', '    // a comment with words', '    bind :80', '    //x', '    default_backend be', 'backend be', '    server s1 127.0.0.1:80');
    const d = run(text);
    expect(triples(d, C.commentStyle, C.unknownKeyword, C.keywordNotAllowed, C.outOfSection)).toEqual([
      [C.commentStyle.code, 7, 'error'], [C.commentStyle.code, 9, 'error'],
    ]);
    const first = only(d, C.commentStyle)[0]!;
    expect(first.message).toBe("'//' does not start a comment in HAProxy; use '#'");
    expect(applyFix(text, first.fixes![0]!).split('\n')[6]).toBe('    # a comment with words');
    expect(d.filter((x) => x.range.start.line === 6)).toHaveLength(1);
  });
  it('does not report # comments or words containing //', () => {
    const d = run(cfg('frontend fe', '    # fine', '    bind :80', '    http-request redirect location http://x/', '    default_backend be', 'backend be', '    server s1 127.0.0.1:80'));
    expect(only(d, C.commentStyle)).toEqual([]);
  });
});

// ---- unknown keywords -------------------------------------------------------------------------

describe('unknown keywords', () => {
  it('suggests bind for bnd, with HAProxy wording and a fix', () => {
    const text = cfg('frontend fe', '    bnd :80', '    default_backend be', 'backend be', '    server s1 127.0.0.1:80');
    const d = only(run(text), C.unknownKeyword);
    expect(d.map((x) => [x.range.start.line + 1, x.severity])).toEqual([[7, 'error']]);
    expect(d[0]!.message).toBe("unknown keyword 'bnd' in 'frontend' section; did you mean 'bind' maybe ?");
    expect(applyFix(text, d[0]!.fixes![0]!)).toContain('    bind :80\n');
  });
  it('suggests use_backend for use-backend and use-server for use_server', () => {
    const d = run(cfg('frontend fe', '    bind :80', '    use-backend be if TRUE', 'backend be', '    use_server s1 if TRUE', '    server s1 127.0.0.1:80'));
    const u = only(d, C.unknownKeyword);
    expect(u.map((x) => x.message)).toEqual([
      "unknown keyword 'use-backend' in 'frontend' section; did you mean 'use_backend' maybe ?",
      "unknown keyword 'use_server' in 'backend' section; did you mean 'use-server' maybe ?",
    ]);
  });
  it('merges the next word when that makes a keyword', () => {
    const text = cfg('backend be', '    default server weight 10', '    server s1 127.0.0.1:80');
    const d = run(text);
    // `default` is read as a modifier here; write the case without it:
    const text2 = cfg('backend be', '    http check send-state', '    server s1 127.0.0.1:80');
    const u = only(run(text2), C.unknownKeyword);
    expect(u[0]!.message).toContain("did you mean 'http-check' maybe ?");
    expect(applyFix(text2, u[0]!.fixes![0]!)).toContain('    http-check send-state\n');
    void d;
  });
  it('reports a keyword before any section as out of section', () => {
    const d = run(lines('bind :80', ...DEFAULTS));
    expect(triples(d, C.outOfSection)).toEqual([[C.outOfSection.code, 1, 'error']]);
    expect(only(d, C.outOfSection)[0]!.message).toBe("unknown keyword 'bind' out of section.");
  });
  it('reports keywords of another section type', () => {
    const d = run(cfg('frontend fe', '    bind :80', '    daemon', '    default_backend be', 'backend be', '    server s1 127.0.0.1:80'));
    expect(triples(d, C.keywordNotAllowed, C.unknownKeyword)).toEqual([[C.keywordNotAllowed.code, 8, 'error']]);
    expect(only(d, C.keywordNotAllowed)[0]!.message).toContain("unknown keyword 'daemon' in 'frontend' section");
  });
  it('reports unknown family members with HAProxy wording', () => {
    const d = run(cfg('listen li', '    bind :80', '    timeout clinet 5s', '    server s1 127.0.0.1:80'));
    const u = only(d, C.unknownKeyword);
    expect(u).toHaveLength(1);
    expect(u[0]!.message).toContain("'timeout' supports 'client', 'server'");
    expect(u[0]!.message).toContain("(got 'clinet')");
    expect(u[0]!.message).toContain("did you mean 'timeout client' maybe ?");
  });
  it('reports unknown options (HAProxy: unknown option), with did-you-mean', () => {
    const d = run(cfg('listen li', '    bind :80', '    option nosuchoption', '    option independant-streams', '    server s1 127.0.0.1:80'));
    expect(triples(d, C.unknownOption)).toEqual([[C.unknownOption.code, 8, 'error'], [C.unknownOption.code, 9, 'error']]);
    const [a, b] = only(d, C.unknownOption);
    expect(a!.message).toBe("unknown option 'nosuchoption'.");
    expect(b!.message).toBe("unknown option 'independant-streams'; did you mean 'independent-streams' maybe ?");
  });
  it('reports nothing on a valid config', () => {
    const d = run(lines(
      'global', '    daemon', '    maxconn 100', ...DEFAULTS, '    option httplog', '    no option http-server-close',
      'frontend fe', '    bind :80', '    timeout http-request 5s', '    http-request set-header X-A b', '    use_backend be if { path_beg /a }', '    default_backend be',
      'backend be', '    balance roundrobin', '    option httpchk', '    use-server s1 if TRUE', '    server s1 127.0.0.1:80 check weight 10', '    server s2 127.0.0.1:81 check backup',
    ));
    expect(triples(d, C.unknownKeyword, C.unknownOption, C.keywordNotAllowed, C.outOfSection, C.unknownAction, C.unknownServerKeyword, C.badModifier, C.badArgument, C.missingArgument, C.extraArgument)).toEqual([]);
  });
});

// ---- unknown actions --------------------------------------------------------------------------

describe('unknown actions', () => {
  it('suggests set-header for "set header", consuming the next word in the fix', () => {
    const text = cfg('frontend fe', '    bind :80', '    http-response set header X-A b', '    default_backend be', 'backend be', '    server s1 127.0.0.1:80');
    const d = only(run(text), C.unknownAction);
    expect(d.map((x) => [x.range.start.line + 1, x.severity])).toEqual([[8, 'error']]);
    expect(d[0]!.message).toContain("did you mean 'set-header' maybe ?");
    expect(applyFix(text, d[0]!.fixes![0]!)).toContain('    http-response set-header X-A b\n');
  });
  it('reports an action of another rule set and an unknown one', () => {
    const d = only(run(cfg('listen li', '    bind :80', '    http-response set-path /x', '    tcp-request content frobnicate', '    server s1 127.0.0.1:80')), C.unknownAction);
    expect(d.map((x) => x.range.start.line + 1)).toEqual([8, 9]);
    expect(d[0]!.message).toContain("only available in 'http-request'");
  });
  it('accepts valid actions', () => {
    const d = run(cfg('listen li', '    bind :80', '    http-request set-var(txn.a) str(x)', '    http-request track-sc0 src', '    tcp-request content accept', '    http-after-response set-header a b', '    stick-table type ip size 1k', '    server s1 127.0.0.1:80'));
    expect(only(d, C.unknownAction)).toEqual([]);
  });
});

// ---- server and bind options ------------------------------------------------------------------

describe('server and bind options', () => {
  it('reports wieght with HAProxy wording and a fix', () => {
    const text = cfg('backend be', '    server s1 127.0.0.1:80 check wieght 3');
    const d = only(run(text), C.unknownServerKeyword);
    expect(d.map((x) => [x.range.start.line + 1, x.severity])).toEqual([[7, 'error']]);
    expect(d[0]!.message).toBe("'server be/s1' : unknown keyword 'wieght'; did you mean 'weight' maybe ?");
    expect(applyFix(text, d[0]!.fixes![0]!)).toContain('check weight 3');
  });
  it('reports unknown bind options', () => {
    const d = only(run(cfg('frontend fe', '    bind :80 acept-proxy', '    default_backend be', 'backend be', '    server s1 127.0.0.1:80')), C.unknownServerKeyword);
    expect(d[0]!.message).toBe("'bind :80' in section 'frontend': unknown keyword 'acept-proxy'; did you mean 'accept-proxy' maybe ?");
  });
  it('accepts valid options (values are skipped)', () => {
    const d = run(cfg('frontend fe', '    bind :443 ssl crt /x.pem alpn h2,http/1.1', '    default_backend be',
      'backend be', '    default-server inter 2s fall 3', '    server s1 127.0.0.1:80 check inter 1s rise 2 weight 10 cookie a maxconn 10'));
    expect(only(d, C.unknownServerKeyword)).toEqual([]);
  });
});

// ---- placement --------------------------------------------------------------------------------

describe('keyword placement', () => {
  it('follows HAProxy: server in a frontend is fatal, balance/cookie/stick/use-server are warnings', () => {
    const d = run(cfg('frontend fe', '    bind :80', '    server s1 127.0.0.1:80', '    balance roundrobin', '    cookie S insert', '    stick on src', '    use-server s1 if TRUE', '    fullconn 10', '    timeout server 5s', '    default_backend be', 'backend be', '    server s1 127.0.0.1:80'));
    expect(triples(d, C.keywordNotAllowed, C.keywordIgnored)).toEqual([
      [C.keywordNotAllowed.code, 8, 'error'], [C.keywordIgnored.code, 9, 'warning'], [C.keywordIgnored.code, 10, 'warning'],
      [C.keywordIgnored.code, 11, 'warning'], [C.keywordIgnored.code, 12, 'warning'], [C.keywordIgnored.code, 13, 'warning'], [C.keywordIgnored.code, 14, 'warning'],
    ]);
    const msgs = d.filter((x) => x.code === C.keywordNotAllowed.code || x.code === C.keywordIgnored.code).map((x) => x.message);
    expect(msgs[0]).toBe("'server' not allowed because frontend 'fe' has no backend capability.");
    expect(msgs[1]).toBe("'balance' ignored because frontend 'fe' has no backend capability.");
    expect(msgs[3]).toBe("'stick' ignored because frontend 'fe' has no backend capability.");
    expect(msgs[5]).toBe("'fullconn' ignored because frontend 'fe' has no backend capability. Maybe you want 'maxconn' instead ?");
    expect(msgs[6]).toBe("'timeout server' will be ignored because frontend 'fe' has no backend capability");
  });
  it('warns about frontend keywords in a backend (maxconn hints fullconn)', () => {
    const d = run(cfg('backend be', '    bind :80', '    use_backend x if TRUE', '    capture request header Host len 10', '    maxconn 10', '    monitor-uri /m', '    server s1 127.0.0.1:80'));
    expect(triples(d, C.keywordIgnored, C.keywordNotAllowed)).toEqual([6, 7, 8, 9, 10].map((l) => [C.keywordIgnored.code, l + 1, 'warning']));
    const m = only(d, C.keywordIgnored).map((x) => x.message);
    expect(m[0]).toBe("'bind' ignored because backend 'be' has no frontend capability.");
    expect(m[2]).toBe("'capture' ignored because backend 'be' has no frontend capability.");
    expect(m[3]).toBe("'maxconn' ignored because backend 'be' has no frontend capability. Maybe you want 'fullconn' instead ?");
  });
  it('refuses rules and acls in an anonymous defaults, accepts them in a named one', () => {
    const d = run(lines('defaults', '    mode http', '    acl a src 1.2.3.4', '    http-request deny', '    tcp-request content accept', '    bind :80'));
    expect(triples(d, C.keywordNotAllowed)).toEqual([3, 4, 5, 6].map((l) => [C.keywordNotAllowed.code, l, 'error']));
    const m = only(d, C.keywordNotAllowed).map((x) => x.message);
    expect(m).toEqual([
      "'acl' not allowed in anonymous 'defaults' section.",
      "'http-request' not allowed in anonymous 'defaults' section.",
      "tcp-request content is not allowed in anonymous 'defaults' sections",
      "'bind' not allowed in 'defaults' section.",
    ]);
    const named = run(lines('defaults d', '    mode http', '    acl a src 1.2.3.4', '    http-request deny if a'));
    expect(only(named, C.keywordNotAllowed)).toEqual([]);
  });
  it('accepts everything in a listen', () => {
    const d = run(cfg('listen li', '    bind :80', '    server s1 127.0.0.1:80', '    balance roundrobin', '    maxconn 10', '    use-server s1 if TRUE', '    capture request header Host len 10'));
    expect(triples(d, C.keywordIgnored, C.keywordNotAllowed)).toEqual([]);
  });
});

// ---- modifiers --------------------------------------------------------------------------------

describe('no/default modifiers', () => {
  it('reports HAProxy messages for options without (*) and for other keywords', () => {
    const d = run(cfg('listen li', '    bind :80', '    no option forwardfor', '    no timeout client', '    no option http-keep-alive', '    no log', '    server s1 127.0.0.1:80'));
    expect(triples(d, C.badModifier)).toEqual([[C.badModifier.code, 8, 'error'], [C.badModifier.code, 9, 'error']]);
    const m = only(d, C.badModifier);
    expect(m[0]!.message).toBe("negation/default is not supported for option 'forwardfor'.");
    expect(m[1]!.message).toBe('negation/default currently supported only for options, log, busy-polling, set-dumpable, strict-limits, insecure-fork-wanted and numa-cpu-mapping.');
  });
  it("reports 2.6's misreading of `default` before an option that takes no argument", () => {
    const d = run(cfg('listen li', '    bind :80', '    default option httpclose', '    default option redispatch', '    no option httpclose', '    server s1 127.0.0.1:80'));
    expect(triples(d, C.extraArgument, C.badModifier)).toEqual([[C.extraArgument.code, 8, 'error']]);
    const [quirk] = only(d, C.extraArgument);
    expect(quirk!.message).toMatch(/^'option httpclose' cannot handle unexpected argument 'httpclose'\. .*remove the line/);
    expect(quirk!.range.start.column).toBe(4);
  });
});

// ---- log targets ------------------------------------------------------------------------------

describe('log lines', () => {
  const logLine = (line: string, section = 'global') =>
    run(section === 'global' ? `global\n    ${line}\n` : cfg('backend be', `    ${line}`, '    server s1 127.0.0.1:80'))
      .filter((d) => d.message.startsWith('log : '))
      .map((d) => d.message);
  it('accepts the shapes 2.6 accepts', () => {
    for (const line of ['log stdout format raw local0 info', 'log 127.0.0.1:514 len 1024 format rfc5424 sample 1:2 local7 info notice', 'no log']) {
      expect(logLine(line)).toEqual([]);
    }
    expect(logLine('log global', 'backend')).toEqual([]);
  });
  it('reports the first problem with HAProxy 2.6 wording (checked against the binary)', () => {
    expect(logLine('log 127.0.0.1:514 badfac')).toEqual(["log : unknown log facility 'badfac'"]);
    expect(logLine('log 127.0.0.1:514 local0 loud')).toEqual(["log : unknown optional log level 'loud'"]);
    expect(logLine('log 127.0.0.1:514 local0 info quiet')).toEqual(["log : unknown optional minimum log level 'quiet'"]);
    expect(logLine('log 127.0.0.1:514 local0 info notice extra')).toEqual(["log : cannot handle unexpected argument 'extra'"]);
    expect(logLine('log 127.0.0.1 len 10 local0')).toEqual(["log : invalid log length '10', must be between 80 and 65535"]);
    expect(logLine('log 127.0.0.1 format bogus local0')).toEqual(["log : unknown log format 'bogus'"]);
    expect(logLine('log 127.0.0.1 sample 1 local0')).toEqual(['log : Missing sample size']);
    expect(logLine('log 127.0.0.1 len 100')).toEqual(["log : unknown log facility ''"]);
    expect(logLine('log 127.0.0.1:514')).toEqual(['log : expects <address> and <facility>  as arguments']);
    expect(logLine('log 127.0.0.1:514', 'backend')).toEqual(['log : expects <address> and <facility> or global as arguments']);
    expect(logLine('log global')).toEqual(["log : 'global' is not supported for a global syslog server"]);
    expect(logLine('no log x')).toEqual(["log : 'no log' does not expect arguments"]);
  });
  it("reproduces 2.6 reading the last word twice after 'default'", () => {
    expect(logLine('default log global')).toEqual(["log : unknown log facility 'global'"]);
    expect(logLine('default log 127.0.0.1:514 local0')).toEqual(["log : unknown optional log level 'local0'"]);
  });

  // Each verdict and message below is `haproxy -c` 2.6.12's (get_logsrv_smp_range and parse_logsrv).
  it('reads sample ranges as 2.6 does', () => {
    for (const ranges of ['1-3,5:10', '1-3,5:5', '3-5,1-10:10', '3-5,1-2:5', '2,1:5', '1,:5', '1-3,:5', '01:5', '4294967295:4294967295', '1:4294967297']) {
      expect(logLine(`log 127.0.0.1:514 sample ${ranges} local0`), ranges).toEqual([]);
    }
    const sample = (ranges: string) => logLine(`log 127.0.0.1:514 sample ${ranges} local0`);
    expect(sample('0:2')).toEqual(["log : wrong sample range '0'"]);
    expect(sample('3-1:3')).toEqual(["log : wrong sample range '3-1'"]);
    expect(sample('2-2:3')).toEqual(["log : wrong sample range '2-2'"]);
    expect(sample('1-:5')).toEqual(["log : wrong sample range '1-'"]);
    expect(sample('-1:5')).toEqual(["log : wrong sample range '-1'"]);
    expect(sample('+1:5')).toEqual(["log : wrong sample range '+1'"]);
    expect(sample('1-2-3:5')).toEqual(["log : wrong sample range '1-2-3'"]);
    expect(sample('1-3x,5:5')).toEqual(["log : wrong sample range '1-3x,5'"]);
    expect(sample('1,,2:5')).toEqual(["log : wrong sample range ',2'"]);
    expect(sample('4294967296:5')).toEqual(["log : wrong sample range '4294967296'"]);
    expect(sample('1-3,2:5')).toEqual(['log : ranges are overlapping']);
    expect(sample('1-3,3-5:5')).toEqual(['log : ranges are overlapping']);
    expect(sample(':5')).toEqual(['log : no sampling ranges given']);
    expect(sample('1:0')).toEqual(["log : wrong sample size '0' for sample range '1'"]);
    expect(sample('1:5x')).toEqual(["log : wrong sample size '5x' for sample range '1'"]);
    expect(sample('1:2:3')).toEqual(["log : wrong sample size '2:3' for sample range '1'"]);
    expect(sample('1:4294967296')).toEqual(["log : wrong sample size '4294967296' for sample range '1'"]);
    expect(sample('1-3,5:4')).toEqual(['log : sample size 4 should be greater or equal to 5 the maximum of the high ranges limits']);
    expect(sample('99999999999999999999:5')).toEqual(['log : sample size 5 should be greater or equal to 1661992959 the maximum of the high ranges limits']);
    expect(sample('1-3,5')).toEqual(['log : Missing sample size']);
  });

  it('points at the offending range or size', () => {
    const at = (line: string) => {
      const d = run(`global\n    ${line}\n`).find((x) => x.message.startsWith('log : '))!;
      return line.slice(d.range.start.column - 4, d.range.end.column - 4);
    };
    expect(at('log 127.0.0.1 sample 1-3,2-4,9:9 local0')).toBe('2-4');
    expect(at('log 127.0.0.1 sample 1,x:9 local0')).toBe('x');
    expect(at('log 127.0.0.1 sample 1:0 local0')).toBe('0');
    expect(at('log 127.0.0.1:70000 local0')).toBe('70000');
    expect(at('log 256.0.0.1:514 local0')).toBe('256.0.0.1');
    expect(at('log fd@x local0')).toBe('x');
  });

  it('accepts the targets 2.6 accepts', () => {
    for (const target of ['127.0.0.1:514', '127.0.0.1', '127.0.0.1:', '127.0.0.1:0', '/dev/log', 'stdout', 'stderr', 'fd@1', 'fd@+1',
      'fd@4294967297', 'ring@buf0', 'udp@127.0.0.1:514', 'tcp@127.0.0.1:514', 'udp6@[::1]:514', 'tcp6@::1:514', 'ipv4@127.0.0.1:514',
      'ip@1.2.3.4:514', 'unix@/dev/log', 'uxdg@/dev/log', 'uxst@/dev/log', 'abns@foo', 'unix@', 'stream+127.0.0.1:514',
      'dgram+tcp@127.0.0.1:514', 'stream+fd@1', '[::1]:514', '[::1]', '::1:514', '[::]', '[::ffff:1.2.3.4]:514', '[1.2.3.4]:514',
      '[localhost]:514', 'localhost:514', '*:514', ':514', '1.2.3:514', '1.2.256:514', '999:514', '0x7f.1:514', '/' + 'a'.repeat(96),
      'abns@' + 'a'.repeat(107), 'ipv6@*:514']) {
      expect(logLine(`log ${target} local0`), target).toEqual([]);
    }
    // Names whose fate is the resolver's (HAProxy resolves them while parsing) are not judged.
    for (const target of ['logs.example.com:514', 'host_name:514', 'Stdout', '[zz]:514']) {
      expect(logLine(`log ${target} local0`), target).toEqual([]);
    }
  });

  it('refuses the targets 2.6 refuses, with its message', () => {
    const target = (t: string) => logLine(`log ${t} local0`);
    expect(target('127.0.0.1:65536')).toEqual(["log : invalid port '65536'"]);
    expect(target('127.0.0.1:x')).toEqual(["log : invalid character 'x' in port number 'x' in '127.0.0.1:x'"]);
    expect(target('127.0.0.1:514-520')).toEqual(["log : port range not permitted here in '127.0.0.1:514-520'"]);
    expect(target('127.0.0.1:+1')).toEqual(["log : port offset not permitted here in '127.0.0.1:+1'"]);
    expect(target('127.0.0.1:-1')).toEqual(["log : port offset not permitted here in '127.0.0.1:-1'"]);
    expect(target('256.0.0.1:514')).toEqual(["log : invalid address: '256.0.0.1' in '256.0.0.1:514' (an IPv4 address is four numbers from 0 to 255)"]);
    expect(target('1.2.3.4.5:514')).toEqual(["log : invalid address: '1.2.3.4.5' in '1.2.3.4.5:514' (an IPv4 address is four numbers from 0 to 255)"]);
    expect(target('::1')).toEqual(["log : invalid address: ':' in '::1' (the last ':' separates the port, so write an IPv6 address in brackets: '[::1]:80')"]);
    expect(target('udp@::1')).toEqual(["log : invalid address: ':' in 'udp@::1' (the last ':' separates the port, so write an IPv6 address in brackets: '[::1]:80')"]);
    expect(target('[::1')).toEqual(["log : invalid address: '[:' in '[::1' (write an IPv6 address in brackets, then the port: '[::1]:80')"]);
    expect(target('[::1]x')).toEqual(["log : invalid address: '[::1]x' in '[::1]x' (write an IPv6 address in brackets, then the port: '[::1]:80')"]);
    expect(target('127.0.0.1:514:')).toEqual(["log : invalid address: '127.0.0.1:514' in '127.0.0.1:514:' (the last ':' separates the port, and the host keeps the other one: write one ':' between host and port)"]);
    expect(target('ipv4@::1:514')).toEqual(["log : invalid address: '::1' in 'ipv4@::1:514' ('ipv4@' asks for an IPv4 address)"]);
    expect(target('ipv6@127.0.0.1:514')).toEqual(["log : invalid address: '127.0.0.1' in 'ipv6@127.0.0.1:514' ('ipv6@' asks for an IPv6 address)"]);
    expect(target('foo@1.2.3.4')).toEqual(["log : invalid address: 'foo@1.2.3.4' in 'foo@1.2.3.4' ('foo@' is not an address prefix; they are unix@, uxdg@, uxst@, abns@, ip@, ipv4@, ipv6@, tcp4@, udp4@, tcp6@, udp6@, tcp@, udp@, quic4@, quic6@, fd@, sockpair@)"]);
    expect(target('UDP@1.2.3.4')).toEqual(["log : invalid address: 'UDP@1.2.3.4' in 'UDP@1.2.3.4' (address prefixes are lower case: write 'udp@')"]);
    expect(target('stream+ring@x')).toEqual(["log : invalid address: 'ring@x' in 'stream+ring@x' ('ring@' names a ring, and takes no 'stream+' or 'dgram+' before it)"]);
    expect(target('nonexistent.invalid:514')).toEqual(["log : invalid address: 'nonexistent.invalid' in 'nonexistent.invalid:514' (a name under '.invalid' never resolves, by RFC 6761; give a real host name or an IP address)"]);
    expect(target('example..com:514')).toEqual(["log : invalid address: 'example..com' in 'example..com:514'"]);
    expect(target('.')).toEqual(["log : invalid address: '.' in '.'"]);
    expect(target('fd@x')).toEqual(["log : file descriptor 'x' is not a valid integer in 'fd@x'"]);
    expect(target('fd@')).toEqual(["log : file descriptor '' is not a valid integer in 'fd@'"]);
    expect(target('fd@-1')).toEqual(["log : file descriptor '-1' is not a valid integer in 'fd@-1'"]);
    expect(target('fd@1x')).toEqual(["log : file descriptor '1x' is not a valid integer in 'fd@1x'"]);
    expect(target('fd@99999999999999999999')).toEqual(["log : file descriptor '99999999999999999999' is not a valid integer in 'fd@99999999999999999999'"]);
    expect(target('sockpair@x')).toEqual(["log : file descriptor 'x' is not a valid integer in 'sockpair@x'"]);
    const long = '/' + 'a'.repeat(97);
    expect(target(long)).toEqual([`log : socket path '${long}' too long (max 97)`]);
    const abns = 'abns@' + 'a'.repeat(108);
    expect(target(abns)).toEqual([`log : socket path '${abns}' too long (max 107)`]);
    expect(target('quic4@127.0.0.1:514')).toEqual([
      "log : unsupported stream protocol for datagram family 2 address 'quic4@127.0.0.1:514'; QUIC is not compiled in if this is what you were looking for.",
    ]);
    expect(target('quic6@[::1]:514')).toEqual([
      "log : unsupported stream protocol for datagram family 10 address 'quic6@[::1]:514'; QUIC is not compiled in if this is what you were looking for.",
    ]);
  });

  it('reads the target after the other words, as 2.6 does', () => {
    expect(logLine('log 127.0.0.1:99999 badfac')).toEqual(["log : unknown log facility 'badfac'"]);
    expect(logLine('log 127.0.0.1:99999 sample 0:1 local0')).toEqual(["log : wrong sample range '0'"]);
    expect(logLine('log 127.0.0.1:99999 local0', 'backend')).toEqual(["log : invalid port '99999'"]);
  });

  it('warns about a port whose tail HAProxy ignores, and leaves environment-built targets alone', () => {
    const d = run('global\n    log 127.0.0.1:51x local0\n').filter((x) => x.message.startsWith('log : '));
    expect(d.map((x) => [x.severity, x.message])).toEqual([
      ['warning', "log : HAProxy ignores what follows the digits of port '51x' (it reads port 51); remove the extra characters."],
    ]);
    // str2sa_range expands `$VAR` itself, even unquoted: the value is only known where HAProxy runs.
    expect(logLine('log ${LOGHOST}:99999 local0')).toEqual([]);
    expect(logLine('log $LOGHOST local0')).toEqual([]);
  });

  it('reports ring@ targets that are never a ring (fatal when HAProxy starts, not under -c)', () => {
    expect(logLine('log ring@ local0')).toEqual([
      "log : uses unknown ring named '' (HAProxy 2.6 refuses to start on it, though 'haproxy -c' accepts it): name a 'ring' section after 'ring@', or use 'ring@buf0'",
    ]);
    expect(logLine('log ring@stdout local0')).toEqual([
      "log : uses incompatible ring 'stdout' (HAProxy 2.6 refuses to start on it, though 'haproxy -c' accepts it): 'stdout' is not a ring, write 'log stdout' to log to it",
    ]);
    const d = run(cfg('ring logs', '    size 32764', 'backend be', '    log ring@logz local0', '    log ring@logs local0', '    log ring@buf0 local0', '    server s1 127.0.0.1:80'));
    expect(triples(d, C.unknownSection)).toEqual([[C.unknownSection.code, 9, 'error']]);
    expect(only(d, C.unknownSection)[0]!.message).toBe(
      "log server declared in proxy section 'be' uses unknown ring named 'logz': HAProxy 2.6 refuses to start on it, though 'haproxy -c' accepts it. Declare 'ring logz' or fix the name. Did you mean 'logs'?",
    );
  });
});

// ---- arguments --------------------------------------------------------------------------------

describe('arguments', () => {
  const argCodes = [C.missingArgument, C.extraArgument, C.badArgument];
  it('reports missing bind/server arguments with HAProxy wording', () => {
    const d = run(cfg('listen li', '    bind', '    server s1', '    server s2 127.0.0.1:80'));
    expect(triples(d, ...argCodes)).toEqual([[C.missingArgument.code, 7, 'error'], [C.missingArgument.code, 8, 'error']]);
    expect(only(d, C.missingArgument).map((x) => x.message)).toEqual([
      "'bind' expects {<path>|[addr1]:port1[-end1]}{,[addr]:port[-end]}... as arguments.",
      "'server' expects <name> and <addr>[:<port>] as arguments.",
    ]);
  });
  it('checks timeouts: extra argument, bad unit, overflow', () => {
    const d = run(cfg('listen li', '    bind :80', '    timeout client 5s 6s', '    timeout server 5x', '    timeout connect 30000000000', '    timeout queue 10d', '    server s1 127.0.0.1:80'));
    expect(triples(d, ...argCodes)).toEqual([[C.extraArgument.code, 8, 'error'], [C.badArgument.code, 9, 'error'], [C.badArgument.code, 10, 'error']]);
    const m = d.filter((x) => argCodes.some((c) => c.code === x.code)).map((x) => x.message);
    expect(m[0]).toBe("'timeout client' : unexpected extra argument '6s' after value '5s'.");
    expect(m[1]).toBe("unexpected character 'x' in 'timeout server'");
  });
  it('checks mode and balance', () => {
    const d = run(cfg('listen li', '    bind :80', '    mode ftp', '    balance rr', '    balance hdr(host)', '    balance random(3)', '    server s1 127.0.0.1:80'));
    expect(triples(d, ...argCodes)).toEqual([[C.badArgument.code, 8, 'error'], [C.badArgument.code, 9, 'error']]);
    const m = only(d, C.badArgument).map((x) => x.message);
    expect(m[0]).toBe("unknown proxy mode 'ftp'.");
    expect(m[1]).toBe("balance only supports 'roundrobin', 'static-rr', 'leastconn', 'source', 'uri', 'url_param', 'hdr(name)' and 'rdp-cookie(name)' options.");
  });
  it('checks ports and addresses', () => {
    const d = run(cfg('listen li', '    bind :99999', '    bind :8080', '    bind unix@/tmp/s.sock', '    server s1 127.0.0.1:abc', '    server s2 256.0.0.1:80', '    server s3 db.example.com:5432', '    server s4 127.0.0.1', '    server s5 127.0.0.1:+1'));
    expect(triples(d, ...argCodes)).toEqual([[C.badArgument.code, 7, 'error'], [C.badArgument.code, 10, 'error'], [C.badArgument.code, 11, 'error']]);
    const m = only(d, C.badArgument).map((x) => x.message);
    expect(m).toEqual([
      "'bind' : invalid port '99999'",
      "'server li/s1' : invalid character 'a' in port number 'abc' in '127.0.0.1:abc'",
      "'server li/s2' : could not resolve address '256.0.0.1'. (an IPv4 address is four numbers from 0 to 255)",
    ]);
  });
  it('checks status codes of deny/return/errorfile', () => {
    const d = run(cfg('listen li', '    bind :80', '    http-request deny deny_status 999', '    http-request deny deny_status 418', '    http-request return status 418',
      '    http-request deny deny_status 429', '    errorfile 418 /dev/null', '    errorfile 503 /dev/null', '    server s1 127.0.0.1:80'));
    expect(triples(d, C.badArgument)).toEqual([[C.badArgument.code, 8, 'error'], [C.badArgument.code, 9, 'error'], [C.badArgument.code, 12, 'error']]);
    const m = only(d, C.badArgument).map((x) => x.message);
    expect(m[0]).toContain("Unexpected status code '999'.");
    expect(m[1]).toContain("status code '418' not handled by default with 'default-errorfiles' argument.");
    expect(m[2]).toBe("errorfile : status code '418' not handled.");
  });
  it('checks redirect types', () => {
    const text = cfg('listen li', '    bind :80', '    redirect /foo', '    redirect location /bar', '    http-request redirect scheme https', '    server s1 127.0.0.1:80');
    const d = run(text);
    expect(triples(d, ...argCodes)).toEqual([[C.badArgument.code, 8, 'error']]);
    const r = only(d, C.badArgument)[0]!;
    expect(r.message).toContain("expects 'code', 'prefix', 'location', 'scheme', 'set-cookie', 'clear-cookie', 'drop-query', 'ignore-empty' or 'append-slash' (was '/foo').");
    expect(applyFix(text, r.fixes![0]!)).toContain('    redirect location /foo\n');
  });
  it('walks every redirect option up to the condition (haproxy -c: "(was \'foo\')")', () => {
    const d = run(cfg('frontend fe', '    bind :80', '    redirect location /x code 301 foo', '    http-request redirect code 301 location /x drop-query iff TRUE',
      '    redirect code 301 location /x drop-query if TRUE', '    default_backend be', 'backend be', '    server s1 127.0.0.1:80'));
    expect(triples(d, ...argCodes)).toEqual([[C.badArgument.code, 8, 'error'], [C.badArgument.code, 9, 'error']]);
    expect(only(d, C.badArgument).map((x) => x.message)).toEqual([
      "error detected in frontend 'fe' while parsing redirect rule : expects 'code', 'prefix', 'location', 'scheme', 'set-cookie', 'clear-cookie', 'drop-query', 'ignore-empty' or 'append-slash' (was 'foo').",
      "error detected in frontend 'fe' while parsing 'http-request redirect' rule : expects 'code', 'prefix', 'location', 'scheme', 'set-cookie', 'clear-cookie', 'drop-query', 'ignore-empty' or 'append-slash' (was 'iff').",
    ]);
  });
  it('only warns about characters after a valid time unit, as 2.6 does', () => {
    const d = run(cfg('listen li', '    bind :80', '    timeout client 30sec', '    timeout http-request 10mss', '    timeout server 30S', '    timeout tunnel 1.5s', '    server s1 127.0.0.1:80'));
    expect(triples(d, ...argCodes)).toEqual([[C.badArgument.code, 8, 'warning'], [C.badArgument.code, 9, 'warning'], [C.badArgument.code, 10, 'error'], [C.badArgument.code, 11, 'error']]);
    const m = only(d, C.badArgument).map((x) => x.message);
    expect(m[0]).toBe("unexpected character 'e' after the timer value '30sec', only (us=microseconds,ms=milliseconds,s=seconds,m=minutes,h=hours,d=days) are supported. This will be reported as an error in next versions.");
    expect(m[2]).toBe("unexpected character 'S' in 'timeout server'");
    expect(m[3]).toBe("unexpected character '.' in 'timeout tunnel'");
  });
  it('ignores letters after the digits of a port (warning only), refuses a port starting with a non-digit', () => {
    const d = run(cfg('listen li', '    bind 127.0.0.1:18083e', '    bind :80-90x', '    bind :x80', '    bind :+80', '    server s1 127.0.0.1:80x', '    server s2 127.0.0.1:x80', '    server s3 127.0.0.1:0x', '    server s4 127.0.0.1:-1'));
    expect(triples(d, ...argCodes)).toEqual([
      [C.badArgument.code, 7, 'warning'], [C.badArgument.code, 8, 'warning'], [C.badArgument.code, 9, 'error'], [C.badArgument.code, 10, 'error'],
      [C.badArgument.code, 11, 'warning'], [C.badArgument.code, 12, 'error'], [C.badArgument.code, 13, 'warning'],
    ]);
    const errs = d.filter((x) => x.severity === 'error').map((x) => x.message);
    expect(errs).toEqual([
      "'bind' : invalid character 'x' in port number 'x80' in ':x80'",
      "'bind' : port offset not permitted here in ':+80'",
      "'server li/s2' : invalid character 'x' in port number 'x80' in '127.0.0.1:x80'",
    ]);
  });
  it('refuses addresses that can never resolve and a missing server name', () => {
    const d = run(cfg('listen li', '    bind :80', '    server s1 no-such-host.invalid:80', '    server s2 127..0.1:80', '    server 127.0.0.1:18081 check',
      '    server s3 db.example.com:5432', '    server s4 host.invalid.example.com:80'));
    expect(triples(d, ...argCodes)).toEqual([[C.badArgument.code, 8, 'error'], [C.badArgument.code, 9, 'error'], [C.badArgument.code, 10, 'error']]);
    const m = only(d, C.badArgument).map((x) => x.message);
    expect(m[0]).toBe("'server li/s1' : could not resolve address 'no-such-host.invalid'. (a name under '.invalid' never resolves, by RFC 6761; give a real host name or an IP address)");
    expect(m[1]).toBe("'server li/s2' : Can't create DNS resolution for server 's2'");
    expect(m[2]).toContain("'server li/127.0.0.1:18081' : could not resolve address 'check'.");
  });
  it('refuses a checked server with neither service port nor check port', () => {
    const d = run(cfg('listen li', '    bind :80', '    server s1 127.0.0.1: check', '    server s2 127.0.0.1 check', '    server s3 127.0.0.1:+1 check port 81',
      '    server s4 127.0.0.1 check addr 127.0.0.2:81', '    server s5 127.0.0.1:80 check', '    server s6 127.0.0.1', 'listen tc', '    bind :81', '    option tcp-check',
      '    tcp-check connect port 9001', '    server t1 127.0.0.1: check'));
    expect(triples(d, C.missingArgument)).toEqual([[C.missingArgument.code, 8, 'error'], [C.missingArgument.code, 9, 'error']]);
    expect(only(d, C.missingArgument)[0]!.message).toBe("config: proxy 'li': server 's1' has neither service port nor check port.");
  });
  it('checks stick-table arguments like parse_stick_table', () => {
    const d = run(cfg('backend be', '    stick-table type ip size 100k expire 5.5s', 'backend b2', '    stick-table type ip size 100k 42', 'backend b3', '    stick-table type size 100k',
      'backend b4', '    stick-table type ip', 'backend b5', '    stick-table type string len 32 size 1m expire 30sec store http_req_rate(10s),gpc0 nopurge', 'backend b6', '    stick-table type ip size 1.5k'));
    expect(triples(d, ...argCodes)).toEqual([
      [C.badArgument.code, 7, 'error'], [C.badArgument.code, 9, 'error'], [C.badArgument.code, 11, 'error'], [C.missingArgument.code, 13, 'error'],
      [C.badArgument.code, 15, 'warning'], [C.badArgument.code, 17, 'error'],
    ]);
    expect(d.filter((x) => x.severity === 'error').map((x) => x.message)).toEqual([
      "stick-table: unexpected character '.' in argument of 'expire'.",
      "stick-table: unknown argument '42'.",
      "stick-table: unknown type 'size'.",
      'stick-table: missing size.',
      "stick-table: unexpected character '.' in argument of 'size'.",
    ]);
  });
  it('checks default_backend arity', () => {
    const d = run(cfg('frontend fe', '    bind :80', '    default_backend', 'frontend f2', '    bind :81', '    default_backend be 6s', 'frontend f3', '    bind :82', '    default_backend be', 'backend be', '    server s1 127.0.0.1:80'));
    expect(triples(d, ...argCodes)).toEqual([[C.missingArgument.code, 8, 'error'], [C.extraArgument.code, 11, 'error']]);
    expect(d.filter((x) => x.severity === 'error').map((x) => x.message)).toEqual([
      "'default_backend' expects a backend name.", "'default_backend' cannot handle unexpected argument '6s'.",
    ]);
  });
  it('knows stats show-modules (the binary accepts it)', () => {
    const d = run(cfg('listen li', '    bind :80', '    stats enable', '    stats show-modules', '    server s1 127.0.0.1:80'));
    expect(d.filter((x) => x.severity === 'error')).toEqual([]);
  });
});

// ---- addresses (str2sa_range, with each keyword's flags) ---------------------------------------

describe('addresses read as 2.6 reads them', () => {
  /** [message, the text the range covers, severity] of each address diagnostic. */
  const found = (text: string): [string, string, string][] =>
    only(run(text), C.badArgument).map((d) => [d.message, text.slice(d.range.start.offset, d.range.end.offset), d.severity]);
  const inFrontend = (...l: string[]) => found(cfg('frontend fe', ...l.map((x) => `    ${x}`), '    default_backend be', 'backend be', '    server s1 127.0.0.1:80'));
  const inBackend = (...l: string[]) => found(cfg('backend be', ...l.map((x) => `    ${x}`)));
  const inSection = (section: string, ...l: string[]) => found(lines(section, ...l.map((x) => `    ${x}`)));

  it('accepts the bind and server forms 2.6 accepts', () => {
    expect(inFrontend('bind [::1]:80-81', 'bind :::82', 'bind ipv4@127.0.0.1:83,127.0.0.1:84,', 'bind unix@/tmp/x.sock', 'bind abns@x', 'bind fd@3',
      'bind sockpair@4', 'bind tcp@:85', 'bind ip@:86', `bind /tmp/${'a'.repeat(92)}`, 'bind ${ADDR}:80')).toEqual([]);
    expect(inBackend('server s1 127.0.0.1:+1', 'server s2 [::1]', 'server s3 ::1:80', 'server s4 /tmp/x.sock', 'server s5 abns@x', 'server s6 ipv6@[::1]:80',
      'server s7 *:80', 'server s8 sockpair@3', 'server s9 _http._tcp.example.invalid', 'server-template w 1-3 127.0.0.1:-1', 'server s10 ${HOST}:80')).toEqual([]);
  });

  it('refuses bind addresses with str2sa_range words, over the offending part', () => {
    expect(inFrontend('bind [::1]x:80')).toEqual([["'bind' : invalid address: '[::1]x' in '[::1]x:80' (write an IPv6 address in brackets, then the port: '[::1]:80')", '[::1]x', 'error']]);
    expect(inFrontend('bind [::1')).toEqual([["'bind' : invalid address: '[:' in '[::1' (write an IPv6 address in brackets, then the port: '[::1]:80')", '[:', 'error']]);
    expect(inFrontend('bind ::1')[0]!.slice(0, 2)).toEqual(["'bind' : invalid address: ':' in '::1' (the last ':' separates the port, so write an IPv6 address in brackets: '[::1]:80')", ':']);
    expect(inFrontend('bind [::1]')).toEqual([["'bind' : missing port specification in '[::1]'", '[::1]', 'error']]);
    expect(inFrontend('bind 1.2.3.256:80')[0]!.slice(0, 2)).toEqual(["'bind' : invalid address: '1.2.3.256' in '1.2.3.256:80' (an IPv4 address is four numbers from 0 to 255)", '1.2.3.256']);
    expect(inFrontend('bind foo@1.2.3.4:80')[0]![1]).toBe('foo@1.2.3.4');
    expect(inFrontend('bind UDP@1.2.3.4:80')[0]![0]).toBe("'bind' : invalid address: 'UDP@1.2.3.4' in 'UDP@1.2.3.4:80' (address prefixes are lower case: write 'udp@')");
    expect(inFrontend('bind ipv4@::1:80')).toEqual([["'bind' : invalid address: '::1' in 'ipv4@::1:80' ('ipv4@' asks for an IPv4 address)", '::1', 'error']]);
    expect(inFrontend('bind fd@x')).toEqual([["'bind' : file descriptor 'x' is not a valid integer in 'fd@x'", 'x', 'error']]);
    const long = `/tmp/${'a'.repeat(93)}`;
    expect(inFrontend(`bind ${long}`)).toEqual([[`'bind' : socket path '${long}' too long (max 97)`, long, 'error']]);
    expect(inFrontend('bind udp@1.2.3.4:80')).toEqual([["'bind' : dgram-type address not acceptable in 'udp@1.2.3.4:80' (this keyword takes stream (TCP) addresses: drop the prefix or use tcp@)", 'udp@', 'error']]);
    expect(inFrontend('bind :90-80')).toEqual([["'bind' : invalid port range '90-80'", '90-80', 'error']]);
    expect(inFrontend('bind :80,,:81')).toEqual([["'bind' : '' resolves to an empty address (environment variable missing?)", ',', 'error']]);
    expect(inFrontend('bind :80,[::1')[0]![1]).toBe('[:');
    expect(inFrontend('bind quic4@1.2.3.4:443')[0]![1]).toBe('quic4@');
  });

  it('shortens the longest UNIX socket path by the unix-bind prefix', () => {
    const path = `/${'a'.repeat(90)}`;
    const withPrefix = found(lines('global', '    unix-bind prefix /var/run/', 'frontend fe', `    bind ${path}`, '    default_backend be', 'backend be', '    server s1 127.0.0.1:80'));
    expect(withPrefix.map((x) => x[0])).toEqual([`'bind' : socket path '${path}' too long (max 88)`]);
  });

  it('refuses server addresses as the server reports them (resolution comes after the other checks)', () => {
    expect(inBackend('server s1 [::1]x:80')).toEqual([["'server be/s1' : could not resolve address '[::1]x'. (write an IPv6 address in brackets, then the port: '[::1]:80')", '[::1]x', 'error']]);
    expect(inBackend('server s1 [::1')[0]![1]).toBe('[:');
    expect(inBackend('server s1 ::1 check')[0]!.slice(0, 2)).toEqual(["'server be/s1' : could not resolve address ':'. (the last ':' separates the port, so write an IPv6 address in brackets: '[::1]:80')", ':']);
    expect(inBackend('server s1 ipv6@1.2.3.4')[0]![0]).toBe("'server be/s1' : could not resolve address '1.2.3.4'. ('ipv6@' asks for an IPv6 address)");
    expect(inBackend('server s1 foo@1.2.3.4:80')[0]![1]).toBe('foo@1.2.3.4');
    expect(inBackend('server s1 fd@3')).toEqual([["'server be/s1' : a file descriptor is not acceptable here in 'fd@3' (fd@ is for listeners and log targets; give an address here)", 'fd@', 'error']]);
    expect(inBackend('server s1 udp@x.invalid:80')[0]![0]).toBe("'server be/s1' : dgram-type address not acceptable in 'udp@x.invalid:80' (this keyword takes stream (TCP) addresses: drop the prefix or use tcp@)");
    expect(inBackend('server s1 quic4@x.invalid:80')[0]![0]).toContain("could not resolve address 'x.invalid'.");
    expect(inBackend('server s1 dgram+1.2.3.4:80').map((x) => x[1])).toEqual(['dgram+']);
    expect(inBackend('server s1 stream+udp@1.2.3.4:80').map((x) => x[1])).toEqual(['udp@']);
    expect(inBackend('server s1 dgram+tcp@1.2.3.4:80')).toEqual([]);
    expect(inBackend('server s1 1.2.3.4:80-90')).toEqual([["'server be/s1' : port range not permitted here in '1.2.3.4:80-90'", '80-90', 'error']]);
    expect(inBackend('server s1 1.2.3.4:80:')[0]![1]).toBe('1.2.3.4:80');
    expect(inBackend('server-template w 1-3 foo@1.2.3.4:80')[0]![0]).toMatch(/^'server-template be\/w' : could not resolve address 'foo@1.2.3.4'\./);
  });

  it('reads the addr, source and usesrc of server and default-server lines', () => {
    expect(inBackend('server s1 1.2.3.4:80 check addr 1.2.3.4:+1')).toEqual([["'server be/s1' : 'addr' : port offset not permitted here in '1.2.3.4:+1'.", '+1', 'error']]);
    expect(inBackend('server s1 1.2.3.4:80 source 1.2.3.4:+1')).toEqual([["'server be/s1' : 'source 1.2.3.4:+1' : port offset not permitted here in '1.2.3.4:+1'.", '+1', 'error']]);
    expect(inBackend('server s1 1.2.3.4:80 source 1.2.3.4:1024-2048 usesrc 1.2.3.256')[0]!.slice(0, 2)).toEqual(["'server be/s1' : 'usesrc 1.2.3.256' : invalid address: '1.2.3.256' in '1.2.3.256' (an IPv4 address is four numbers from 0 to 255).", '1.2.3.256']);
    expect(inBackend('server s1 1.2.3.4:80 source 1.2.3.4 usesrc clientip', 'server s2 1.2.3.4:80 addr /tmp/x.sock')).toEqual([]);
    expect(inBackend('default-server addr 1.2.3.256', 'server s1 1.2.3.4:80')[0]![0]).toMatch(/^'addr' : invalid address: '1.2.3.256' in '1.2.3.256'/);
    expect(inBackend('default-server source 1.2.3.4:+1', 'server s1 1.2.3.4:80')[0]![0]).toBe("'source 1.2.3.4:+1' : port offset not permitted here in '1.2.3.4:+1'.");
    expect(inBackend('source 1.2.3.4:1024-2048', 'server s1 1.2.3.4:80')[0]![0]).toBe("'source 1.2.3.4:1024-2048' : port range not permitted here in '1.2.3.4:1024-2048'");
    expect(inBackend('dispatch 1.2.3.4')).toEqual([["'dispatch' : missing port specification in '1.2.3.4'", '1.2.3.4', 'error']]);
    expect(inBackend('tcp-check connect port 80 addr 1.2.3.4:+1')).toEqual([["'tcp-check connect' : 'addr' : port offset not permitted here in '1.2.3.4:+1'", '+1', 'error']]);
    expect(inBackend('http-check connect addr 1.2.3.256')[0]![1]).toBe('1.2.3.256');
    expect(inBackend('tcp-check connect addr 1.2.3.4 port 80', 'tcp-check connect bogus addr 1.2.3.256')).toEqual([]);
  });

  it('reads the other keywords with their own flags', () => {
    expect(inSection('global', 'stats socket 1.2.3.4:+1')).toEqual([["'stats socket' : port offset not permitted here in '1.2.3.4:+1'", '+1', 'error']]);
    expect(inSection('global', 'stats socket 1.2.3.4:80-81', 'stats socket /tmp/s level admin')).toEqual([]);
    expect(inSection('peers pp', 'peer p1 1.2.3.4', 'peer p2 1.2.3.4:+1')).toEqual([]);
    expect(inSection('peers pp', 'peer p1 1.2.3.4:80-90')).toEqual([["'peer p1' : port range not permitted here in '1.2.3.4:80-90'", '80-90', 'error']]);
    expect(inSection('peers pp', 'bind 1.2.3.4:+1')[0]![0]).toBe("'bind 1.2.3.4:+1' : port offset not permitted here in '1.2.3.4:+1'");
    expect(inSection('mailers mm', 'mailer m1 1.2.3.4')).toEqual([["'mailer m1' : missing port specification in '1.2.3.4'", '1.2.3.4', 'error']]);
    expect(inSection('resolvers rr', 'nameserver n1 udp@1.2.3.4:53', 'nameserver n2 tcp@1.2.3.4:53')).toEqual([]);
    expect(inSection('resolvers rr', 'nameserver n1 1.2.3.4:+1')[0]![0]).toBe("'nameserver n1' : port offset not permitted here in '1.2.3.4:+1'");
    expect(inSection('log-forward lf', 'dgram-bind 1.2.3.4:514-515', 'dgram-bind udp@1.2.3.4:516')).toEqual([]);
    expect(inSection('log-forward lf', 'dgram-bind tcp@1.2.3.4:514')).toEqual([
      ["'dgram-bind tcp@1.2.3.4:514' : stream-type address not acceptable in 'tcp@1.2.3.4:514' (this keyword takes datagram (UDP) addresses: drop the prefix or use udp@)", 'tcp@', 'error'],
    ]);
  });

  it("only warns about a log-forward bind address 2.6 refuses without failing (it prints an ALERT, exits 0 and drops the listener)", () => {
    const d = inSection('log-forward lf', 'dgram-bind :514', 'bind udp@1.2.3.4:80');
    expect(d.map((x) => [x[1], x[2]])).toEqual([['udp@', 'warning']]);
    expect(d[0]![0]).toMatch(/^'bind udp@1\.2\.3\.4:80' : dgram-type address not acceptable in 'udp@1\.2\.3\.4:80'.*HAProxy 2\.6 says so as an ALERT but accepts the file/);
  });

  it('never throws on odd address text', () => {
    for (const a of ['', '@', '[', ']', ':', '[]:', 'fd@', 'sockpair@', 'stream+', 'dgram+udp@', 'abns@', 'unix@', '[[::1]]:80', ':::::', '1.2.3.4:-', '1.2.3.4:+']) {
      expect(() => inBackend(`server s1 ${a}`), a).not.toThrow();
      expect(() => inFrontend(`bind ${a}`), a).not.toThrow();
    }
  });
});

// ---- words between arguments and the condition ------------------------------------------------

describe('words before the condition (haproxy -c wording per keyword family)', () => {
  const W = C.badConditionKeyword;
  const FE = (...l: string[]) => cfg('frontend fe', '    bind :80', '    acl is_admin path /a', ...l, '    default_backend be', 'backend be', '    stick-table type ip size 1k', '    server s1 127.0.0.1:80');
  it('reports a word that is not if/unless after the arguments of an action', () => {
    const d = run(FE('    http-request deny iff { path /x }', '    http-request deny foo', '    http-request del-header if is_admin', '    http-request add-header if !{ path /x }',
      '    http-request tarpit X-Fwd %[src]', '    http-request set-header X-A b c if TRUE', '    http-request set-var(txn.a) str(a) foo', '    http-request deny deny_status 400 foo',
      '    http-request return status 200 content-type text/plain string ok hdr a b foo', '    http-request track-sc0 src table be foo', '    http-response set-header X y z'));
    expect(triples(d, W).map((t) => t[1])).toEqual([9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    expect(only(d, W).map((x) => x.message)).toEqual([
      "'http-request deny' expects either 'if' or 'unless' followed by a condition but found 'iff'.",
      "'http-request deny' expects either 'if' or 'unless' followed by a condition but found 'foo'.",
      "'http-request del-header' expects either 'if' or 'unless' followed by a condition but found 'is_admin'.",
      "'http-request add-header' expects either 'if' or 'unless' followed by a condition but found 'path'.",
      "'http-request tarpit' expects either 'if' or 'unless' followed by a condition but found 'X-Fwd'.",
      "'http-request set-header' expects either 'if' or 'unless' followed by a condition but found 'c'.",
      "'http-request set-var(txn.a)' expects either 'if' or 'unless' followed by a condition but found 'foo'.",
      "'http-request deny' expects either 'if' or 'unless' followed by a condition but found 'foo'.",
      "'http-request return' expects either 'if' or 'unless' followed by a condition but found 'foo'.",
      "'http-request track-sc0' expects either 'if' or 'unless' followed by a condition but found 'foo'.",
      "'http-response set-header' expects either 'if' or 'unless' followed by a condition but found 'z'.",
    ]);
  });
  it('uses the wording of tcp rules, set-path, use_backend, use-server, stick and persist rules', () => {
    const d = run(FE('    tcp-request content reject foo', '    http-request set-path /x foo', '    use_backend be When TRUE', '    stats http-request deny iff TRUE')
      + lines('backend b2', '    stick-table type ip size 1k', '    use-server s1 iff TRUE', '    force-persist foo', '    stick on src foo', '    stick match src table b2 42', '    stick on', '    server s1 127.0.0.1:80'));
    expect(only(d, W).map((x) => x.message)).toEqual([
      "'tcp-request content reject' only accepts 'if' or 'unless', in frontend 'fe' (got 'foo')",
      "error detected in frontend 'fe' while parsing 'http-request set-path' rule : expects exactly 1 argument <format>.",
      "unexpected keyword 'When' after switching rule, only 'if' and 'unless' are allowed.",
      "'http-request deny' expects either 'if' or 'unless' followed by a condition but found 'iff'.",
      "'use-server' requires either 'if' or 'unless' followed by a condition.",
      "'force-persist' requires either 'if' or 'unless' followed by a condition.",
      "'stick': unknown keyword 'foo'.",
      "'stick': unknown keyword '42'.",
    ]);
    expect(only(d, C.missingArgument).map((x) => x.message)).toEqual(["'stick' expects a fetch method."]);
  });
  it('treats an empty word as the end of the arguments (so set-header X "$UNSET" lacks its value)', () => {
    const d = run(FE('    http-request set-header X-D "$NOSUCHVAR"', '    http-request deny "" foo', '    http-request replace-header X a'));
    expect(triples(d, C.missingArgument, W)).toEqual([[C.missingArgument.code, 9, 'error'], [C.missingArgument.code, 11, 'error']]);
    expect(only(d, C.missingArgument).map((x) => x.message)).toEqual([
      "error detected in frontend 'fe' while parsing 'http-request set-header' rule : expects exactly 2 arguments.",
      "error detected in frontend 'fe' while parsing 'http-request replace-header' rule : expects exactly 3 arguments.",
    ]);
  });
  it('accepts well-formed rules, optional keyword pairs and unknown shapes', () => {
    const d = run(FE('    http-request del-header X if TRUE', '    http-request del-header X -m beg if TRUE', '    http-request deny deny_status 400 if TRUE',
      '    http-request deny deny_status 400 content-type text/plain string x if TRUE', '    http-request track-sc0 src table be if TRUE', '    http-request auth realm x if TRUE',
      '    http-request wait-for-body at-least 1k time 1s if TRUE', '    http-request capture src len 10', '    use_backend be if is_admin', '    http-request redirect location /x code 301 if TRUE',
      '    tcp-request content set-var(txn.a) src unless TRUE', '    http-request normalize-uri path-strip-dotdot full'));
    expect(triples(d, W, C.missingArgument)).toEqual([]);
  });
});

// ---- deprecated -------------------------------------------------------------------------------

describe('removed and deprecated keywords', () => {
  it('reports removed keywords as fatal with HAProxy wording and replacement fixes', () => {
    const text = cfg('listen li', '    bind :80', '    clitimeout 5s', '    reqadd X-A:\\ b', '    redispatch', '    option forceclose', '    server s1 127.0.0.1:80');
    const d = run(text);
    expect(triples(d, C.deprecatedKeyword, C.unknownKeyword, C.unknownOption)).toEqual([8, 9, 10, 11].map((l) => [C.deprecatedKeyword.code, l, 'error']));
    const m = only(d, C.deprecatedKeyword);
    expect(m[0]!.message).toBe("the 'clitimeout' directive is not supported anymore since HAProxy 2.1. Use 'timeout client'.");
    expect(applyFix(text, m[0]!.fixes![0]!)).toContain('    timeout client 5s\n');
    expect(m[1]!.message).toBe("The 'reqadd' directive is not supported anymore since HAProxy 2.1. Use 'http-request add-header' instead.");
    expect(applyFix(text, m[1]!.fixes![0]!)).toContain('    http-request add-header X-A b\n');
    expect(applyFix(text, m[2]!.fixes![0]!)).toContain('    option redispatch\n');
  });
  it('rewrites reqdel and conditional reqadd into their http-request forms', () => {
    const text = cfg('listen li', '    bind :80', '    reqdel ^X-Debug:', '    reqadd X-Proto:\\ https if { ssl_fc }', '    server s1 127.0.0.1:80');
    const m = only(run(text), C.deprecatedKeyword);
    expect(applyFix(text, m[0]!.fixes![0]!)).toContain('    http-request del-header X-Debug\n');
    expect(applyFix(text, m[1]!.fixes![0]!)).toContain('    http-request add-header X-Proto https if { ssl_fc }\n');
  });
  it('warns about bind-process like HAProxy', () => {
    const d = run(cfg('listen li', '    bind :80', '    bind-process 1', '    server s1 127.0.0.1:80'));
    expect(triples(d, C.deprecatedKeyword)).toEqual([[C.deprecatedKeyword.code, 8, 'warning']]);
  });
  it('reports nothing for current keywords', () => {
    const d = run(cfg('listen li', '    bind :80', '    option redispatch', '    timeout client 5s', '    server s1 127.0.0.1:80'));
    expect(only(d, C.deprecatedKeyword)).toEqual([]);
  });
});

// ---- tcp mode ---------------------------------------------------------------------------------

describe('HTTP-only settings in mode tcp', () => {
  const TCP = ['defaults', '    mode tcp', '    timeout client 5s', '    timeout connect 5s', '    timeout server 5s'];
  it('warns once per rule set, and for option httplog (fallback)', () => {
    const d = run(lines(...TCP, 'frontend fe', '    bind :80', '    http-request deny', '    http-request deny', '    option httplog', '    option forwardfor', '    default_backend be', 'backend be', '    server s1 127.0.0.1:80'));
    expect(triples(d, C.httpRuleInTcpMode, C.optionFallback)).toEqual([
      [C.httpRuleInTcpMode.code, 8, 'warning'], [C.optionFallback.code, 10, 'warning'], [C.httpRuleInTcpMode.code, 11, 'warning'],
    ]);
    expect(only(d, C.httpRuleInTcpMode)[0]!.message).toBe("'http-request' rules ignored for frontend 'fe' as they require HTTP mode.");
    expect(only(d, C.optionFallback)[0]!.message).toBe("'option httplog' not usable with frontend 'fe' (needs 'mode http'). Falling back to 'option tcplog'.");
    expect(only(d, C.httpRuleInTcpMode)[1]!.message).toBe("'option forwardfor' ignored for frontend 'fe' as it requires HTTP mode.");
  });
  it('says nothing when option tcplog or log-format replaces an inherited httplog', () => {
    const d = run(lines('defaults', '    mode http', '    option httplog', '    timeout client 5s', '    timeout connect 5s', '    timeout server 5s',
      'listen a', '    mode tcp', '    option tcplog', '    bind :80', '    server s1 127.0.0.1:80',
      'listen b', '    mode tcp', '    log-format "%ci"', '    bind :81', '    server s1 127.0.0.1:80'));
    expect(only(d, C.optionFallback)).toEqual([]);
  });
  it('says nothing after tcp-request content switch-mode http', () => {
    const d = run(lines(...TCP, 'frontend fe', '    bind :80', '    tcp-request inspect-delay 1s', '    tcp-request content switch-mode http if HTTP', '    http-request set-header a b', '    default_backend be', 'backend be', '    mode http', '    server s1 127.0.0.1:80'));
    expect(only(d, C.httpRuleInTcpMode)).toEqual([]);
  });
  it('says nothing in mode http', () => {
    const d = run(cfg('frontend fe', '    bind :80', '    http-request deny', '    option httplog', '    default_backend be', 'backend be', '    server s1 127.0.0.1:80'));
    expect(triples(d, C.httpRuleInTcpMode, C.optionFallback)).toEqual([]);
  });
});

// ---- rule order -------------------------------------------------------------------------------

describe('rule order', () => {
  it('warns like HAProxy about tcp-request after http-request and http-request after redirect', () => {
    const d = run(cfg('frontend fe', '    bind :80', '    http-request set-header a b', '    tcp-request content accept', '    redirect location /x if FALSE', '    http-request deny if FALSE', '    use_backend be if FALSE', '    redirect location /y if FALSE', '    default_backend be', 'backend be', '    server s1 127.0.0.1:80'));
    expect(triples(d, C.ruleOrder)).toEqual([9, 11, 13].map((l) => [C.ruleOrder.code, l, 'warning']));
    expect(only(d, C.ruleOrder).map((x) => x.message)).toEqual([
      "a 'tcp-request' rule placed after an 'http-request' rule will still be processed before.",
      "a 'http-request' rule placed after a 'redirect' rule will still be processed before.",
      "a 'redirect' rule placed after a 'use_backend' rule will still be processed before.",
    ]);
  });
  it('says nothing when written in processing order', () => {
    const d = run(cfg('frontend fe', '    bind :80', '    tcp-request connection accept', '    tcp-request content accept', '    http-request set-header a b', '    redirect location /x if FALSE', '    use_backend be if FALSE', '    default_backend be', 'backend be', '    server s1 127.0.0.1:80'));
    expect(only(d, C.ruleOrder)).toEqual([]);
  });
});

// ---- unreachable rules ------------------------------------------------------------------------

describe('unreachable rules', () => {
  it('reports rules after an unconditional final action of the same rule set', () => {
    const d = run(cfg('frontend fe', '    bind :80', '    http-request deny', '    http-request set-header a b', '    http-response set-header c d', '    tcp-request content reject', '    tcp-request content accept', '    default_backend be', 'backend be', '    server s1 127.0.0.1:80'));
    expect(triples(d, C.unreachableRule)).toEqual([[C.unreachableRule.code, 9, 'warning'], [C.unreachableRule.code, 12, 'warning']]);
    expect(only(d, C.unreachableRule)[0]!.message).toContain("'deny' on line 8");
  });
  it('does not report after a conditional final action or a non-final one', () => {
    const d = run(cfg('frontend fe', '    bind :80', '    http-request deny if { path /x }', '    http-request set-header a b', '    http-request set-header c d', '    default_backend be', 'backend be', '    server s1 127.0.0.1:80'));
    expect(only(d, C.unreachableRule)).toEqual([]);
  });
});

// ---- whole-proxy checks -----------------------------------------------------------------------

describe('missing timeouts, bind, program', () => {
  it('warns once per proxy at its name, with a fix adding the lines', () => {
    const text = lines('defaults', '    mode http', 'frontend fe', '    bind :80', '    default_backend be', 'backend be', '    timeout connect 5s', '    server s1 127.0.0.1:80', 'backend empty');
    const d = run(text);
    expect(triples(d, C.missingTimeouts)).toEqual([[C.missingTimeouts.code, 3, 'warning'], [C.missingTimeouts.code, 6, 'warning']]);
    const [fe, be] = only(d, C.missingTimeouts);
    expect(fe!.message).toContain("missing timeouts for frontend 'fe'.");
    expect(fe!.message).toContain("'timeout client'");
    expect(be!.message).toContain("'timeout server'");
    expect(be!.message).not.toContain("'timeout connect'");
    expect(applyFix(text, fe!.fixes![0]!)).toContain('frontend fe\n    timeout client 30s\n    bind :80\n');
    expect(applyFix(text, fe!.fixes![1]!)).toContain('defaults\n    timeout client 30s\n    mode http\n');
  });
  it('does not warn when inherited timeouts are set', () => {
    const d = run(cfg('frontend fe', '    bind :80', '    default_backend be', 'backend be', '    server s1 127.0.0.1:80'));
    expect(only(d, C.missingTimeouts)).toEqual([]);
  });
  it('warns about a frontend without bind', () => {
    const d = run(cfg('frontend fe', '    default_backend be', 'frontend ok', '    bind :80', '    default_backend be', 'backend be', '    server s1 127.0.0.1:80'));
    expect(triples(d, C.frontendWithoutBind)).toEqual([[C.frontendWithoutBind.code, 6, 'warning']]);
    expect(only(d, C.frontendWithoutBind)[0]!.message).toBe("frontend 'fe' has no 'bind' directive. Please declare it as a backend if this was intended.");
  });
  it('requires master-worker for program sections', () => {
    const bad = run(lines('global', '    daemon', 'program p', '    command /bin/true'));
    expect(triples(bad, C.programNeedsMasterWorker)).toEqual([[C.programNeedsMasterWorker.code, 3, 'error']]);
    expect(only(bad, C.programNeedsMasterWorker)[0]!.message).toBe("Can't use a 'program' section without master worker mode.");
    const good = run(lines('global', '    master-worker', 'program p', '    command /bin/true'));
    expect(only(good, C.programNeedsMasterWorker)).toEqual([]);
  });
});

// ---- files ------------------------------------------------------------------------------------

describe('missing files', () => {
  const text = cfg('frontend fe', '    bind :443 ssl crt /etc/ssl/site.pem crt-list /etc/ssl/list.txt', '    errorfile 503 /etc/haproxy/errors/503.http', '    default_backend be', 'backend be', '    server s1 127.0.0.1:443 ssl ca-file /etc/ssl/ca.pem');
  it('reports missing certificates, crt-lists, error files and CA files', () => {
    const d = run(text, () => false);
    expect(triples(d, C.fileNotFound)).toEqual([[C.fileNotFound.code, 7, 'error'], [C.fileNotFound.code, 7, 'error'], [C.fileNotFound.code, 8, 'error'], [C.fileNotFound.code, 11, 'error']]);
    expect(only(d, C.fileNotFound)[0]!.message).toBe("'bind :443' in section 'frontend' : unable to stat SSL certificate from file '/etc/ssl/site.pem' : No such file or directory.");
  });
  it('reports nothing when the files exist or when the host cannot tell', () => {
    expect(only(run(text, () => true), C.fileNotFound)).toEqual([]);
    expect(only(run(text), C.fileNotFound)).toEqual([]);
  });
});

// ---- design note ------------------------------------------------------------------------------

const here = fileURLToPath(new URL('.', import.meta.url));
const designNote = resolve(here, '..', '..', '..', 'shared', 'examples', 'design-note.cfg');

describe.skipIf(!existsSync(designNote))('design-note.cfg', () => {
  const text = existsSync(designNote) ? readFileSync(designNote, 'utf8') : '';
  const src = text.split('\n');
  const d = checkSources([{ path: 'design-note.cfg', text }], { env: defaultEnvironment({}), fileExists: () => false }).diagnostics;
  const lineOf = (re: RegExp): number => src.findIndex((l) => re.test(l)) + 1;

  it('reports every // line as commentStyle with a fix, and nothing else on it', () => {
    const commentLines = src.flatMap((l, i) => (/^\s*\/\//.test(l) ? [i + 1] : []));
    expect(commentLines.length).toBeGreaterThan(5);
    const cs = only(d, C.commentStyle);
    expect(cs.map((x) => x.range.start.line + 1)).toEqual(commentLines);
    for (const x of cs) expect(x.fixes?.[0]?.edits[0]?.newText).toBe('#');
    for (const l of commentLines) expect(d.filter((x) => x.range.start.line + 1 === l).map((x) => x.code)).toEqual([C.commentStyle.code]);
  });
  it('suggests use-server, use_backend and set-header', () => {
    const us = only(d, C.unknownKeyword).find((x) => x.range.start.line + 1 === lineOf(/^\s*use_server/));
    expect(us?.message).toContain("did you mean 'use-server' maybe ?");
    const ub = only(d, C.unknownKeyword).find((x) => x.range.start.line + 1 === lineOf(/^\s*use-backend/));
    expect(ub?.message).toContain("did you mean 'use_backend' maybe ?");
    const sh = only(d, C.unknownAction).filter((x) => /set-header/.test(x.message));
    expect(sh.length).toBe(2);
  });
  it('reports the missing certificate', () => {
    const f = only(d, C.fileNotFound);
    expect(f.map((x) => x.range.start.line + 1)).toContain(lineOf(/crt \/usr\/local\/ssl\/cert.pem/));
  });
});

// ---- performance ------------------------------------------------------------------------------

describe('performance', () => {
  it('finds no error in a large valid config', async () => {
    const { keywordChecks } = await import('../../packages/parser/src/checks/keywords/index.js');
    const { runChecks } = await import('../../packages/parser/src/checks/registry.js');
    const { parseConfig } = await import('../../packages/parser/src/parse/document-parser.js');
    const { buildModel } = await import('../../packages/parser/src/model/build-model.js');
    const body: string[] = [...DEFAULTS];
    for (let i = 0; body.length < 100_000; i++) {
      body.push(`frontend fe${i}`, `    bind :${1024 + (i % 60000)}`, '    http-request set-header X-A b', `    use_backend be${i} if { path_beg /a }`, `    default_backend be${i}`,
        `backend be${i}`, '    balance roundrobin', `    server s1 127.0.0.${(i % 250) + 1}:80 check weight 10`, '    timeout server 5s');
    }
    const text = lines(...body);
    const env = defaultEnvironment({});
    const model = buildModel([parseConfig(text, 'big.cfg', { env }).file]);
    // Speed is measured in bench/, not asserted here: this pins that a large valid config stays clean.
    let count = 0;
    for (const section of model.sections) for (const stmt of section.statements) if (stmt.keywordWords.length > 0) count++;
    const diags = runChecks(model, keywordChecks, { env });
    expect(count).toBeGreaterThan(70_000);
    expect(diags.filter((x) => x.severity === 'error')).toEqual([]);
  });
});
