// Cookie persistence: request side (read, strip) and response side (insert, rewrite, prefix).
import { describe, expect, it } from 'vitest';
import { compileSelection, createContext, createRuntime, fullValues } from '../../packages/sim/src/index.js';
import { responseCacheable } from '../../packages/sim/src/selection/cookie.js';
import { headerList } from '../../packages/sim/src/index.js';
import { model } from './helpers.js';

function run(cookieLine: string, reqCookie: string | undefined, serverSetCookie?: string, extra: string[] = []) {
  const m = model(['backend be', '  mode http', `  ${cookieLine}`, ...extra.map((l) => '  ' + l), '  server a 127.0.0.1:1 cookie ca', '  server b 127.0.0.1:2 cookie cb'].join('\n') + '\n');
  const rt = createRuntime(m);
  const sel = compileSelection(m.proxies[0]!);
  const ctx = createContext({ request: { uri: '/', headers: reqCookie ? [['cookie', reqCookie]] : [] }, backend: 'be' });
  const s = sel(ctx, rt);
  ctx.response = { status: 200, reason: 'OK', version: '1.1', headers: { entries: serverSetCookie ? [{ name: 'Set-Cookie', value: serverSetCookie }] : [] }, body: new Uint8Array() };
  sel.applyCookieResponse(ctx, rt, s);
  return {
    server: s.server, reason: s.reason, verdict: s.cookie,
    forwardedCookie: fullValues(ctx.request!.headers, 'cookie').join(' | '),
    setCookie: fullValues(ctx.response.headers, 'set-cookie').join(' | '),
    cacheControl: fullValues(ctx.response.headers, 'cache-control').join(','),
  };
}

describe('cookie persistence', () => {
  it.each([
    // cookie line, request cookie, server Set-Cookie, expected
    // HAProxy 2.6.12 does not consider a 200 without freshness or validator cacheable: no `private`.
    ['cookie SRV insert indirect nocache', undefined, undefined, { server: 'a', reason: 'balance', setCookie: 'SRV=ca; path=/', cacheControl: '' }],
    ['cookie SRV insert indirect nocache', 'SRV=cb', undefined, { server: 'b', reason: 'cookie', verdict: 'valid', setCookie: '', forwardedCookie: '' }],
    ['cookie SRV insert indirect', 'x=1; SRV=cb; y=2', undefined, { server: 'b', forwardedCookie: 'x=1; y=2' }],
    ['cookie SRV insert indirect', 'SRV=zz', undefined, { server: 'a', reason: 'balance', verdict: 'invalid', setCookie: 'SRV=ca; path=/' }],
    ['cookie SRV insert', 'SRV=cb', undefined, { server: 'b', setCookie: '', forwardedCookie: 'SRV=cb' }],
    ['cookie SRV insert', undefined, 'SRV=app', { server: 'a', setCookie: 'SRV=ca; path=/' }],
    ['cookie SRV insert preserve', undefined, 'SRV=app', { server: 'a', setCookie: 'SRV=app' }],
    ['cookie SRV insert httponly secure domain .ex.com', undefined, undefined, { setCookie: 'SRV=ca; path=/; domain=.ex.com; HttpOnly; Secure' }],
    ['cookie SRV rewrite', undefined, 'SRV=app; path=/', { server: 'a', setCookie: 'SRV=ca; path=/' }],
    ['cookie SRV rewrite', 'SRV=cb', undefined, { server: 'b', reason: 'cookie' }],
    ['cookie JSESSIONID prefix', 'JSESSIONID=cb~abc123', undefined, { server: 'b', reason: 'cookie', forwardedCookie: 'JSESSIONID=abc123' }],
    ['cookie JSESSIONID prefix', undefined, 'JSESSIONID=abc123; path=/', { server: 'a', setCookie: 'JSESSIONID=ca~abc123; path=/' }],
  ] as const)('%s with request cookie %s and server cookie %s', (line, rc, sc, expected) => {
    expect(run(line, rc, sc)).toMatchObject(expected);
  });

  it('a cookie naming a DOWN server falls back to balancing, unless option persist', () => {
    const m = model(['backend be', '  mode http', '  cookie SRV insert indirect', '  server a 127.0.0.1:1 cookie ca', '  server b 127.0.0.1:2 cookie cb'].join('\n') + '\n');
    const rt = createRuntime(m);
    rt.setServerState('be', 'b', 'DOWN');
    const sel = compileSelection(m.proxies[0]!);
    expect(sel(createContext({ request: { uri: '/', headers: [['cookie', 'SRV=cb']] }, backend: 'be' }), rt)).toMatchObject({ server: 'a', cookie: 'down' });
    expect(run('cookie SRV insert indirect', 'SRV=cb', undefined, ['option persist'])).toMatchObject({ server: 'b' });
  });

  it('use-server wins over the cookie, which is still stripped', () => {
    expect(run('cookie SRV insert indirect', 'SRV=cb', undefined, ['use-server a if TRUE'])).toMatchObject({ server: 'a', reason: 'use-server', verdict: 'unused', forwardedCookie: '' });
  });

  it('ignore-persist ignores the cookie', () => {
    expect(run('cookie SRV insert indirect', 'SRV=cb', undefined, ['ignore-persist if TRUE'])).toMatchObject({ server: 'a', reason: 'balance', setCookie: '' });
  });
});

describe('when `nocache` adds Cache-control: private (HAProxy 2.6.12 TX_CACHEABLE)', () => {
  it.each([
    // status, method, response headers, cacheable
    [200, 'GET', [], false],
    [200, 'GET', [['Cache-Control', 'max-age=60']], true],
    [200, 'GET', [['Cache-Control', 's-maxage=60']], true],
    [200, 'GET', [['Expires', 'Thu, 01 Jan 2099 00:00:00 GMT']], true],
    [200, 'GET', [['ETag', '"x"']], true],
    [200, 'GET', [['Last-Modified', 'Thu, 01 Jan 2015 00:00:00 GMT']], true],
    [200, 'HEAD', [['ETag', '"x"']], true],
    [200, 'OPTIONS', [['ETag', '"x"']], true],
    [200, 'POST', [['ETag', '"x"']], false],
    [200, 'POST', [['Cache-Control', 'public, max-age=60']], true],
    [200, 'GET', [['Cache-Control', 'public']], false],
    [200, 'GET', [['Cache-Control', 'max-age=60, private']], false],
    [200, 'GET', [['Cache-Control', 'no-cache'], ['ETag', '"x"']], false],
    [200, 'GET', [['Cache-Control', 'no-store'], ['ETag', '"x"']], false],
    [200, 'GET', [['Cache-Control', 'max-age=0'], ['ETag', '"x"']], false],
    [200, 'GET', [['Cache-Control', 'no-cache="set-cookie"'], ['ETag', '"x"']], true],
    [200, 'GET', [['Pragma', 'no-cache'], ['Cache-Control', 'max-age=60']], false],
    [200, 'GET', [['Pragma', 'no-cache, x'], ['ETag', '"x"']], true],
    [302, 'GET', [['ETag', '"x"']], false],
    [302, 'GET', [['Cache-Control', 'public, max-age=5']], true],
    [404, 'GET', [['ETag', '"x"']], true],
    [101, 'GET', [['Cache-Control', 'public, max-age=5']], false],
  ] as [number, string, [string, string][], boolean][])('%i %s %j → %s', (status, method, headers, cacheable) => {
    expect(responseCacheable(status, method, headerList(headers))).toBe(cacheable);
  });
});
