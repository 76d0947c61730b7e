#!/usr/bin/env node
// The `haplo` command: maps a subcommand to the compiled CLI of the package that owns it.
// No logic lives here; each package's `cli.ts` parses its own flags and returns an exit code.

const USAGE = `haplo — a toolchain for HAProxy 2.6 configurations

Usage: haplo <command> [options] [files…]

Commands:
  check   report syntax and semantic problems in configuration files
  fmt     format configuration files (comment- and .if-preserving)
  lsp     language server for editors (haplo lsp --stdio)
  sim     simulate a request through a configuration, phase by phase
  run     serve a configuration as a live proxy (haplo run -f CONFIG)
  test    run request/expectation files against a configuration

Run 'haplo help <command>' or 'haplo <command> --help' for a command's options.
`;

/** Subcommands that exist in this build, and the module that implements them. */
const COMMANDS = {
  check: '../packages/parser/dist/cli.js',
  fmt: '../packages/parser/dist/cli.js',
  lsp: '../packages/lsp/dist/cli.js',
  run: '../packages/proxy/dist/cli.js',
  sim: '../packages/sim/dist/cli.js',
  test: '../packages/sim/dist/cli.js',
};

async function dispatch(argv) {
  let [command, ...rest] = argv;
  if (command === undefined) {
    process.stderr.write(USAGE);
    return 2;
  }
  if (command === '--help' || command === '-h') {
    process.stdout.write(USAGE);
    return 0;
  }
  if (command === 'help') {
    if (rest.length === 0) {
      process.stdout.write(USAGE);
      return 0;
    }
    command = rest[0];
    rest = ['--help'];
  }
  if (command === '--version' || command === '-V') {
    process.stdout.write('haplo 0.1.0\n');
    return 0;
  }
  if (!Object.hasOwn(COMMANDS, command)) {
    process.stderr.write(`haplo: unknown command '${command}'.\n\n${USAGE}`);
    return 2;
  }
  const url = new URL(COMMANDS[command], import.meta.url);
  let cli;
  try {
    cli = await import(url.href);
  } catch (error) {
    const missing = error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.url ?? url.href);
    if (!missing || !missing.startsWith(new URL('../packages/', import.meta.url).href)) throw error;
    process.stderr.write(`haplo: the build is missing ${new URL(missing).pathname}; run 'npm run build'.\n`);
    return 2;
  }
  return cli.main([command, ...rest]);
}

process.exitCode = await dispatch(process.argv.slice(2));
