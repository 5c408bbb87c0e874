import { spawn, type ChildProcess } from 'child_process';
import fs from 'fs';

export interface PtyPair {
  /** The two ends: a program opens one, the simulated device the other. */
  a: string;
  b: string;
  /** Kill socat: both ends vanish, as when a USB serial adapter is unplugged. */
  stop(): Promise<void>;
}

/**
 * A pair of linked pseudo-terminals from socat (`socat -d -d pty,raw,echo=0,link=A
 * pty,raw,echo=0,link=B`): real tty devices, so the serial transport runs through the real
 * serialport bindings.
 */
export async function startPtyPair(a: string, b: string, timeout = 5000): Promise<PtyPair> {
  const child: ChildProcess = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const spawnError = new Promise<never>((_, reject) => child.once('error', (error) => reject(new Error(`cannot start socat: ${error.message}`))));
  const ready = (async () => {
    const deadline = Date.now() + timeout;
    // socat prints "starting data transfer loop" once both ptys exist and are linked.
    while (!/starting data transfer loop/.test(stderr) || !fs.existsSync(a) || !fs.existsSync(b)) {
      if (child.exitCode !== null) throw new Error(`socat exited: ${stderr.trim()}`);
      if (Date.now() > deadline) throw new Error(`socat did not create ${a} and ${b} within ${timeout} ms: ${stderr.trim()}`);
      await new Promise((resolve) => { setTimeout(resolve, 20); });
    }
  })();
  await Promise.race([ready, spawnError]);
  return {
    a,
    b,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}
