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
  /**
   * The probe cannot be made on this system (no ping command, or ping not permitted for this
   * user), and why, with what to do. `answering` is then true: an appliance check that cannot
   * look refuses rather than cut power to what may be running.
   */
  unusable?: string;
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
        return;
      }
      const said = (stderr || stdout || error.message).trim();
      const unusable = (error as NodeJS.ErrnoException).code === 'ENOENT'
        ? 'there is no ping command on this system: probe a TCP port of the host instead'
        : pingNotPermitted(said);
      // Without a ping that works we cannot tell: answering, so the appliance check fails closed.
      if (unusable) resolve({ answering: true, method, detail: unusable, unusable });
      else resolve({ answering: false, method, detail: said.split('\n').pop() ?? '' });
    });
  });
}

/**
 * A ping this user may not send, said plainly. Without root, the ping command needs its setuid
 * bit or cap_net_raw, or Linux's unprivileged ICMP sockets (net.ipv4.ping_group_range including
 * the user's group); when none applies it fails with a permission error (iputils: "socktype:
 * SOCK_RAW", "Operation not permitted", "missing cap_net_raw+p capability or setuid?"), which is
 * not a host that does not answer.
 */
function pingNotPermitted(said: string): string | undefined {
  if (!/operation not permitted|permission denied|socktype|icmp open socket|cap_net_raw|setuid/i.test(said)) return undefined;
  const reason = said.split('\n').map((line) => line.trim()).filter(Boolean).pop() ?? said;
  return `this user may not ping (${reason}): give the ping command cap_net_raw, let the user's group `
    + 'use ICMP sockets (sysctl net.ipv4.ping_group_range), or probe a TCP port of the host instead';
}
