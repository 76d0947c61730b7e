// Conditions: DNF, `!`, `unless`, empty conditions, same-name ACLs OR-ed, MISS propagation,
// laziness and the trace (reference §3.6).
import { describe, expect, it } from 'vitest';
import { createContext, setHeader } from '../../packages/sim/src/index.js';
import { condition, req } from './helpers.js';

const ACLS = ['acl is_img path_beg /img', 'acl is_png path_end .png', 'acl dup path /a', 'acl dup path /b', 'acl body req.body -m sub x'];
const run = (cond: string, uri: string, extra: object = {}) =>
  condition([...ACLS, `http-request deny ${cond}`]).run(createContext({ request: { uri }, ...extra })).result;

describe('condition evaluation', () => {
  it.each([
    ['if is_img is_png', '/img/a.png', 'pass'],
    ['if is_img is_png', '/img/a.gif', 'fail'],
    ['if is_img !is_png', '/img/a.gif', 'pass'],
    ['if ! is_img', '/x', 'pass'],
    ['if ! ! is_img', '/img', 'pass'],
    ['if is_img || is_png', '/x.png', 'pass'],
    ['if is_img or is_png', '/x.gif', 'fail'],
    ['if is_img OR is_png', '/img', 'pass'],
    ['unless is_img', '/img', 'fail'],
    ['unless is_img', '/x', 'pass'],
    ['if dup', '/a', 'pass'],
    ['if dup', '/b', 'pass'],
    ['if dup', '/c', 'fail'],
    ['if { path_beg /img } { path_end .png }', '/img/x.png', 'pass'],
    ['if !{ path_beg /img }', '/img', 'fail'],
    ['if METH_GET is_img', '/img', 'pass'],
    ['if', '/img', 'fail'],
    ['unless', '/img', 'pass'],
  ])('%s on %s → %s', (cond, uri, want) => {
    expect(run(cond, uri)).toBe(want);
  });

  it('without a condition the rule always applies', () => {
    expect(condition(['http-request deny']).run(req()).result).toBe('pass');
  });

  it('MISS propagates: ! keeps it, AND stops on it, OR prefers PASS, unless keeps it', () => {
    const partial = { request: { uri: '/img', bodyComplete: false }, final: false };
    expect(run('if body', '/img', partial)).toBe('miss');
    expect(run('if !body', '/img', partial)).toBe('miss');
    expect(run('unless body', '/img', partial)).toBe('miss');
    expect(run('if body is_img', '/img', partial)).toBe('miss');
    expect(run('if body || is_img', '/img', partial)).toBe('pass');
    expect(run('if body || is_png', '/img', partial)).toBe('miss');
    expect(run('if is_png body', '/img', partial)).toBe('fail');
  });

  it('records each ACL evaluation, stopping where HAProxy stops', () => {
    const { run: c } = condition([...ACLS, 'http-request deny if is_png is_img || { hdr(x-a) -m found }']);
    const { result, trace } = c(req({ uri: '/img/a.gif', headers: [['X-A', '1']] }));
    expect(result).toBe('pass');
    expect(trace.map((t) => [t.text, t.values, t.matched])).toEqual([
      ['is_png', ['/img/a.gif'], false],
      ['{ hdr(x-a) -m found }', ['1'], true],
    ]);
    expect(trace[0]!.line).toBe(4);
  });

  it('is evaluated lazily, so an earlier rewrite is seen', () => {
    const { run: c } = condition(['http-request deny if { hdr(x-a) yes }']);
    const ctx = req({ headers: [['X-A', 'no']] });
    expect(c(ctx).result).toBe('fail');
    setHeader(ctx.request!.headers, 'X-A', 'yes');
    expect(c(ctx).result).toBe('pass');
  });
});
