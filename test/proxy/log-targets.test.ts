// Log targets: `log` lines read into targets, per-proxy inheritance (log global, no log,
// defaults), syslog headers per format compared with lines HAProxy 2.6.12 wrote to stdout and
// UDP (captured once), level filtering, `len` truncation, and the real sinks: UDP datagrams on
// loopback and buffered stdout writes.
import { createSocket } from 'node:dgram';
import { describe, expect, it } from 'vitest';
import { createLogSinks, parseLogTarget, type LogTarget } from '../../packages/proxy/src/log/index.js';
import { syslogHeader, effectiveFormat } from '../../packages/proxy/src/log/syslog-header.js';
import { context, localTime, loggingOf } from './log-helpers.js';

const target = (text: string): LogTarget => {
  const r = parseLogTarget(text.split(' '));
  if ('error' in r) throw new Error(r.error);
  return r.target;
};

describe('log lines', () => {
  it('reads address, len, format, facility and levels', () => {
    expect(target('127.0.0.1:18102 len 100 format rfc5424 local1 notice err')).toMatchObject({
      destination: { kind: 'udp', host: '127.0.0.1', port: 18102 }, maxLength: 100, format: 'rfc5424', facility: 17, level: 5, minLevel: 3,
    });
    expect(target('127.0.0.1 local0')).toMatchObject({ destination: { kind: 'udp', port: 514 }, maxLength: 1024, facility: 16, level: 7, minLevel: 0 });
    expect(target('[::1]:1514 daemon').destination).toEqual({ kind: 'udp', host: '::1', port: 1514 });
    expect(target('udp@10.0.0.1:600 user').destination).toEqual({ kind: 'udp', host: '10.0.0.1', port: 600 });
    expect(target('stdout format raw daemon').destination).toEqual({ kind: 'fd', fd: 1 });
    expect(target('stderr daemon').destination).toEqual({ kind: 'fd', fd: 2 });
    expect(target('127.0.0.1 sample 1,3-4:5 local0').sample).toEqual({ ranges: [[1, 1], [3, 4]], size: 5 });
  });

  it('refuses what HAProxy refuses, and what haplo does not implement, with a message', () => {
    const err = (t: string): string => {
      const r = parseLogTarget(t.split(' '));
      return 'error' in r ? r.error : '';
    };
    expect(err('127.0.0.1 len 50 local0')).toBe(`invalid log length '50', must be between 80 and 65535`);
    expect(err('127.0.0.1 format json local0')).toBe(`unknown log format 'json'`);
    expect(err('127.0.0.1 local9')).toBe(`unknown log facility 'local9'`);
    expect(err('127.0.0.1 local0 loud')).toBe(`unknown optional log level 'loud'`);
    expect(err('127.0.0.1 local0 info err extra')).toBe(`cannot handle unexpected argument 'extra'`);
    expect(err('ring@buf local0')).toMatch(/ring buffers are not supported by haplo run/);
    expect(err('/dev/log local0')).toMatch(/UNIX socket targets are not supported/);
    expect(err('tcp@127.0.0.1:514 local0')).toMatch(/stream and UNIX socket targets are not supported/);
  });
});

describe('targets of a proxy', () => {
  const { logging, lines } = loggingOf(`
global
    log 127.0.0.1:18102 local0
    log 127.0.0.1:18103 local1 notice
defaults
    mode http
    log global
    option httplog
frontend inherits
    bind :80
    default_backend be
frontend own
    bind :81
    no log
    log 127.0.0.1:18104 local2
    default_backend be
frontend twice
    bind :82
    log global
    default_backend be
backend be
    server s1 127.0.0.1:8000
`);

  const sentTo = (name: string): string[] => {
    lines.length = 0;
    const fe = logging.frontend(name);
    const rec = fe.record();
    rec.mark('request-head');
    fe.emit(rec, context({ frontend: name, request: { uri: '/' }, response: { status: 200 } }));
    return lines.map((l) => `${l.target.destination.kind === 'udp' ? l.target.destination.port : ''} ${l.line.slice(0, 5)}`);
  };

  it('inherits `log global` from defaults and filters by level (info lines skip the notice target)', () => {
    expect(sentTo('inherits')).toEqual(['18102 <134>']);
  });

  it('`no log` clears what was inherited before its own lines', () => {
    expect(sentTo('own')).toEqual(['18104 <150>']);
  });

  it('a second `log global` does not add the global targets twice', () => {
    expect(sentTo('twice')).toEqual(['18102 <134>']);
  });

  it('raises 5xx and errors to err with log-separate-errors, and caps with the minimum level', () => {
    const { logging: l2, lines: l2lines } = loggingOf(`
global
    log 127.0.0.1:18102 local0
    log 127.0.0.1:18103 local3 debug warning
defaults
    mode http
    log global
    option httplog
    option log-separate-errors
frontend fe
    bind :80
    default_backend be
backend be
    server s1 127.0.0.1:8000
`);
    const fe = l2.frontend('fe');
    const rec = fe.record();
    rec.mark('request-head');
    fe.emit(rec, context({ frontend: 'fe', request: { uri: '/' }, response: { status: 503 } }));
    // err (3) on local0: 16 * 8 + 3; on local3 err is capped to warning (4): 19 * 8 + 4.
    expect(l2lines.map((l) => l.line.slice(0, 5))).toEqual(['<131>', '<156>']);
    l2lines.length = 0;
    const ok = fe.record();
    ok.mark('request-head');
    fe.emit(ok, context({ frontend: 'fe', request: { uri: '/' }, response: { status: 200 } }));
    expect(l2lines.map((l) => l.line.slice(0, 5))).toEqual(['<134>', '<158>']);
  });
});

