// Every editor feature is a function that registers its handlers on the connection; it reads
// documents only through the Workspace, which owns parsing and caching.
import type { Connection } from 'vscode-languageserver';
import type { Workspace } from '../workspace.js';

export type Feature = (connection: Connection, workspace: Workspace) => void;
