import { execFile } from 'child_process';
import net from 'net';

export interface ProbeTarget {
  host: string;
  /** TCP port to connect to; without one the system's ping sends one ICMP echo. */
  port?: number;
  /** How long to wait for an answer, ms. */
  timeout?: number;
}

export interface ProbeResult {
  answering: boolean;
  /** What was tried, for messages and the audit line: `tcp 10.0.0.9:22`, `ping 10.0.0.9`. */
  method: string;
  detail: string;
}

/**
 * The Sentry power manager's appliance check: before an outlet is turned off or rebooted, see whether the
 * appliance on it still answers. With a port, it answers when that port accepts a connection
 * (a refused port is a dead service, which is what a watchdog reboots for); without one, when
 * it answers a ping.
 */
export function probeAppliance(target: ProbeTarget): Promise<ProbeResult> {
  const timeout = target.timeout ?? 2000;
  return target.port ? probeTcp(target.host, target.port, timeout) : probePing(target.host, timeout);
}

function probeTcp(host: string, port: number, timeout: number): Promise<ProbeResult> {
  const method = `tcp ${host}:${port}`;
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const finish = (answering: boolean, detail: string): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ answering, method, detail });
    };
    const timer = setTimeout(() => finish(false, `no answer within ${timeout} ms`), timeout);
    socket.once('connect', () => finish(true, 'connection accepted'));
    socket.once('error', (error: NodeJS.ErrnoException) => {
      finish(false, error.code === 'ECONNREFUSED' ? 'connection refused (nothing listens on that port)' : error.code ?? error.message);
    });
  });
}

function probePing(host: string, timeout: number): Promise<ProbeResult> {
  const method = `ping ${host}`;
  const seconds = Math.max(1, Math.ceil(timeout / 1000));
  const args = process.platform === 'win32'
    ? ['-n', '1', '-w', String(timeout), host]
    : ['-c', '1', '-W', String(seconds), host];
  return new Promise((resolve) => {
    execFile('ping', args, { timeout: timeout + 2000 }, (error, stdout, stderr) => {
      if (!error) {
        resolve({ answering: true, method, detail: 'echo reply' });
      } else if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        // Without ping we cannot tell: treat as answering so the safety check fails closed.
        resolve({ answering: true, method, detail: 'no ping command on this system: set a TCP probe port' });
      } else {
        resolve({ answering: false, method, detail: (stderr || stdout || error.message).trim().split('\n').pop() ?? '' });
      }
    });
  });
}
