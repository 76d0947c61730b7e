// Final HTTP actions that answer the client: deny, tarpit, return and auth. Their reply options
// (status, content-type, string/lf-string/file/lf-file/errorfile/errorfiles, hdr) are
// HAProxy's http_parse_http_reply; the wire order observed on 2.6 is: the `hdr` lines,
// content-length (absent for 204/304), then content-type. A bare deny/tarpit answers with the
// proxy's error message for its status (errorfiles honoured), a bare return with an empty 200.
import type { Word } from '@haplo/parser';
import { reportProblem, type CompileEnv } from '../compile-env.js';
import { parseErrorFile } from '../responses/errorfiles.js';
import { byteLength, type Reply } from '../responses/reply.js';
import { ERROR_CODES, reasonPhrase } from '../responses/status.js';
import type { StreamContext } from '../stream/context.js';
import { logFormat } from './args.js';
import type { ActionCompileContext, ActionCompiler, ActionRun, Outcome } from './types.js';

const WITH_VALUE = new Set(['status', 'deny_status', 'content-type', 'string', 'lf-string', 'file', 'lf-file', 'errorfile', 'errorfiles']);

export interface ReplySpec {
  status: number;
  /** Build the reply for one stream. */
  build(run: ActionRun): Reply;
  /** Short description for the trace. */
  describe: string;
}

/** A word standing for file contents, so lf-file can go through the log-format parser. */
function syntheticWord(value: string, at: Word): Word {
  return { text: value, value, range: at.range, quoted: true };
}

/** Parses the reply options of deny/tarpit/return; `defaultStatus` when none is written. */
export function compileReplySpec(cx: ActionCompileContext, words: readonly Word[], defaultStatus: number, bare: 'error' | 'empty'): ReplySpec {
  const env: CompileEnv = cx.env;
  let status = defaultStatus;
  let contentType: string | undefined;
  let body: ((ctx: StreamContext) => string) | undefined;
  let file: Reply | undefined;
  let errorfiles: string | undefined;
  let defaultErrorfiles = false;
  const hdrs: [string, (ctx: StreamContext) => string][] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!.value;
    const next = words[i + 1];
    if (w === 'hdr') {
      hdrs.push([words[i + 1]?.value ?? '', logFormat(words[i + 2], env)]);
      i += 2;
      continue;
    }
    if (w === 'default-errorfiles') { defaultErrorfiles = true; continue; }
    if (!WITH_VALUE.has(w)) {
      reportProblem(env, `'${cx.ruleSet} ${cx.rule.actionName}': unexpected keyword '${w}'.`, words[i]!.range);
      continue;
    }
    i++;
    if (!next) break;
    switch (w) {
      case 'status':
      case 'deny_status': {
        status = Number(next.value);
        const known = bare === 'error' ? ERROR_CODES.includes(status) : status >= 200 && status <= 599;
        if (!known) reportProblem(env, `Unexpected status code '${next.value}'.`, next.range);
        break;
      }
      case 'content-type': contentType = next.value; break;
      case 'string': { const t = next.value; body = () => t; break; }
      case 'lf-string': body = logFormat(next, env); break;
      case 'file':
      case 'lf-file': {
        const text = env.readFile?.(next.value);
        if (text === undefined) { reportProblem(env, `failed to open file '${next.value}'.`, next.range); break; }
        body = w === 'file' ? () => text : logFormat(syntheticWord(text, next), env);
        break;
      }
      case 'errorfile': {
        const text = env.readFile?.(next.value);
        if (text === undefined) { reportProblem(env, `failed to open file '${next.value}'.`, next.range); break; }
        file = parseErrorFile(text);
        if (!file) reportProblem(env, `unable to parse <${next.value}> as an HTTP response.`, next.range);
        break;
      }
      case 'errorfiles': errorfiles = next.value; break;
    }
  }
  const custom = contentType !== undefined || body !== undefined || hdrs.length > 0;
  if (file) {
    const f = file;
    return { status, describe: `${status} from errorfile`, build: () => ({ ...f, headers: f.headers.map(([n, v]) => [n, v]) }) };
  }
  if (errorfiles !== undefined) {
    const section = cx.httpErrors.get(errorfiles, env);
    if (!section) reportProblem(env, `unknown http-errors section '${errorfiles}'.`, cx.rule.range);
    return {
      status,
      describe: `${status} from http-errors ${errorfiles}`,
      build: (run) => {
        const r = section?.get(status);
        if (r) return { ...r, headers: r.headers.map(([n, v]) => [n, v]) };
        // A section without this status: HAProxy warns at load and answers an empty message.
        return section ? { status, reason: reasonPhrase(status), headers: [['content-length', '0']], body: '' } : run.errorReply(status);
      },
    };
  }
  if (!custom && (bare === 'error' || defaultErrorfiles)) {
    return { status, describe: `${status} (HAProxy's message)`, build: (run) => run.errorReply(status) };
  }
  const noLength = status === 204 || status === 304;
  return {
    status,
    describe: `${status}${contentType ? ` ${contentType}` : ''}`,
    build: ({ ctx }) => {
      const headers: [string, string][] = hdrs.map(([n, v]) => [n.toLowerCase(), v(ctx)]);
      const text = body ? body(ctx) : '';
      if (!noLength) headers.push(['content-length', String(byteLength(text))]);
      if (contentType !== undefined && !noLength) headers.push(['content-type', contentType]);
      return { status, reason: reasonPhrase(status), headers, body: noLength ? '' : text };
    },
  };
}

const replying = (outcome: Outcome, defaultStatus: number, bare: 'error' | 'empty'): ActionCompiler => (cx) => {
  // On the response side a bare deny answers 502 (the server's reply is refused), not 403.
  const status = outcome === 'deny' && cx.ruleSet !== 'http-request' ? 502 : defaultStatus;
  const spec = compileReplySpec(cx, cx.args, status, bare);
  return (run) => ({ kind: 'final', outcome, reply: spec.build(run), change: `${outcome} ${spec.describe}` });
};

const auth: ActionCompiler = (cx) => {
  const realm = cx.args[0]?.value === 'realm' ? cx.args[1]?.value ?? cx.proxy.name : cx.proxy.name;
  const proxyAuth = cx.proxy.options.get('http-use-proxy-header')?.value === true;
  return (run) => {
    const absolute = /^[a-z][a-z0-9+.-]*:\/\//i.test(run.ctx.request?.uri ?? '');
    const code = proxyAuth && absolute ? 407 : 401;
    const reply = run.errorReply(code);
    reply.headers.push([code === 407 ? 'proxy-authenticate' : 'www-authenticate', `Basic realm="${realm}"`]);
    return { kind: 'final', outcome: 'deny', reply, change: `auth ${code} realm "${realm}"` };
  };
};

export const replyActions: Record<string, ActionCompiler> = {
  deny: replying('deny', 403, 'error'),
  tarpit: replying('tarpit', 500, 'error'),
  return: replying('return', 200, 'empty'),
  auth,
};
