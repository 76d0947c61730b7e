// Child processes a test starts (haproxy, haplo run) and must never leave behind: each is
// tracked until it exits, stopped with SIGKILL, and `stopAll` ends the stragglers in afterAll.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitForPorts } from './haplo-run.js';
import { portBlock } from './ports.js';

const HAPLO = fileURLToPath(new URL('../../bin/haplo.js', import.meta.url));

/** The ports of one side-by-side case: each proxy's listener and its own origin. */
export interface SideBySidePorts {
  haproxy: number;
  haplo: number;
  haproxyOrigin: number;
  haploOrigin: number;
}

/** HAProxy and `haplo run` serving the same case side by side, both listening. */
export interface Peers {
  haproxy: ChildProcess;
  haplo: ChildProcess;
}

export class ChildProcesses {
  private readonly running = new Set<ChildProcess>();

  /** Starts `command` with stdout ignored and stderr piped (for failure messages). */
  start(command: string, args: string[]): ChildProcess {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    this.running.add(child);
    child.on('exit', () => this.running.delete(child));
    return child;
  }

  /** Kills the child and resolves once it has exited. */
  stop(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((res) => {
      child.on('exit', () => res());
      child.kill('SIGKILL');
    });
  }

  /**
   * `haproxy -db -f haproxyFile` and `haplo run -f haploFile`, resolved once each listens on its
   * port; when one does not, both are stopped and the error says which, with haplo's stderr.
   */
  async startPeers(haproxyFile: string, haploFile: string, ports: { haproxy: number; haplo: number }): Promise<Peers> {
    const haproxy = this.start('haproxy', ['-db', '-f', haproxyFile]);
    const haplo = this.start(process.execPath, [HAPLO, 'run', '-f', haploFile]);
    let haploErr = '';
    haplo.stderr!.on('data', (d) => (haploErr += d));
    let problem: string | undefined;
    if (!(await waitForPorts([ports.haproxy], 3000))) problem = `haproxy did not listen on ${ports.haproxy}`;
    else if (!(await waitForPorts([ports.haplo], 5000))) problem = `haplo run did not listen on ${ports.haplo}:\n${haploErr}`;
    if (problem) {
      await Promise.all([this.stop(haproxy), this.stop(haplo)]);
      throw new Error(problem);
    }
    return { haproxy, haplo };
  }

  /**
   * One differential case: an origin each (`startOrigin`), HAProxy and `haplo run` on the config
   * `config(listenPort, originPort)` (written under `dir`), then `run`; every process and origin is
   * stopped afterwards, whatever `run` did.
   */
  async sideBySide<O extends { close(): Promise<void> }, T>(
    dir: string,
    startOrigin: (port: number) => Promise<O>,
    config: (port: number, originPort: number) => string,
    run: (ports: SideBySidePorts, origins: [haproxy: O, haplo: O]) => Promise<T>,
  ): Promise<T> {
    const base = portBlock(4);
    const ports: SideBySidePorts = { haproxy: base, haplo: base + 1, haproxyOrigin: base + 2, haploOrigin: base + 3 };
    const origins: [O, O] = [await startOrigin(ports.haproxyOrigin), await startOrigin(ports.haploOrigin)];
    writeFileSync(join(dir, 'h.cfg'), config(ports.haproxy, ports.haproxyOrigin));
    writeFileSync(join(dir, 'r.cfg'), config(ports.haplo, ports.haploOrigin));
    let peers: Peers | undefined;
    try {
      peers = await this.startPeers(join(dir, 'h.cfg'), join(dir, 'r.cfg'), { haproxy: ports.haproxy, haplo: ports.haplo });
      return await run(ports, origins);
    } finally {
      await Promise.all([...(peers ? [this.stop(peers.haproxy), this.stop(peers.haplo)] : []), ...origins.map((o) => o.close())]);
    }
  }

  stopAll(): Promise<void[]> {
    return Promise.all([...this.running].map((c) => this.stop(c)));
  }
}
