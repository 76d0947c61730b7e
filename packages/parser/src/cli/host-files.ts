// The file-system view checks get for files a configuration names (`crt`, `ca-file`, `-f` of
// ACLs and maps). HAProxy resolves relative names against its current directory, so do we;
// a checker honouring `default-path` passes absolute paths instead.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export interface HostFiles {
  fileExists(path: string): boolean;
  readFile(path: string): string | undefined;
}

/** Read-only access rooted at `cwd`; never throws. */
export function hostFiles(cwd: string): HostFiles {
  return {
    fileExists: (path) => existsSync(resolve(cwd, path)),
    readFile: (path) => {
      try {
        return readFileSync(resolve(cwd, path), 'utf8');
      } catch {
        return undefined;
      }
    },
  };
}
