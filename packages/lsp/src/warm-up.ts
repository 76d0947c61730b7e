// Warms the analysis code while the editor has nothing open: V8 compiles a function when it first
// runs and optimises it once it is hot, and the catalogue builds its tables on first use, so the
// first large file opened in a fresh server pays for all of that. Analysing (and editing) a small
// built-in configuration in idle time moves that cost out of the first diagnostics. It runs in
// slices between messages and stops for good as soon as a document opens, so it never delays
// start-up or a document (a file opened right away is analysed by code that is still cold).
// Idle means no input for a while too: editors send didOpen right after `initialized`, and a
// large document arrives in pieces (64 KiB through a pipe), each an event-loop turn in which a
// slice would otherwise run; a warm-up that ran there cost the first diagnostics more than it
// saved them.
import { defaultEnvironment, IncrementalDocument } from '@haplo/parser';

/** A configuration touching the common keywords, sample fetches, converters and actions. */
function sampleConfig(tenants: number): string {
  const out = [
    'global', '    log stdout format raw local0 info', '    maxconn 20000', '    stats timeout 30s', '',
    'defaults', '    mode http', '    log global', '    option httplog', '    option forwardfor', '    retries 3',
    '    timeout connect 5s', '    timeout client 30s', '    timeout server 30s', '    timeout http-request 10s', '',
    'backend rates', '    stick-table type ip size 1m expire 10m store http_req_rate(10s),conn_cur', '',
  ];
  for (let i = 0; i < tenants; i++) {
    out.push(`frontend web${i}`, `    bind :${8000 + i}`, `    bind 127.0.0.1:${9000 + i} name admin${i}`, `    maxconn ${1000 + i}`);
    out.push(`    acl api${i} path_beg /api/v${i}`, `    acl static${i} path_end .css .js .png`, `    acl host${i} hdr(host) -i app${i}.example.com`);
    out.push(`    acl lan${i} src 10.${i}.0.0/16`, `    acl write${i} method POST PUT DELETE`, `    acl item${i} path -m reg ^/v[0-9]+/items$`);
    out.push(`    acl dbg${i} url_param(debug) -m found`, `    acl many${i} req.hdr_cnt(x-forwarded-for) gt 3`, `    acl fast${i} sc_http_req_rate(0) gt 200`);
    out.push(`    http-request track-sc0 src table rates`, `    http-request deny deny_status 429 if fast${i} !lan${i}`);
    out.push(`    http-request set-header X-Tenant t${i} if host${i} || api${i}`, `    http-request set-var(txn.route) str(r${i}) if write${i}`);
    out.push(`    http-request del-header X-Debug unless dbg${i}`, `    http-request redirect location /new code 302 if item${i} { path_beg /old/ }`);
    out.push(`    http-request return status 200 content-type text/plain string ok if many${i}`, `    http-response set-header X-Served-By web${i}`);
    out.push(`    use_backend app${i} if api${i} static${i}`, `    default_backend app${i}`, '');
    out.push(`backend app${i}`, `    balance ${i % 2 ? 'leastconn' : 'roundrobin'}`, '    cookie SRV insert indirect nocache', '    option httpchk GET /health');
    out.push('    http-check expect status 200', '    default-server inter 3s fall 3 rise 2');
    for (let s = 0; s < 3; s++) out.push(`    server app${i}_${s} 10.1.${i}.${s + 1}:8080 check weight 10 maxconn 100 cookie c${s}`);
    out.push('');
  }
  return out.join('\n');
}

/** Small units of warm-up work: full analyses of the sample, then edits the way typing does. */
function* warmUpSteps(rounds: number, tenants: number): Generator<void> {
  const text = sampleConfig(tenants);
  const env = defaultEnvironment({});
  let document: IncrementalDocument | undefined;
  for (let r = 0; r < rounds; r++) {
    document = IncrementalDocument.analyse('/haplo/warm-up.cfg', text, { env, fileExists: () => true }).document;
    yield;
  }
  const at = text.indexOf('path_beg /api/v1') + 'path_beg /api/v1'.length;
  for (let i = 0; i < 20; i++) {
    document?.update(i % 2 === 0 ? `${text.slice(0, at)}7${text.slice(at)}` : text);
    if (i % 5 === 4) yield;
  }
}

/** How long the input must have been quiet before a slice runs. */
export const QUIET_MS = 100;

/**
 * Runs the warm-up one slice per event-loop turn while `idle()` holds, starting once the input
 * has been quiet for QUIET_MS and pausing while it is not (`lastInput`: when the input last
 * received data, in performance.now() time; counted from the call when not tracked). Stops for
 * good when `idle()` fails. Never throws.
 */
export function warmUpWhileIdle(idle: () => boolean, lastInput: () => number = () => -Infinity, rounds = 6, tenants = 10): void {
  const steps = warmUpSteps(rounds, tenants);
  const started = performance.now();
  const step = (): void => {
    if (!idle()) return;
    const quiet = performance.now() - Math.max(started, lastInput());
    if (quiet < QUIET_MS) {
      setTimeout(step, QUIET_MS - quiet);
      return;
    }
    try {
      if (steps.next().done) return;
    } catch {
      return; // only a warm-up: the real analyses report their own problems
    }
    setImmediate(step);
  };
  setTimeout(step, QUIET_MS);
}
