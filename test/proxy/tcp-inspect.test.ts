// mode tcp content inspection: tcp-request content rules reading the client's first bytes
// (payload ACLs), the inspect-delay running out on a silent client, the client's FIN ending the
// wait, a full buffer ending it, and tcp-request connection rules on the source address.
import { afterEach, describe, expect, it } from 'vitest';
import { echo, exchange, startOrigin, startTcpProxy, type Origin } from './tcp-helpers.js';

const defaults = ['defaults', '  mode tcp', '  timeout connect 2s', '  timeout client 10s', '  timeout server 10s'];

function cfg(fe: string[], backends: Record<string, number>, defaultBackend: string): string {
  const out = [...defaults, 'frontend fe', '  bind 127.0.0.1:17101', ...fe.map((l) => '  ' + l), `  default_backend ${defaultBackend}`];
  for (const [name, port] of Object.entries(backends)) out.push(`backend ${name}`, `  server s1 127.0.0.1:${port}`);
  return out.join('\n') + '\n';
}

/** RDP connection request (TPKT + X.224) carrying `Cookie: mstshash=<user>`. */
function rdpRequest(user: string): Buffer {
  const cookie = Buffer.from(`Cookie: mstshash=${user}\r\n`);
  const x224 = Buffer.concat([Buffer.from([cookie.length + 6, 0xe0, 0, 0, 0, 0, 0]), cookie]);
  return Buffer.concat([Buffer.from([3, 0, 0, x224.length + 4]), x224]);
}

