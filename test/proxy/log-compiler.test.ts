// The log-format reader: separators merge, %o carries flags, +Q/+X/+E/-M, `%%`, empty values
// as `-`, %[sample] through the simulator, and HAProxy's refusals.
import { describe, expect, it } from 'vitest';
import { compileLogFormat, StreamLogRecord } from '../../packages/proxy/src/log/index.js';
import type { LineInput } from '../../packages/proxy/src/log/line-input.js';
import { context, localTime } from './log-helpers.js';

function render(format: string, o: { http?: boolean; uri?: string; uniqueId?: string } = {}): { text: string; problems: string[] } {
  const problems: string[] = [];
  const r = compileLogFormat(format, { http: o.http ?? true, env: { report: (p) => problems.push(p.message) }, report: (p) => problems.push(p.message) });
  const rec = new StreamLogRecord({ http: o.http ?? true, acceptDate: localTime(2026, 11, 24, 23, 45, 14, 75) });
  rec.mark('request-head', rec.acceptDate + 3);
  const ctx = context({ srcPort: 4660, frontend: 'fe', backend: 'be', server: 's1', request: { uri: o.uri ?? '/p?q=1', headers: [['host', 'h']] }, response: { status: 201 }, uniqueId: o.uniqueId });
  const x: LineInput = {
    rec, ctx, now: rec.acceptDate + 10,
    fe: { name: 'fe', tls: false, requestCaptures: 0, responseCaptures: 0, early: false, cookieBackends: new Set(), hostname: 'h1', pid: 4242 },
    counts: { actconn: 3, feconn: 2, beconn: 1, srvConn: 1 }, logCount: 7,
  };
  return { text: r(x), problems };
}

describe('log-format strings', () => {
  it('merges runs of spaces into one separator and never starts with one', () => {
    expect(render('  %ST    %b   ').text).toBe('201 be ');
  });

  it('keeps %% as a percent sign and text around variables', () => {
    expect(render('100%% of %f:%ST!').text).toBe('100% of fe:201!');
  });

  it('quotes strings with +Q, never numbers; %o carries the flags on', () => {
    expect(render('%{+Q}b %{+Q}ST %{+Q}o %s %f %{-Q}b %ST').text).toBe('"be" 201 "s1" "fe" be 201');
  });

  it('writes addresses, ports and counters in hexadecimal with +X', () => {
    expect(render('%{+X}ci:%{+X}cp %{+X}pid %{+X}lc %{+X}Ts %ci %pid %lc').text).toBe(`7F000001:1234 1092 0007 ${Math.floor(localTime(2026, 11, 24, 23, 45, 14) / 1000).toString(16).toUpperCase()} 127.0.0.1 4242 7`);
  });

  it('prints - for empty values, "" when quoted, nothing with -M', () => {
    expect(render('%ID|%{+Q}ID|%{-M}ID|%[var(txn.nope)]|%{+Q}[var(txn.nope)]').text).toBe('-|""||-|""');
  });

  it('escapes ", \\ and ] with +E', () => {
    expect(render('%{+E}ID %{+E,+Q}ID %ID', { uniqueId: 'a"b\\c]d' }).text).toBe('a\\"b\\\\c\\]d "a\\"b\\\\c\\]d" a"b\\c]d');
  });

  it('evaluates sample expressions in the log phase', () => {
    expect(render('%[capture.req.method] %[capture.req.uri] %[status] %[fe_name] %[str(AbC),lower]').text).toBe('GET /p?q=1 201 fe abc');
  });

  it('cuts the request line into %HM %HU %HP %HPO %HQ %HV', () => {
    expect(render('%HM|%HU|%HP|%HPO|%HQ|%HV', { uri: 'http://x.example/a/b?c=d' }).text).toBe('GET|http://x.example/a/b?c=d|http://x.example/a/b|/a/b|?c=d|HTTP/1.1');
    expect(render('%HQ|%{+Q}r', { uri: '/plain' }).text).toBe('|"GET /plain HTTP/1.1"');
  });

  it('refuses unknown variables, HTTP-only ones in tcp mode, and stray % as HAProxy does', () => {
    expect(render('%zz').problems).toEqual([`no such format variable 'zz'. If you wanted to emit the '%' character verbatim, you need to use '%%'`]);
    expect(render('%r %HM', { http: false }).problems).toEqual([`format variable 'r' is reserved for HTTP mode`, `format variable 'HM' is reserved for HTTP mode`]);
    expect(render('50% off').problems[0]).toMatch(/^unexpected variable name near ' '/);
    expect(render('%{+Q}').problems[0]).toMatch(/^parse argument modifier without variable name/);
    expect(render('%[src').problems[0]).toMatch(/missing '\]'|failed to parse sample expression/);
  });

  it('renders the dates: %t %T %Tl %tr %trg %ms', () => {
    const { text } = render('%t|%T|%tr|%ms');
    expect(text.split('|')[0]).toBe('24/Nov/2026:23:45:14.075');
    expect(text.split('|')[1]).toMatch(/^\d\d\/Nov\/2026:\d\d:\d\d:14 \+0000$/);
    // %tr is the request's start: accept + Th + Ti (the head came 3 ms after the accept).
    expect(text.split('|')[2]).toBe('24/Nov/2026:23:45:14.078');
    expect(text.split('|')[3]).toBe('075');
  });
});
