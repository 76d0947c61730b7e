// HTTP connection-mode cases for connection-mode-vs-haproxy.test.ts: configs that set `option
// httpclose`, `option http-server-close`, `option http-keep-alive` (and their `no` forms) in
// defaults, frontend, backend or listen, each driven by conversations of a raw client.
import { get } from './connection-rig.js';

export interface Conversation {
  name: string;
  requests: string[];
}

export interface ModeCase {
  name: string;
  /** The proxy sections (after global/defaults timeouts); `PORT` and `ORIGIN` are filled in. */
  sections: string;
  /** Extra lines for the defaults section. */
  defaults?: string;
}

export const CONVERSATIONS: Conversation[] = [
  { name: 'three HTTP/1.1 requests', requests: [get('/a'), get('/b'), get('/c')] },
  { name: 'HTTP/1.1 with explicit keep-alive', requests: [get('/a', ['connection: keep-alive']), get('/b', ['connection: keep-alive'])] },
  { name: 'client says close', requests: [get('/a', ['connection: close']), get('/b')] },
  { name: 'HTTP/1.0 without keep-alive', requests: [get('/a', [], '1.0'), get('/b', [], '1.0')] },
  { name: 'HTTP/1.0 with keep-alive', requests: [get('/a', ['connection: keep-alive'], '1.0'), get('/b', ['connection: keep-alive'], '1.0')] },
  { name: 'server says close', requests: [get('/a', ['x-reply-connection: close']), get('/b')] },
  { name: 'server says keep-alive', requests: [get('/a', ['x-reply-connection: keep-alive']), get('/b', ['x-reply-connection: keep-alive'])] },
];

const plain = (fe: string, be: string): string => `frontend fe
  bind 127.0.0.1:PORT
${fe}  default_backend be
backend be
${be}  server s1 127.0.0.1:ORIGIN
`;

export const MODE_CASES: ModeCase[] = [
  { name: 'no option (keep-alive)', sections: plain('', '') },
  { name: 'defaults httpclose', defaults: '  option httpclose\n', sections: plain('', '') },
  { name: 'defaults http-server-close', defaults: '  option http-server-close\n', sections: plain('', '') },
  { name: 'frontend httpclose', sections: plain('  option httpclose\n', '') },
  { name: 'backend httpclose', sections: plain('', '  option httpclose\n') },
  { name: 'frontend http-server-close', sections: plain('  option http-server-close\n', '') },
  { name: 'backend http-server-close', sections: plain('', '  option http-server-close\n') },
  { name: 'frontend httpclose, backend http-keep-alive', sections: plain('  option httpclose\n', '  option http-keep-alive\n') },
  { name: 'frontend http-server-close, backend httpclose', sections: plain('  option http-server-close\n', '  option httpclose\n') },
  { name: 'defaults httpclose, no option httpclose in frontend and backend', defaults: '  option httpclose\n', sections: plain('  no option httpclose\n', '  no option httpclose\n') },
  { name: 'defaults http-server-close, frontend+backend http-keep-alive', defaults: '  option http-server-close\n', sections: plain('  option http-keep-alive\n', '  option http-keep-alive\n') },
  { name: 'defaults httpclose then http-server-close (last wins)', defaults: '  option httpclose\n  option http-server-close\n', sections: plain('', '') },
  { name: 'defaults httpclose, no option http-server-close (other mode kept)', defaults: '  option httpclose\n  no option http-server-close\n', sections: plain('', '') },
  { name: 'defaults http-server-close, frontend httpclose then no option httpclose', defaults: '  option http-server-close\n', sections: plain('  option httpclose\n  no option httpclose\n', '  option http-keep-alive\n') },
  { name: 'frontend httpclose, HAProxy\'s own reply', sections: plain('  option httpclose\n  http-request return status 200 content-type text/plain string ok if { path /a }\n', '') },
  { name: 'backend http-server-close with http-reuse always (nothing pooled)', sections: plain('', '  http-reuse always\n  option http-server-close\n') },
  { name: 'listen httpclose', sections: 'listen li\n  bind 127.0.0.1:PORT\n  option httpclose\n  server s1 127.0.0.1:ORIGIN\n' },
  { name: 'listen http-server-close', sections: 'listen li\n  bind 127.0.0.1:PORT\n  option http-server-close\n  server s1 127.0.0.1:ORIGIN\n' },
];

export function modeConfig(c: ModeCase, port: number, origin: number): string {
  return `global
  maxconn 200
defaults
  mode http
  timeout connect 2s
  timeout client 5s
  timeout server 5s
${c.defaults ?? ''}${c.sections.replaceAll('PORT', String(port)).replaceAll('ORIGIN', String(origin))}`;
}