describe('tcp-request content inspection', () => {
  const open: { close(): Promise<void> }[] = [];
  const track = <T extends { close(): Promise<void> }>(x: T): T => (open.push(x), x);
  afterEach(async () => {
    await Promise.all(open.splice(0).map((x) => x.close()));
  });

  async function origins(): Promise<{ a: Origin; b: Origin }> {
    return { a: track(await startOrigin(echo('A:'))), b: track(await startOrigin(echo('B:'))) };
  }

  it('rejects on a payload ACL (RDP cookie), forwards other payloads', async () => {
    const { a } = await origins();
    const proxy = track(await startTcpProxy(cfg([
      'tcp-request inspect-delay 2s',
      'tcp-request content reject if { req.rdp_cookie(mstshash) -m str evil }',
      'tcp-request content accept if { req.rdp_cookie_cnt gt 0 }',
    ], { be_a: a.port }, 'be_a')));
    const bad = await exchange({ port: proxy.port, send: [rdpRequest('evil')], wait: 2000 });
    expect(bad.closed).toBe(true);
    expect(bad.data.length).toBe(0);
    expect(a.accepted).toBe(0);
    const good = await exchange({ port: proxy.port, send: [rdpRequest('alice')], expect: 2 + rdpRequest('alice').length });
    expect(good.data.toString('latin1')).toBe('A:' + rdpRequest('alice').toString('latin1'));
  });

  it('waits for bytes arriving in pieces until the ACL can tell (req.len)', async () => {
    const { a } = await origins();
    const proxy = track(await startTcpProxy(cfg([
      'tcp-request inspect-delay 3s',
      'tcp-request content reject if { req.len gt 10 }',
    ], { be_a: a.port }, 'be_a')));
    // 6 + 6 bytes in two writes: the rule waits (MISS), sees 12 > 10, rejects.
    const r = await exchange({ port: proxy.port, send: ['abcdef', 'ghijkl'], gap: 100, wait: 2500 });
    expect(r.closed).toBe(true);
    expect(r.data.length).toBe(0);
    expect(a.accepted).toBe(0);
  });

  it('a silent client: the rules decide when the inspect-delay runs out', async () => {
    const { a, b } = await origins();
    const proxy = track(await startTcpProxy(cfg([
      'tcp-request inspect-delay 400ms',
      'tcp-request content accept if { req.len gt 0 }',
      'use_backend be_b if { req.len eq 0 }',
    ], { be_a: a.port, be_b: b.port }, 'be_a')));
    const silent = await exchange({ port: proxy.port, expect: 2, wait: 3000 });
    expect(silent.data.toString()).toBe('B:');
    expect(silent.ms).toBeGreaterThanOrEqual(380);
    const talker = await exchange({ port: proxy.port, send: ['hi'], expect: 4, wait: 3000 });
    expect(talker.data.toString()).toBe('A:hi');
  });

  it('without inspect-delay the rules decide at once on an empty buffer', async () => {
    const { a, b } = await origins();
    const proxy = track(await startTcpProxy(cfg([
      'tcp-request content accept if { req.len gt 0 }',
      'use_backend be_b if { req.len eq 0 }',
    ], { be_a: a.port, be_b: b.port }, 'be_a')));
    const r = await exchange({ port: proxy.port, expect: 2, wait: 3000 });
    expect(r.data.toString()).toBe('B:');
    expect(r.ms).toBeLessThan(300);
  });

  it("the client's FIN ends the wait: the rules decide on what arrived, and the bytes are forwarded", async () => {
    let got = '';
    const origin = track(await startOrigin((s) => {
      s.on('data', (d) => (got += d));
      s.on('end', () => s.end(`seen ${got}`));
    }));
    const proxy = track(await startTcpProxy(cfg([
      'tcp-request inspect-delay 5s',
      'tcp-request content reject if { req.len gt 100 }',
    ], { be: origin.port }, 'be')));
    const r = await exchange({ port: proxy.port, send: ['short'], end: true, wait: 3000 });
    expect(r.data.toString()).toBe('seen short');
    expect(r.ms).toBeLessThan(2000);
  });

  it('a full buffer ends the wait (tune.bufsize - tune.maxrewrite) and every byte is forwarded', async () => {
    let size = 0;
    const origin = track(await startOrigin((s) => {
      s.on('data', (d) => (size += d.length));
      s.on('end', () => s.end(`size ${size}`));
    }));
    const text = cfg([
      'tcp-request inspect-delay 5s',
      'tcp-request content reject if { req.len gt 20000 }',
      'tcp-request content accept if { req.len ge 15360 }',
    ], { be: origin.port }, 'be');
    const proxy = track(await startTcpProxy(text));
    const payload = Buffer.alloc(40_000, 0x61);
    const r = await exchange({ port: proxy.port, send: [payload], end: true, wait: 3000 });
    // req.len never exceeds 15360: the reject rule never matches.
    expect(r.data.toString()).toBe('size 40000');
  });

  it('tcp-request connection reject on the source address closes before any byte', async () => {
    const { a } = await origins();
    const proxy = track(await startTcpProxy(cfg(['tcp-request connection reject if { src 127.0.0.2 }'], { be_a: a.port }, 'be_a')));
    const rejected = await exchange({ port: proxy.port, send: ['x'], localAddress: '127.0.0.2', wait: 2000 });
    expect(rejected.closed).toBe(true);
    expect(rejected.data.length).toBe(0);
    expect(a.accepted).toBe(0);
    const allowed = await exchange({ port: proxy.port, send: ['x'], expect: 3 });
    expect(allowed.data.toString()).toBe('A:x');
  });

  it('routes on the source address through tcp-request content and use_backend', async () => {
    const { a, b } = await origins();
    const proxy = track(await startTcpProxy(cfg(['use_backend be_b if { src 127.0.0.3 }'], { be_a: a.port, be_b: b.port }, 'be_a')));
    const r3 = await exchange({ port: proxy.port, localAddress: '127.0.0.3', expect: 2 });
    const r1 = await exchange({ port: proxy.port, expect: 2 });
    expect(r3.data.toString()).toBe('B:');
    expect(r1.data.toString()).toBe('A:');
  });

  it('survives garbage, resets and odd bytes during inspection', async () => {
    const { a } = await origins();
    const proxy = track(await startTcpProxy(cfg([
      'tcp-request inspect-delay 1s',
      'tcp-request content accept if { req.ssl_hello_type 1 }',
      'tcp-request content reject if { req.len gt 0 }',
    ], { be_a: a.port }, 'be_a')));
    const junk = [Buffer.from([0x16, 0x03, 0x01, 0xff, 0xff, 0x02]), Buffer.from([0x16]), Buffer.from('\0\r\n\xff'), Buffer.alloc(70_000, 0x16)];
    for (const j of junk) {
      const r = await exchange({ port: proxy.port, send: [j], end: true, wait: 2000 });
      expect(r.closed).toBe(true);
      expect(r.data.length).toBe(0);
    }
    expect(a.accepted).toBe(0);
  });
});
