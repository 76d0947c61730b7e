// Stands in for the server's language-server-api.js inside the bundle: that module loads
// vscode-languageserver with require() through createRequire(import.meta.url), which esbuild
// does not follow; here esbuild inlines the same package (alias in bundle.mjs).
export * from 'vscode-languageserver/node';
