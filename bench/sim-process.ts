import { ChildProcess, spawn } from 'child_process';
import path from 'path';

export interface SimProcess {
  ports: number[];
  stop(): void;
}

/**
 * rack-power-sim in a child process, so that its CPU is not counted as the client's.
 * Resolves once every device listens.
 */
export function startSimProcess(kind: string, ports: number[], outlets: number): Promise<SimProcess> {
  const cli = path.resolve(__dirname, '../sim/cli.js');
  const child: ChildProcess = spawn(process.execPath, [cli, ...ports.map((port) => `${kind}:${port}`), '--outlets', String(outlets), '--json'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (data) => {
      output += data;
      if (output.includes('\n')) resolve({ ports, stop: () => child.kill('SIGTERM') });
    });
    child.once('exit', (code) => reject(new Error(`rack-power-sim exited with ${code}`)));
  });
}
