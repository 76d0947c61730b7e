// set-map, del-map, add-acl, del-acl: edits of map and pattern files kept per Runtime and read
// by the map converters and `-f` ACLs of later rules and later streams on the same Runtime.
import { checkSources } from '@haplo/parser';
import { describe, expect, it } from 'vitest';
import { compilePipeline, type SimRequest } from '../../packages/sim/src/index.js';
import { feConfig, pipelineOf } from './pipeline-helpers.js';

const files = {
  '/m.map': 'a x\nb y\n# comment\n',
  '/deny.lst': '/blocked\n',
  '/hosts.map': '',
  '/nets.map': '192.168.0.0/16 lan\n',
};

type Step = { request: SimRequest; header?: string | null; outcome?: string };
const hdr = (name: string, value: string): SimRequest => ({ uri: '/', headers: [[name, value]] });

const table: { name: string; lines: string[]; steps: Step[] }[] = [
  {
    name: 'set-map adds a key that later streams read through map()',
    lines: ['http-request set-map(/m.map) %[req.hdr(k)] %[req.hdr(v)] if { req.hdr(v) -m found }', 'http-request set-header x %[req.hdr(k),map(/m.map,none)]'],
    steps: [
      { request: hdr('k', 'c'), header: 'none' },
      { request: { uri: '/', headers: [['k', 'c'], ['v', 'z']] }, header: 'z' },
      { request: hdr('k', 'c'), header: 'z' },
      { request: hdr('k', 'a'), header: 'x' },
    ],
  },
  {
    name: 'set-map replaces the value of an existing key',
    lines: ['http-request set-map(/m.map) a %[req.hdr(v)] if { req.hdr(v) -m found }', 'http-request set-header x %[str(a),map(/m.map)]'],
    steps: [
      { request: { uri: '/' }, header: 'x' },
      { request: hdr('v', 'new'), header: 'new' },
      { request: { uri: '/' }, header: 'new' },
    ],
  },
  {
    name: 'del-map removes a key; the default applies afterwards',
    lines: ['http-request del-map(/m.map) %[req.hdr(del)] if { req.hdr(del) -m found }', 'http-request set-header x %[str(b),map(/m.map,gone)]'],
    steps: [
      { request: { uri: '/' }, header: 'y' },
      { request: hdr('del', 'b'), header: 'gone' },
      { request: { uri: '/' }, header: 'gone' },
    ],
  },
  {
    name: 'add-acl feeds a -f ACL; del-acl takes the entry out again',
    lines: [
      'http-request add-acl(/deny.lst) %[req.hdr(block)] if { req.hdr(block) -m found }',
      'http-request del-acl(/deny.lst) %[req.hdr(unblock)] if { req.hdr(unblock) -m found }',
      'acl blocked path -f /deny.lst',
      'http-request deny if blocked',
    ],
    steps: [
      { request: { uri: '/blocked' }, outcome: 'deny' },
      { request: { uri: '/other' }, outcome: 'forward' },
      { request: { uri: '/other', headers: [['block', '/other']] }, outcome: 'deny' },
      { request: { uri: '/other' }, outcome: 'deny' },
      { request: { uri: '/x', headers: [['unblock', '/other']] }, outcome: 'forward' },
      { request: { uri: '/other' }, outcome: 'forward' },
      { request: { uri: '/x', headers: [['unblock', '/blocked']] }, outcome: 'forward' },
      { request: { uri: '/blocked' }, outcome: 'forward' },
    ],
  },
  {
    name: 'an ACL mixing a -f file and inline values keeps the inline ones after an edit',
    lines: ['http-request add-acl(/deny.lst) /added if { path /trigger }', 'http-request deny if { path -f /deny.lst /inline }'],
    steps: [
      { request: { uri: '/inline' }, outcome: 'deny' },
      { request: { uri: '/added' }, outcome: 'forward' },
      { request: { uri: '/trigger' }, outcome: 'forward' },
      { request: { uri: '/added' }, outcome: 'deny' },
      { request: { uri: '/inline' }, outcome: 'deny' },
      { request: { uri: '/blocked' }, outcome: 'deny' },
    ],
  },
  {
    name: 'the edit is seen by the rules after it in the same stream',
    lines: ['http-request set-map(/hosts.map) %[req.hdr(host)] seen', 'http-request set-header x %[req.hdr(host),map(/hosts.map,new)]'],
    steps: [{ request: hdr('host', 'h1'), header: 'seen' }],
  },
  {
    name: 'add-acl does not add a key twice, so one del-acl removes it',
    lines: ['http-request add-acl(/deny.lst) /twice if { path /add }', 'http-request del-acl(/deny.lst) /twice if { path /del }', 'http-request deny if { path -f /deny.lst }'],
    steps: [
      { request: { uri: '/add' }, outcome: 'forward' },
      { request: { uri: '/add' }, outcome: 'forward' },
      { request: { uri: '/twice' }, outcome: 'deny' },
      { request: { uri: '/del' }, outcome: 'forward' },
      { request: { uri: '/twice' }, outcome: 'forward' },
    ],
  },
  {
    name: 'map_beg and map_ip see added keys',
    lines: [
      'http-request set-map(/hosts.map) /api api if { path /learn }',
      'http-request set-map(/nets.map) 10.0.0.0/8 ten if { path /learn }',
      'http-request set-header x %[path,map_beg(/hosts.map,other)]',
      'http-request set-header x %[src,map_ip(/nets.map,none)]',
    ],
    steps: [
      { request: { uri: '/api/v1', src: '10.1.2.3' }, header: 'none' },
      { request: { uri: '/learn' } },
      { request: { uri: '/api/v1', src: '10.1.2.3' }, header: 'ten' },
      { request: { uri: '/api/v1', src: '192.168.1.1' }, header: 'lan' },
    ],
  },
];

