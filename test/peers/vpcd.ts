import { spawn, type ChildProcess } from 'child_process';
import { freeTcpPort, isListening, waitFor } from './ports';

export interface Vpcd {
  port: number;
  stop(): Promise<void>;
}

/**
 * PowerMan's virtual power controller, `vpcd --port N` (Debian package powerman): a real,
 * independent command-line device with 16 plugs. It accepts one TCP connection in its life.
 */
export async function startVpcd(): Promise<Vpcd> {
  const port = await freeTcpPort();
  const child: ChildProcess = spawn('/usr/sbin/vpcd', ['--port', String(port)], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await Promise.race([
    waitFor(() => isListening(port), 5000, `vpcd on port ${port}`),
    new Promise<never>((_, reject) => child.once('error', (error) => reject(new Error(`cannot start vpcd: ${error.message}`)))),
  ]);
  return {
    port,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}
