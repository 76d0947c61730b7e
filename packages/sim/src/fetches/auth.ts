// HTTP authentication fetches (http_fetch.c): the Basic credentials of the Authorization header,
// and http_auth / http_auth_group checked against a userlist compiled once at load.
import { reportProblem } from '../compile-env.js';
import { basicCredentials } from '../auth/userlists.js';
import { bool, str, type Outcome, type Sample } from '../sample/sample.js';
import type { StreamContext } from '../stream/context.js';
import { firstValue } from '../stream/headers.js';
import { plain, type CompiledFetch, type FetchDef } from './registry.js';

const authorization = (ctx: StreamContext): string | undefined => (ctx.request ? firstValue(ctx.request.headers, 'authorization') : undefined);
const credentials = (ctx: StreamContext) => basicCredentials(authorization(ctx));

/** The scheme as HAProxy names it (Basic, Digest, Bearer); no sample for another one. */
function authType(ctx: StreamContext): Outcome {
  const scheme = /^\s*(\S+)/.exec(authorization(ctx) ?? '')?.[1]?.toLowerCase();
  const name = scheme === 'basic' ? 'Basic' : scheme === 'digest' ? 'Digest' : scheme === 'bearer' ? 'Bearer' : undefined;
  return name === undefined ? undefined : str(name);
}

const NONE: CompiledFetch = { one: () => undefined };

function userlistFetch(name: string, output: 'bool' | 'str', group: boolean): FetchDef {
  return {
    name,
    output,
    compile(args, env): CompiledFetch {
      const ul = env.userlist?.(args[0] ?? '');
      if (!ul) {
        reportProblem(env, `fetch method '${name}' : unable to find userlist '${args[0] ?? ''}'`);
        return NONE;
      }
      for (const u of ul.unsupported) {
        reportProblem(env, `userlist '${ul.name}': user '${u.user}' has a '${u.scheme}' password hash, which the simulator cannot verify; ${name} treats it as a wrong password`);
      }
      if (!group) {
        return { one: (ctx) => {
          const c = credentials(ctx);
          return c ? bool(ul.check(c.user, c.pass)) : undefined;
        } };
      }
      // The plain value is the user name; an ACL tries the user's groups (pat_match_auth).
      const valid = (ctx: StreamContext) => {
        const c = credentials(ctx);
        return c && ul.check(c.user, c.pass) ? ul.users.get(c.user) : undefined;
      };
      return {
        one: (ctx) => {
          const u = valid(ctx);
          return u ? str(u.name) : undefined;
        },
        all: (ctx) => {
          const u = valid(ctx);
          const out: Sample[] = [];
          if (u) for (const g of u.groups) out.push(str(g));
          return out;
        },
      };
    },
  };
}

export const authFetches: readonly FetchDef[] = [
  userlistFetch('http_auth', 'bool', false),
  userlistFetch('http_auth_group', 'str', true),
  plain('http_auth_type', 'str', authType),
  plain('http_auth_user', 'str', (ctx) => { const c = credentials(ctx); return c ? str(c.user) : undefined; }),
  plain('http_auth_pass', 'str', (ctx) => { const c = credentials(ctx); return c ? str(c.pass) : undefined; }),
];
