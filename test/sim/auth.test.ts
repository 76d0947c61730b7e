// HTTP authentication: crypt(3) verification (known vectors and `openssl passwd` output), Basic
// credentials, userlists with groups, and http_auth / http_auth_group in whole pipelines.
import { describe, expect, it } from 'vitest';
import { md5Crypt, shaCrypt, verifyCrypt } from '../../packages/sim/src/auth/crypt.js';
import { basicCredentials } from '../../packages/sim/src/auth/userlists.js';
import { feConfig, pipelineOf } from './pipeline-helpers.js';

describe('crypt(3) schemes computed with node:crypto', () => {
  it.each([
    // Drepper's specification vectors, and openssl passwd -1 output
    ['Hello world!', '$5$saltstring', '$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5'],
    ['Hello world!', '$6$saltstring', '$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1'],
    ['Hello world!', '$5$rounds=10000$saltstringsaltstring', '$5$rounds=10000$saltstringsaltst$3xv.VbSHBb41AL9AvLeujZkZRBAwqFMz2.opqey6IcA'],
    ['pw6', '$6$s6salt', '$6$s6salt$udvPw/rfV2iToc3uupfelb3kxerU5xKrHZptWZSDNIGG6kXFt/qkJFYyGgk9o1Ek/PyvAiJECSQcbj3651pnd/'],
  ])('sha-crypt(%s, %s)', (pw, setting, expected) => {
    expect(shaCrypt(pw, setting)).toBe(expected);
  });
  it.each([
    ['Hello world!', '$1$saltstr', '$1$saltstr$QM9HTGmcCulEKt42JFhZ/.'],
    ['pw1', '$1$s1salt', '$1$s1salt$qHVo7VrgdtiG3MGklEobT.'],
  ])('md5-crypt(%s, %s)', (pw, setting, expected) => {
    expect(md5Crypt(pw, setting)).toBe(expected);
  });
  it.each([
    ['pw5', '$5$s5salt$n0z5Mi9ceD5byJyqZv4KWr0U0xpklmi9ZWqujqaL.n3', true],
    ['pw6', '$5$s5salt$n0z5Mi9ceD5byJyqZv4KWr0U0xpklmi9ZWqujqaL.n3', false],
    ['x', '$2y$05$abcdefghijklmnopqrstuu5s2v8.iXieOjg/.AySBTTZIIVFJeBui', 'unsupported'],
    ['x', 'abJnggxhB/yWI', 'unsupported'],
  ] as const)('verifyCrypt(%s, %s) → %s', (pw, stored, expected) => {
    expect(verifyCrypt(pw, stored)).toBe(expected);
  });
});

describe('Basic credentials', () => {
  it.each([
    ['Basic YWxpY2U6c2VjcmV0', { user: 'alice', pass: 'secret' }],
    ['basic   YTpiOmM=', { user: 'a', pass: 'b:c' }],
    ['Basic bm9jb2xvbg==', undefined],
    ['Bearer abc', undefined],
    [undefined, undefined],
  ])('%s → %j', (header, expected) => {
    expect(basicCredentials(header)).toEqual(expected);
  });
});

const USERLIST = ['userlist ul', '    group admins users alice', '    group staff',
  '    user alice insecure-password secret', '    user bob password $6$s6salt$udvPw/rfV2iToc3uupfelb3kxerU5xKrHZptWZSDNIGG6kXFt/qkJFYyGgk9o1Ek/PyvAiJECSQcbj3651pnd/ groups staff', ''].join('\n');
const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;

describe('http_auth and http_auth_group in a pipeline', () => {
  const p = pipelineOf(USERLIST + feConfig([
    'http-request auth realm Private unless { http_auth(ul) }',
    'http-request deny if { path_beg /admin } !{ http_auth_group(ul) admins }',
    'http-request set-header X-Who %[http_auth_group(ul)]/%[http_auth_user]/%[http_auth_type]',
  ]));
  it.each([
    ['no credentials: a 401 challenge', undefined, '/', 'deny', 401, undefined],
    ['insecure-password user', basic('alice', 'secret'), '/', 'forward', 200, 'alice/alice/Basic'],
    ['SHA-512 hashed password', basic('bob', 'pw6'), '/', 'forward', 200, 'bob/bob/Basic'],
    ['wrong password', basic('bob', 'nope'), '/', 'deny', 401, undefined],
    ['unknown user', basic('eve', 'secret'), '/', 'deny', 401, undefined],
    ['a group member reaches /admin', basic('alice', 'secret'), '/admin', 'forward', 200, 'alice/alice/Basic'],
    ['a non-member is denied /admin', basic('bob', 'pw6'), '/admin', 'deny', 403, undefined],
  ])('%s', (_name, auth, uri, outcome, status, who) => {
    const r = p.run({ uri, headers: auth ? [['authorization', auth]] : [] }, p.createRuntime());
    expect(r).toMatchObject({ outcome, status });
    if (status === 401) expect(r.response!.headers).toContainEqual(['www-authenticate', 'Basic realm="Private"']);
    expect(r.request?.headers.find(([n]) => n === 'x-who')?.[1]).toBe(who);
  });
  it('reports a hash scheme it cannot verify instead of guessing', () => {
    expect(() => pipelineOf(USERLIST.replace(/\$6\$\S+/, '$2y$05$abcdefghijklmnopqrstuu5s2v8.iXieOjg/.AySBTTZIIVFJeBui') + feConfig(['http-request auth unless { http_auth(ul) }'])))
      .toThrow(/'\$2y\$' password hash, which the simulator cannot verify/);
  });
});