describe('syslog headers', () => {
  // HAProxy 2.6.12, `log stdout format <f> local0`, pid 2927, 24 Nov 2026 23:46:45 local time.
  const now = localTime(2026, 11, 24, 23, 46, 45, 419) + 0.391;
  const plain = { tag: 'haproxy', pid: 2927, sd: '[exampleSDID@1234 status="200" fe="fe"]' };
  const named = { hostname: 'myhost', tag: 'mytag', pid: 3111, sd: '-' };
  const h = (format: Parameters<typeof syslogHeader>[0], facts: typeof plain & { hostname?: string }): string => syslogHeader(format, 6, 16, facts, now);

  it('matches what HAProxy wrote for each format', () => {
    expect(h('raw', plain)).toBe('');
    expect(h('short', plain)).toBe('<6>');
    expect(h('priority', plain)).toBe('<134>');
    expect(h('local', plain)).toBe('<134>Nov 24 23:46:45 haproxy[2927]: ');
    expect(h('rfc3164', plain)).toBe('<134>Nov 24 23:46:45 localhost haproxy[2927]: ');
    expect(h('rfc3164', named)).toBe('<134>Nov 24 23:46:45 myhost mytag[3111]: ');
    expect(h('local', named)).toBe('<134>Nov 24 23:46:45 mytag[3111]: ');
    expect(h('rfc5424', plain)).toMatch(/^<134>1 2026-11-24T23:46:45\.419391[+-]\d\d:\d\d - haproxy 2927 - \[exampleSDID@1234 status="200" fe="fe"\] $/);
    expect(h('rfc5424', named)).toMatch(/^<134>1 2026-11-24T23:46:45\.419391[+-]\d\d:\d\d myhost mytag 3111 - - $/);
    expect(h('timed', plain)).toMatch(/^<6>2026-11-24T23:46:45\.419391[+-]\d\d:\d\d $/);
    expect(h('iso', plain)).toMatch(/^2026-11-24T23:46:45\.419391[+-]\d\d:\d\d $/);
  });

  it('pads the day with a space', () => {
    expect(syslogHeader('local', 6, 16, plain, localTime(2026, 2, 6, 12, 12, 9))).toBe('<134>Feb  6 12:12:09 haproxy[2927]: ');
  });

  it('uses rfc3164 for unspecified formats once log-send-hostname is set', () => {
    expect(effectiveFormat(undefined, plain)).toBe('local');
    expect(effectiveFormat(undefined, named)).toBe('rfc3164');
    expect(effectiveFormat('local', named)).toBe('local');
  });

  it('applies log-tag, log-send-hostname and log-format-sd from the configuration', () => {
    const { logging, lines } = loggingOf(`
global
    log 127.0.0.1:18102 local0
    log stdout format rfc5424 local0
    log-send-hostname myhost
    log-tag mytag
defaults
    mode http
    log global
    option httplog
frontend fe
    bind :80
    log-format-sd "[exampleSDID@1234 status=\\"%ST\\" fe=%{+Q,+E}f]"
    default_backend be
backend be
    server s1 127.0.0.1:8000
`, { pid: 3111 });
    const fe = logging.frontend('fe');
    const rec = fe.record();
    rec.mark('request-head');
    fe.emit(rec, context({ frontend: 'fe', request: { uri: '/x' }, response: { status: 200 } }));
    expect(lines[0]!.line).toMatch(/^<134>[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d myhost mytag\[3111\]: 127\.0\.0\.1:40000 /);
    expect(lines[1]!.line).toMatch(/^<134>1 \S+ myhost mytag 3111 - \[exampleSDID@1234 status="200" fe="fe"\] 127\.0\.0\.1:40000 /);
  });
});

describe('sinks', () => {
  it('sends UDP datagrams cut at len, with a newline after', async () => {
    const server = createSocket('udp4');
    const got: string[] = [];
    server.on('message', (m) => got.push(m.toString()));
    await new Promise<void>((r) => server.bind(18110, '127.0.0.1', r));
    const sinks = createLogSinks();
    try {
      sinks.send(target('127.0.0.1:18110 len 100 local1'), 'x'.repeat(150));
      sinks.send(target('127.0.0.1:18110 local1'), 'short line');
      for (let i = 0; i < 40 && got.length < 2; i++) await new Promise((r) => setTimeout(r, 25));
      expect(got.sort()).toEqual(['short line\n', 'x'.repeat(100) + '\n'].sort());
    } finally {
      sinks.close();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('buffers stdout lines and writes them once per turn, the newline counted in len', async () => {
    const writes: string[] = [];
    const sinks = createLogSinks({ stdout: { write: (c: string) => writes.push(c) } });
    sinks.send(target('stdout len 80 format raw daemon'), 'y'.repeat(100));
    sinks.send(target('stdout format raw daemon'), 'second');
    expect(writes).toEqual([]);
    await new Promise((r) => setImmediate(r));
    expect(writes).toEqual(['y'.repeat(79) + '\nsecond\n']);
    sinks.close();
  });

  it('drops stdout lines when the stream is far behind, instead of buffering without end', () => {
    const sinks = createLogSinks({ stdout: { write: () => true, writableLength: 64 * 1024 * 1024 } });
    sinks.send(target('stdout format raw daemon'), 'late');
    expect(sinks.dropped).toBe(1);
    sinks.close();
  });
});
