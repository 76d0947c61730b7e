// What each sample fetch needs, in HAProxy's own words (the `use` source names printed by
// `haproxy -c` in "… needs 'X' which is not available here"). Generated once from the 2.6.12 binary
// by using every fetch in a phase where it is not available; fetches valid everywhere are absent.

const NEEDS: Record<string, readonly string[]> = {
  "HTTP request": [
    'capture.req.hdr', 'capture.req.method', 'capture.req.uri', 'capture.req.ver', 'capture.res.ver',
    'http_first_req', 'method', 'req.proto_http', 'req_proto_http',
  ],
  "HTTP request headers": [
    'base', 'base32', 'base32+src', 'baseq', 'cook', 'cook_cnt', 'cook_val', 'fcgi.docroot', 'fcgi.index',
    'hdr_cnt', 'hdr_ip', 'hdr_val', 'http_auth', 'http_auth_bearer', 'http_auth_group', 'http_auth_pass',
    'http_auth_type', 'http_auth_user', 'path', 'pathq', 'query', 'req.body', 'req.body_len',
    'req.body_param', 'req.body_size', 'req.cook', 'req.cook_cnt', 'req.cook_val', 'req.fhdr', 'req.fhdr_cnt',
    'req.hdr', 'req.hdr_cnt', 'req.hdr_ip', 'req.hdr_names', 'req.hdr_val', 'req.hdrs', 'req.hdrs_bin',
    'req.ver', 'req_ver', 'url', 'url32', 'url32+src', 'url_ip', 'url_param', 'url_port', 'urlp', 'urlp_val',
  ],
  "HTTP request headers,HTTP response headers": [
    'cookie', 'hdr', 'internal.htx.data', 'internal.htx.free', 'internal.htx.free_data',
    'internal.htx.has_eom', 'internal.htx.nbblks', 'internal.htx.size', 'internal.htx.used',
  ],
  "HTTP response": [
    'capture.res.hdr', 'res.cache_hit', 'res.cache_name', 'res.comp', 'res.comp_algo', 'status',
  ],
  "HTTP response headers": [
    'res.body', 'res.body_len', 'res.body_size', 'res.cook', 'res.cook_cnt', 'res.cook_val', 'res.fhdr',
    'res.fhdr_cnt', 'res.hdr', 'res.hdr_cnt', 'res.hdr_ip', 'res.hdr_names', 'res.hdr_val', 'res.hdrs',
    'res.hdrs_bin', 'res.ver', 'resp_ver', 'scook', 'scook_cnt', 'scook_val', 'shdr', 'shdr_cnt', 'shdr_ip',
    'shdr_val',
  ],
  "backend": [
    'be_id', 'be_name', 'be_server_timeout', 'be_tunnel_timeout', 'cur_server_timeout', 'cur_tunnel_timeout',
  ],
  "client-side connection": [
    'ssl_c_ca_err', 'ssl_c_ca_err_depth', 'ssl_c_chain_der', 'ssl_c_der', 'ssl_c_err', 'ssl_c_i_dn',
    'ssl_c_key_alg', 'ssl_c_notafter', 'ssl_c_notbefore', 'ssl_c_s_dn', 'ssl_c_serial', 'ssl_c_sha1',
    'ssl_c_sig_alg', 'ssl_c_used', 'ssl_c_verify', 'ssl_c_version', 'ssl_f_der', 'ssl_f_i_dn',
    'ssl_f_key_alg', 'ssl_f_notafter', 'ssl_f_notbefore', 'ssl_f_s_dn', 'ssl_f_serial', 'ssl_f_sha1',
    'ssl_f_sig_alg', 'ssl_f_version', 'ssl_fc', 'ssl_fc_alg_keysize', 'ssl_fc_alpn', 'ssl_fc_cipher',
    'ssl_fc_cipherlist_bin', 'ssl_fc_cipherlist_hex', 'ssl_fc_cipherlist_str', 'ssl_fc_cipherlist_xxh',
    'ssl_fc_client_early_traffic_secret', 'ssl_fc_client_handshake_traffic_secret', 'ssl_fc_client_random',
    'ssl_fc_client_traffic_secret_0', 'ssl_fc_early_exporter_secret', 'ssl_fc_ecformats_bin',
    'ssl_fc_eclist_bin', 'ssl_fc_err', 'ssl_fc_err_str', 'ssl_fc_exporter_secret', 'ssl_fc_extlist_bin',
    'ssl_fc_has_crt', 'ssl_fc_has_early', 'ssl_fc_has_sni', 'ssl_fc_is_resumed', 'ssl_fc_npn',
    'ssl_fc_protocol', 'ssl_fc_protocol_hello_id', 'ssl_fc_server_handshake_traffic_secret',
    'ssl_fc_server_random', 'ssl_fc_server_traffic_secret_0', 'ssl_fc_session_id', 'ssl_fc_session_key',
    'ssl_fc_sni', 'ssl_fc_unique_id', 'ssl_fc_use_keysize', 'ssl_s_chain_der', 'ssl_s_der', 'ssl_s_i_dn',
    'ssl_s_key_alg', 'ssl_s_notafter', 'ssl_s_notbefore', 'ssl_s_s_dn', 'ssl_s_serial', 'ssl_s_sha1',
    'ssl_s_sig_alg', 'ssl_s_version',
  ],
  "request buffer": [
    'rdp_cookie', 'rdp_cookie_cnt', 'req.len', 'req.payload', 'req.payload_lv', 'req.rdp_cookie',
    'req.rdp_cookie_cnt', 'req.ssl_alpn', 'req.ssl_ec_ext', 'req.ssl_hello_type', 'req.ssl_sni',
    'req.ssl_st_ext', 'req.ssl_ver', 'req_len', 'req_ssl_hello_type', 'req_ssl_sni', 'req_ssl_ver',
  ],
  "request buffer,response buffer": [
    'payload', 'payload_lv',
  ],
  "response buffer": [
    'rep_ssl_hello_type', 'res.len', 'res.payload', 'res.payload_lv', 'res.ssl_hello_type',
  ],
  "server": [
    'srv_id', 'srv_name',
  ],
  "server address": [
    'bc_dst', 'bc_dst_port', 'bc_err', 'bc_err_str', 'bc_http_major', 'bc_src', 'bc_src_port',
  ],
  "server-side connection": [
    'ssl_bc', 'ssl_bc_alg_keysize', 'ssl_bc_alpn', 'ssl_bc_cipher', 'ssl_bc_client_random', 'ssl_bc_err',
    'ssl_bc_err_str', 'ssl_bc_is_resumed', 'ssl_bc_npn', 'ssl_bc_protocol', 'ssl_bc_server_random',
    'ssl_bc_session_id', 'ssl_bc_session_key', 'ssl_bc_unique_id', 'ssl_bc_use_keysize',
  ],
};

const byFetch = new Map<string, string>();
for (const [need, names] of Object.entries(NEEDS)) for (const n of names) byFetch.set(n, need);

/** What HAProxy says a fetch needs, or undefined when unknown. */
export function fetchNeeds(name: string): string | undefined {
  return byFetch.get(name);
}
