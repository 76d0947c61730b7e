// The `http-proxy` package peer, with the same routing as the benchmark config.
//   node http-proxy-peer.js PORT ORIGIN1 ORIGIN2
import http from 'node:http';
import httpProxy from 'http-proxy';

const [port, o1, o2] = process.argv.slice(2).map(Number);
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
const proxy = httpProxy.createProxyServer({ agent });
proxy.on('error', (_e, _req, res) => { res.statusCode = 502; res.end(); });
let rr = 0;

http.createServer((req, res) => {
  const target = req.url.startsWith('/api/') ? (rr++ % 2 === 0 ? o1 : o2) : o1;
  req.headers['x-bench'] = 'http-proxy';
  proxy.web(req, res, { target: `http://127.0.0.1:${target}` });
}).listen(port, '127.0.0.1');
