// `haplo sim CONFIG [options] URL-or-path`: one request (or a `--requests` sequence sharing one
// Runtime) through the compiled pipeline, printed as a coloured trace or as JSON.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { SimInputError } from '../pipeline/request.js';
import type { SimRequest, SimResult, SimulatedReply } from '../pipeline/types.js';
import { renderJson } from '../trace/json.js';
import { renderText } from '../trace/text.js';
import type { SimIo } from './io.js';
import { loadConfig } from './load-config.js';
import { fromSpec, headerFlag, requestSpecProblem, type RequestSpec } from './requests.js';

export const SIM_USAGE = `Usage: haplo sim CONFIG [options] URL-or-path

Runs one request through the configuration, phase by phase, as HAProxy 2.6 would.

Options:
  -X, --method METHOD        request method (default GET, POST with --data)
  -H, --header 'Name: value' request header (repeatable)
  --src IP[:PORT]            client address (default 127.0.0.1:40000)
  --dst IP:PORT              address the client connected to (picks the frontend by bind)
  --frontend NAME            the frontend to use (default: the only one)
  --tls                      the client connection is TLS
  --sni NAME                 TLS server name (implies --tls)
  --data BODY                request body
  --response-status N        the simulated server's status (default 200)
  --response-header 'N: v'   a header of the simulated server's reply (repeatable)
  --env FILE                 KEY=VALUE lines for .if, \${VAR} and env()
  --requests FILE            JSON array of requests run in order on one runtime
  --json                     print JSON (an array with --requests)
  -h, --help                 show this help

Exit status: 0 simulated, 1 configuration errors, 2 misuse.
`;

function misuse(io: SimIo, message: string): number {
  io.stderr(`haplo sim: ${message}\n\n${SIM_USAGE}`);
  return 2;
}

export function runSim(args: string[], io: SimIo): number {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        method: { type: 'string', short: 'X' },
        header: { type: 'string', short: 'H', multiple: true },
        src: { type: 'string' },
        dst: { type: 'string' },
        frontend: { type: 'string' },
        tls: { type: 'boolean' },
        sni: { type: 'string' },
        data: { type: 'string' },
        'response-status': { type: 'string' },
        'response-header': { type: 'string', multiple: true },
        env: { type: 'string' },
        requests: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    return misuse(io, (e as Error).message);
  }
  const { values: f, positionals } = parsed;
  if (f.help) {
    io.stdout(SIM_USAGE);
    return 0;
  }
  const [config, target, ...extra] = positionals;
  if (config === undefined) return misuse(io, 'no configuration file');
  if (extra.length) return misuse(io, `unexpected argument '${extra[0]}'`);
  if (target === undefined && f.requests === undefined) return misuse(io, 'no URL or path to request (or --requests FILE)');

  const headers: [string, string][] = [];
  for (const h of f.header ?? []) {
    const p = headerFlag(h);
    if (!p) return misuse(io, `-H '${h}' is not 'Name: value'`);
    headers.push(p);
  }
  const replyHeaders: [string, string][] = [];
  for (const h of f['response-header'] ?? []) {
    const p = headerFlag(h);
    if (!p) return misuse(io, `--response-header '${h}' is not 'Name: value'`);
    replyHeaders.push(p);
  }
  const status = f['response-status'] === undefined ? undefined : Number(f['response-status']);
  if (status !== undefined && !(Number.isInteger(status) && status >= 100 && status <= 599)) return misuse(io, `--response-status '${f['response-status']}' is not a status code`);

  const base: SimRequest = {
    method: f.method, uri: target, headers, src: f.src, dst: f.dst, frontend: f.frontend,
    tls: f.tls || f.sni !== undefined ? true : undefined, sni: f.sni, body: f.data,
  };
  const baseReply: SimulatedReply = { status, headers: replyHeaders };

  let runs: { request: SimRequest; reply: SimulatedReply }[] = [{ request: base, reply: baseReply }];
  if (f.requests !== undefined) {
    let specs: RequestSpec[];
    try {
      specs = JSON.parse(readFileSync(resolve(io.cwd, f.requests), 'utf8')) as RequestSpec[];
      if (!Array.isArray(specs)) throw new Error('the file must hold a JSON array of requests');
      for (const [i, s] of specs.entries()) {
        const problem = requestSpecProblem(s);
        if (problem) throw new Error(`request ${i + 1}: ${problem}`);
      }
    } catch (e) {
      io.stderr(`haplo sim: --requests: ${(e as Error).message}\n`);
      return 2;
    }
    runs = specs.map((s) => {
      const { request, reply } = fromSpec(s, { ...base, uri: base.uri });
      return { request, reply: reply ?? baseReply };
    });
  }

  const loaded = loadConfig('sim', config, f.env, io);
  if (!loaded.ok) return loaded.code;
  const runtime = loaded.pipeline.createRuntime();
  const results: SimResult[] = [];
  try {
    for (const r of runs) results.push(loaded.pipeline.run(r.request, runtime, r.reply));
  } catch (e) {
    if (e instanceof SimInputError) {
      io.stderr(`haplo sim: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  if (f.json) io.stdout(renderJson(f.requests !== undefined ? results : results[0]!));
  else {
    results.forEach((r, i) => {
      const req = runs[i]!.request;
      const heading = results.length > 1 ? `request ${i + 1}: ${req.method ?? 'GET'} ${req.uri ?? '/'}` : undefined;
      io.stdout(renderText(r, io.color, heading) + (i < results.length - 1 ? '\n' : ''));
    });
  }
  return 0;
}
