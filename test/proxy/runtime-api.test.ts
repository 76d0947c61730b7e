// The runtime API and stats of `haplo run` end to end: a unix stats socket in a temp dir, two
// loopback servers, requests through the proxy, commands through the socket.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHaploRun, type RunningHaplo } from '../support/haplo-run.js';

const FE = 17721;
const S1 = 17722;
const S2 = 17723;

function backendServer(port: number): Promise<Server> {
  const s = createServer((_, res) => res.end(`srv${port}\n`));
  return new Promise((r) => s.listen(port, '127.0.0.1', () => r(s)));
}

function get(path: string): Promise<{ status: number; body: string }> {
  return fetch(`http://127.0.0.1:${FE}${path}`).then(async (r) => ({ status: r.status, body: await r.text() }));
}

async function cli(sock: string, line: string): Promise<string> {
  for (let i = 0; i < 100; i++) {
    try {
      return await new Promise<string>((resolve, reject) => {
        const c = connect(sock);
        let out = '';
        c.setEncoding('utf8');
        c.on('data', (d: string) => (out += d));
        c.on('end', () => resolve(out));
        c.on('error', reject);
        c.write(`${line}\n`);
      });
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error('stats socket never answered');
}

const HAPROXY_26_HEADER = '# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight,act,bck,chkfail,chkdown,lastchg,downtime,qlimit,pid,iid,sid,throttle,lbtot,tracked,type,rate,rate_lim,rate_max,check_status,check_code,check_duration,hrsp_1xx,hrsp_2xx,hrsp_3xx,hrsp_4xx,hrsp_5xx,hrsp_other,hanafail,req_rate,req_rate_max,req_tot,cli_abrt,srv_abrt,comp_in,comp_out,comp_byp,comp_rsp,lastsess,last_chk,last_agt,qtime,ctime,rtime,ttime,agent_status,agent_code,agent_duration,check_desc,agent_desc,check_rise,check_fall,check_health,agent_rise,agent_fall,agent_health,addr,cookie,mode,algo,conn_rate,conn_rate_max,conn_tot,intercepted,dcon,dses,wrew,connect,reuse,cache_lookups,cache_hits,srv_icur,src_ilim,qtime_max,ctime_max,rtime_max,ttime_max,eint,idle_conn_cur,safe_conn_cur,used_conn_cur,need_conn_est,uweight,agg_server_status,agg_server_check_status,agg_check_status,-,ssl_sess,ssl_reused_sess,ssl_failed_handshake,h2_headers_rcvd,h2_data_rcvd,h2_settings_rcvd,h2_rst_stream_rcvd,h2_goaway_rcvd,h2_detected_conn_protocol_errors,h2_detected_strm_protocol_errors,h2_rst_stream_resp,h2_goaway_resp,h2_open_connections,h2_backend_open_streams,h2_total_connections,h2_backend_total_streams,h1_open_connections,h1_open_streams,h1_total_connections,h1_total_streams,h1_bytes_in,h1_bytes_out,h1_spliced_bytes_in,h1_spliced_bytes_out,';

describe('runtime API over a unix stats socket', { timeout: 30_000 }, () => {
  let dir: string;
  let sock: string;
  let haplo: RunningHaplo;
  const servers: Server[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'haplo-cli-'));
    sock = join(dir, 'admin.sock');
    const map = join(dir, 'routes.map');
    writeFileSync(map, '/a be1\n/b be2\n');
    servers.push(await backendServer(S1), await backendServer(S2));
    haplo = await startHaploRun(`global
    stats socket ${sock} level admin
defaults
    mode http
    timeout connect 1s
    timeout client 5s
    timeout server 5s
frontend fe
    bind 127.0.0.1:${FE}
    http-request track-sc0 src table st
    use_backend %[path,map_beg(${map},be1)]
backend st
    stick-table type ip size 100 expire 30s store http_req_cnt,conn_cur
backend be1
    balance roundrobin
    server s1 127.0.0.1:${S1}
    server s2 127.0.0.1:${S2}
backend be2
    server s3 127.0.0.1:${S2}
`, [FE]);
  });

  afterAll(async () => {
    await haplo?.stop();
    for (const s of servers) s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('show stat prints HAProxy 2.6 header and one row per object, counting the requests', async () => {
    for (let i = 0; i < 4; i++) expect((await get('/a')).status).toBe(200);
    const text = await cli(sock, 'show stat');
    const lines = text.split('\n');
    expect(lines[0]).toBe(HAPROXY_26_HEADER);
    const rows = lines.slice(1).filter((l) => l !== '').map((l) => l.split(','));
    expect(rows.map((r) => `${r[0]}/${r[1]}`)).toEqual(['fe/FRONTEND', 'st/BACKEND', 'be1/s1', 'be1/s2', 'be1/BACKEND', 'be2/s3', 'be2/BACKEND']);
    const col = (name: string) => lines[0]!.slice(2).split(',').indexOf(name);
    const row = (px: string, sv: string) => rows.find((r) => r[0] === px && r[1] === sv)!;
    expect(row('fe', 'FRONTEND')[col('req_tot')]).toBe('4');
    expect(row('fe', 'FRONTEND')[col('hrsp_2xx')]).toBe('4');
    expect(row('be1', 'BACKEND')[col('stot')]).toBe('4');
    expect(row('be1', 's1')[col('stot')]).toBe('2');
    expect(row('be1', 's2')[col('status')]).toBe('no check');
    expect(text.endsWith('\n\n')).toBe(true);
  });

  it('show table lists the tracked source', async () => {
    const text = await cli(sock, 'show table st');
    expect(text).toMatch(/^# table: st, type: ip, size:100, used:1\n0x[0-9a-f]+: key=127\.0\.0\.1 use=0 exp=\d+ conn_cur=0 http_req_cnt=4\n\n$/);
    expect(await cli(sock, 'show table nope')).toBe('No such table\n\n');
  });

  it('set server … state maint takes a server out of rotation; ready brings it back', async () => {
    expect(await cli(sock, 'set server be1/s1 state maint')).toBe('\n');
    const bodies = [];
    for (let i = 0; i < 4; i++) bodies.push((await get('/a')).body);
    expect(bodies).toEqual(Array(4).fill(`srv${S2}\n`));
    const state = await cli(sock, 'show servers state be1');
    expect(state.split('\n')[0]).toBe('1');
    expect(state.split('\n')[2]).toMatch(/^\d+ be1 1 s1 127\.0\.0\.1 0 1 1 1 \d+ 1 0 0 0 0 0 0 - 17722 - 0 0 - - 0$/);
    expect(await cli(sock, 'set server be1/s1 state ready')).toBe('\n');
    const after = new Set<string>();
    for (let i = 0; i < 4; i++) after.add((await get('/a')).body);
    expect(after.size).toBe(2);
  });

  it('answers errors in HAProxy wording', async () => {
    expect(await cli(sock, 'set server be1/zz state ready')).toBe('No such server.\n\n');
    expect(await cli(sock, 'set server be1/s1 state foo')).toBe("'set server <srv> state' expects 'ready', 'drain' and 'maint'.\n\n");
    expect(await cli(sock, 'set server be1/s1 weight 300')).toBe('Absolute weight can only be between 0 and 256 inclusive.\n\n');
    expect(await cli(sock, 'show map nope')).toBe('Unknown map identifier. Please use #<id> or <file>.\n\n');
  });

  it('set map changes routing for the next request; ; separates commands', async () => {
    const map = join(dir, 'routes.map');
    expect((await get('/b')).body).toBe(`srv${S2}\n`);
    expect(await cli(sock, `set map ${map} /a be2;show map ${map}`)).toMatch(/^\n0x[0-9a-f]+ \/a be2\n0x[0-9a-f]+ \/b be2\n\n$/);
    for (let i = 0; i < 3; i++) expect((await get('/a')).body).toBe(`srv${S2}\n`);
    expect(await cli(sock, `set map ${map} /zz be1`)).toBe('entry not found.\n\n');
    expect(await cli(sock, `del map ${map} /zz`)).toBe('Key not found.\n\n');
  });
});
