import type { ChildProcess } from 'child_process';
import fs from 'fs';

/**
 * Resolves once a Net-SNMP daemon (snmpd, snmptrapd) run in the foreground has printed its
 * "NET-SNMP version" banner; rejects if it exits first or stays silent for 5 s.
 */
export function netSnmpStarted(child: ChildProcess, name: string, output: () => string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const deadline = setTimeout(() => reject(new Error(`${name} did not start: ${output()}`)), 5000);
    const check = setInterval(() => {
      if (/NET-SNMP version/.test(output())) {
        clearInterval(check);
        clearTimeout(deadline);
        resolve();
      }
    }, 20);
    child.once('exit', (code) => {
      clearInterval(check);
      clearTimeout(deadline);
      reject(new Error(`${name} exited with ${code}: ${output()}`));
    });
  });
}

/** Stops the daemon (SIGTERM) and removes its folder once it has exited. */
export function stopNetSnmp(child: ChildProcess, dir: string): Promise<void> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', () => {
      fs.rmSync(dir, { recursive: true, force: true });
      resolve();
    });
    child.kill('SIGTERM');
  });
}
