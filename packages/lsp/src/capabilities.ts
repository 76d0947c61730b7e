// What the server announces to the editor; each feature module implements one entry.
import type { ServerCapabilities } from 'vscode-languageserver';

export const capabilities: ServerCapabilities = {};
