// ACL names HAProxy defines in every proxy (a proxy may redefine them).
import type { PredefinedAclSpec } from './types.js';

export const predefinedAcls: readonly PredefinedAclSpec[] = [
  { name: 'FALSE', expansion: 'always_false', description: 'Never matches' },
  { name: 'HTTP', expansion: 'req.proto_http', description: 'The request buffer holds HTTP' },
  { name: 'HTTP_1.0', expansion: 'req.ver 1.0', description: 'Request uses HTTP/1.0' },
  { name: 'HTTP_1.1', expansion: 'req.ver 1.1', description: 'Request uses HTTP/1.1' },
  { name: 'HTTP_2.0', expansion: 'req.ver 2.0', description: 'Request uses HTTP/2' },
  { name: 'HTTP_CONTENT', expansion: 'req.hdr_val(content-length) gt 0', description: 'Request announces a non-empty body (Content-Length > 0)' },
  { name: 'HTTP_URL_ABS', expansion: 'url_reg ^[^/:]*://', description: 'Request URI is absolute (scheme://…)' },
  { name: 'HTTP_URL_SLASH', expansion: 'url_beg /', description: 'Request URI starts with a slash' },
  { name: 'HTTP_URL_STAR', expansion: 'url *', description: 'Request URI is "*"' },
  { name: 'LOCALHOST', expansion: 'src 127.0.0.1/8 ::1', description: 'Client connects from the loopback address' },
  { name: 'METH_CONNECT', expansion: 'method CONNECT', description: 'Method is CONNECT' },
  { name: 'METH_DELETE', expansion: 'method DELETE', description: 'Method is DELETE' },
  { name: 'METH_GET', expansion: 'method GET HEAD', description: 'Method is GET or HEAD' },
  { name: 'METH_HEAD', expansion: 'method HEAD', description: 'Method is HEAD' },
  { name: 'METH_OPTIONS', expansion: 'method OPTIONS', description: 'Method is OPTIONS' },
  { name: 'METH_POST', expansion: 'method POST', description: 'Method is POST' },
  { name: 'METH_PUT', expansion: 'method PUT', description: 'Method is PUT' },
  { name: 'METH_TRACE', expansion: 'method TRACE', description: 'Method is TRACE' },
  { name: 'RDP_COOKIE', expansion: 'req.rdp_cookie_cnt gt 0', description: 'The request buffer holds an RDP cookie' },
  { name: 'REQ_CONTENT', expansion: 'req.len gt 0', description: 'Some request data has been received' },
  { name: 'TRUE', expansion: 'always_true', description: 'Always matches' },
  { name: 'WAIT_END', expansion: 'wait_end', description: 'The inspect-delay has expired' },
];
