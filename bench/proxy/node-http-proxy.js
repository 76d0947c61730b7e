// The "plain Node" peer: a reverse proxy on node:http with keep-alive upstream agents, doing the
// same routing as the benchmark config (path /api/ → two round-robin servers, else the first;
// one header set).   node node-http-proxy.js PORT ORIGIN1 ORIGIN2
import http from 'node:http';

const [port, o1, o2] = process.argv.slice(2).map(Number);
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
let rr = 0;

http.createServer((req, res) => {
  const target = req.url.startsWith('/api/') ? (rr++ % 2 === 0 ? o1 : o2) : o1;
  const headers = { ...req.headers, 'x-bench': 'node' };
  const up = http.request({ host: '127.0.0.1', port: target, method: req.method, path: req.url, headers, agent }, (r) => {
    res.writeHead(r.statusCode, r.headers);
    r.pipe(res);
  });
  up.on('error', () => { res.statusCode = 502; res.end(); });
  req.pipe(up);
}).listen(port, '127.0.0.1');
