// Child processes a test starts (haproxy, haplo run) and must never leave behind: each is
// tracked until it exits, stopped with SIGKILL, and `stopAll` ends the stragglers in afterAll.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { waitForPorts } from './haplo-run.js';

const HAPLO = fileURLToPath(new URL('../../bin/haplo.js', import.meta.url));

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

  stopAll(): Promise<void[]> {
    return Promise.all([...this.running].map((c) => this.stop(c)));
  }
}
