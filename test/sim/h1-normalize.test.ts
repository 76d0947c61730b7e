// What HAProxy 2.6's HTTP/1 layer does to a request before the rules see it (each case observed
// on the 2.6 binary with rules echoing url, req.hdr(host) and req.hdr_cnt(content-length)).
import { describe, expect, it } from 'vitest';
import { mergeContentLength, normalizeH1Request } from '../../packages/sim/src/pipeline/h1-normalize.js';

const req = (method: string, uri: string, headers: [string, string][]) => ({ method, uri, version: '1.1', headers });
const seen = (method: string, uri: string, headers: [string, string][]) => {
  const r = normalizeH1Request(req(method, uri, headers));
  return { uri: r.uri, headers: r.headers };
};

describe('HTTP/1 request normalization (HAProxy 2.6)', () => {
  it('merges Content-Length repeated with one value, where the first was', () => {
    expect(seen('POST', '/', [['Host', 'a'], ['Content-Length', '5'], ['X', '1'], ['content-length', '5']]).headers).toEqual([['Host', 'a'], ['Content-Length', '5'], ['X', '1']]);
    expect(seen('POST', '/', [['Content-Length', '5, 5']]).headers).toEqual([['Content-Length', '5']]);
    expect(seen('POST', '/', [['Content-Length', '005, 5']]).headers).toEqual([['Content-Length', '005']]);
  });

  it('drops Content-Length beside Transfer-Encoding, as req.hdr_cnt(content-length) shows 0', () => {
    expect(seen('POST', '/', [['Host', 'a'], ['Transfer-Encoding', 'chunked'], ['Content-Length', '5']]).headers).toEqual([['Host', 'a'], ['Transfer-Encoding', 'chunked']]);
    expect(mergeContentLength({ headers: [['content-length', '5'], ['transfer-encoding', 'chunked']] }).headers).toEqual([['transfer-encoding', 'chunked']]);
  });

  it('leaves a single Content-Length and disagreeing ones alone', () => {
    const one = req('POST', '/', [['Content-Length', '5']]);
    expect(normalizeH1Request(one)).toBe(one);
    expect(seen('POST', '/', [['Content-Length', '5'], ['Content-Length', '6']]).headers).toHaveLength(2);
  });

  it("drops an absolute-form target's default port, and Host becomes the target's host", () => {
    expect(seen('GET', 'http://a:80/x', [['Host', 'a']])).toEqual({ uri: 'http://a/x', headers: [['Host', 'a']] });
    expect(seen('GET', 'http://A:80/x', [['Host', 'a:80']])).toEqual({ uri: 'http://A/x', headers: [['Host', 'A']] });
    expect(seen('GET', 'HTTPS://a:443/x', [['Host', 'a:443']])).toEqual({ uri: 'HTTPS://a/x', headers: [['Host', 'a']] });
    expect(seen('GET', 'http://a:/x', [['Host', 'a:']])).toEqual({ uri: 'http://a/x', headers: [['Host', 'a']] });
    expect(seen('GET', 'http://u@a:80/x', [['Host', 'a']])).toEqual({ uri: 'http://u@a/x', headers: [['Host', 'a']] });
    expect(seen('GET', 'http://[::1]:80/x', [['Host', '[::1]:80']])).toEqual({ uri: 'http://[::1]/x', headers: [['Host', '[::1]']] });
    expect(seen('GET', 'http://a:80', [])).toEqual({ uri: 'http://a', headers: [] });
  });

  it('keeps other ports, targets without a port and origin-form as they are', () => {
    for (const [uri, host] of [['http://a:443/x', 'a:443'], ['https://a/x', 'a:443'], ['/', 'a:80'], ['http://a:080/x', 'a:080']] as const) {
      expect(seen('GET', uri, [['Host', host]])).toEqual({ uri, headers: [['Host', host]] });
    }
  });

  it('CONNECT: Host loses a port 80 or 443, the target stays', () => {
    expect(seen('CONNECT', 'a:443', [['Host', 'a:443']])).toEqual({ uri: 'a:443', headers: [['Host', 'a']] });
    expect(seen('CONNECT', 'a:80', [['Host', 'a:80']])).toEqual({ uri: 'a:80', headers: [['Host', 'a']] });
    expect(seen('CONNECT', 'a:8443', [['Host', 'a:8443']])).toEqual({ uri: 'a:8443', headers: [['Host', 'a:8443']] });
  });

  it('responses: Content-Length duplicates merged too', () => {
    expect(mergeContentLength({ headers: [['content-length', '2'], ['Content-Length', '2']] }).headers).toEqual([['content-length', '2']]);
  });
});