describe('map and ACL file edits', () => {
  it.each(table)('$name', ({ lines, steps }) => {
    const p = pipelineOf(feConfig(lines), files);
    const rt = p.createRuntime();
    for (const [i, s] of steps.entries()) {
      const r = p.run(s.request, rt);
      if (s.outcome) expect(r.outcome, `step ${i + 1}`).toBe(s.outcome);
      if (s.header !== undefined) expect(r.request?.headers.find(([n]) => n === 'x')?.[1] ?? null, `step ${i + 1}`).toBe(s.header);
    }
  });

  it('edits stay in their Runtime: a fresh Runtime sees the file as loaded', () => {
    const p = pipelineOf(feConfig(['http-request del-map(/m.map) a if { path /del }', 'http-request set-header x %[str(a),map(/m.map,gone)]']), files);
    const rt = p.createRuntime();
    p.run({ uri: '/del' }, rt);
    expect(p.run({ uri: '/' }, rt).request?.headers).toContainEqual(['x', 'gone']);
    expect(p.run({ uri: '/' }, p.createRuntime()).request?.headers).toContainEqual(['x', 'x']);
  });

  it('the trace says what the edit changed', () => {
    const p = pipelineOf(feConfig(['http-request set-map(/m.map) a b', 'http-request add-acl(/deny.lst) /blocked']), files);
    const changes = p.run({ uri: '/' }, p.createRuntime()).trace.flatMap((e) => (e.type === 'rule' && e.change ? [e.change] : []));
    expect(changes.slice(0, 2)).toEqual(['/m.map: set a → b', '/deny.lst: /blocked already present']);
  });

  it('map_beg reads keys added at run time', () => {
    const p = pipelineOf(feConfig(['http-request set-map(/hosts.map) /api api', 'http-request set-header y %[path,map_beg(/hosts.map,other)]']), files);
    const rt = p.createRuntime();
    expect(p.run({ uri: '/api/v1' }, rt).request?.headers).toContainEqual(['y', 'api']);
    expect(p.run({ uri: '/web' }, rt).request?.headers).toContainEqual(['y', 'other']);
  });
});

describe('a map whose file cannot be read', () => {
  it('is reported and still gives its default (map converters are exempt from the argument guard)', () => {
    const p = compilePipeline(checkSources([{ path: 't.cfg', text: feConfig(['http-request set-header x %[path,map(/missing.map,dflt)]']) }]).model, { readFile: () => undefined });
    expect(p.problems.map((x) => x.message)).toEqual(['failed to open pattern file </missing.map>.']);
    expect(p.run({ uri: '/' }, p.createRuntime()).request?.headers).toContainEqual(['x', 'dflt']);
  });
});
