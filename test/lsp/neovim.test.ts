// A real editor as the client: headless Neovim with its built-in LSP client starts
// `haplo lsp --stdio`, opens a configuration with mistakes and writes the diagnostics it
// received to a file. Skipped when `nvim` is not installed (Debian package `neovim`).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const nvim = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
const hasNvim = nvim.status === 0;
if (!hasNvim) console.warn('neovim.test.ts skipped: `nvim` is not on PATH (apt-get install -y neovim).');

const CONFIG = `defaults
    mode http
    timeout connect 5s
    timeout client 5s
    timeout server 5s

frontend fe
    bnd :80
    default_backend be_app

backend be_app
    server app1 10.0.0.1:8080
    server app1 10.0.0.2:8080
`;

// Neovim 0.7 (Debian bookworm) has vim.lsp.start_client but not vim.lsp.start (0.8+); use
// whichever exists. A timer polls vim.diagnostic.get() rather than relying on the
// DiagnosticChanged event, whose name changed between releases.
const INIT_LUA = `
local out, file, repo = os.getenv('HAPLO_OUT'), os.getenv('HAPLO_FILE'), os.getenv('HAPLO_REPO')
vim.cmd('edit ' .. vim.fn.fnameescape(file))
vim.bo.filetype = 'haproxy'
local config = {
  name = 'haplo',
  cmd = { 'node', repo .. '/bin/haplo.js', 'lsp', '--stdio' },
  root_dir = vim.fn.fnamemodify(file, ':h'),
}
if vim.lsp.start then
  vim.lsp.start(config)
else
  vim.lsp.buf_attach_client(0, vim.lsp.start_client(config))
end
local deadline = vim.loop.now() + 15000
local timer = vim.loop.new_timer()
timer:start(50, 50, vim.schedule_wrap(function()
  local diagnostics = vim.diagnostic.get(0)
  local timed_out = vim.loop.now() > deadline
  if #diagnostics == 0 and not timed_out then return end
  timer:stop()
  local lines = {}
  for _, d in ipairs(diagnostics) do
    local lsp = d.user_data and d.user_data.lsp or {}
    local code = d.code or lsp.code
    table.insert(lines, string.format('%d\\t%d\\t%s\\t%s', d.lnum, d.col, tostring(code), d.message))
  end
  if timed_out then table.insert(lines, 'TIMEOUT') end
  vim.fn.writefile(lines, out)
  vim.cmd('qa!')
end))
`;

describe.skipIf(!hasNvim)('Neovim as the LSP client', () => {
  it('receives the diagnostics haplo check reports, with their codes and lines', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'haplo-nvim-'));
    const file = join(dir, 'haproxy.cfg');
    const out = join(dir, 'diagnostics.tsv');
    writeFileSync(file, CONFIG);
    writeFileSync(join(dir, 'init.lua'), INIT_LUA);
    writeFileSync(out, '');
    const child = spawn('nvim', ['--headless', '-n', '-i', 'NONE', '--noplugin', '-u', join(dir, 'init.lua')], {
      cwd: dir,
      env: { ...process.env, HAPLO_OUT: out, HAPLO_FILE: file, HAPLO_REPO: ROOT, XDG_STATE_HOME: dir, XDG_DATA_HOME: dir, XDG_CONFIG_HOME: dir },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    const exitCode = await new Promise<number | null>((done) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 25_000);
      child.on('exit', (code) => {
        clearTimeout(timer);
        done(code);
      });
    });
    expect(exitCode, `nvim stderr: ${stderr}`).toBe(0);
    const rows = readFileSync(out, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split('\t'));
    expect(rows.map((r) => r[0])).not.toContain('TIMEOUT');
    // Neovim counts lines from 0, like LSP.
    const found = rows.map(([line, column, code]) => ({ line: Number(line), column: Number(column), code }));
    expect(found).toEqual(
      expect.arrayContaining([
        { line: 7, column: 4, code: 'HAP2001' },
        { line: 12, column: 11, code: 'HAP4004' },
      ]),
    );
  }, 30_000);
});
