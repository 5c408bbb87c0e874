import { execFileSync, spawn, type ChildProcess } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { connects, freeTcpPort, waitFor } from './net';

export interface Mosquitto {
  port: number;
  url: string;
  /** Everything the broker logged (it runs in the foreground, verbose). */
  log(): string;
  /** The running broker's process id (a bench reads its CPU time). */
  pid(): number | undefined;
  /** Killed hard (SIGKILL): no goodbye to its clients, as a broker that crashes. */
  kill(): Promise<void>;
  /** Started again on the same port with the same users and ACL. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export interface MosquittoOptions {
  /** user -> password; anonymous clients are refused unless `anonymous`. */
  users?: Record<string, string>;
  /** The ACL file's lines (`user site1`, `topic readwrite rackpower/v1/site1/#` ...); none: no ACL. */
  acl?: string[];
  /** Let clients in without a password (an example flow's broker config carries none). */
  anonymous?: boolean;
  /** Log errors and warnings only: a bench's thousands of messages a second, each logged, would load the machine. */
  quiet?: boolean;
  /** More mosquitto.conf lines (`set_tcp_nodelay true` ...). */
  settings?: string[];
  /** Listen here (the demo: MQTT's own 1883); a free port when unset. */
  port?: number;
  /** A TLS listener instead of plain TCP: its CA, certificate and key (PEM files), and whether clients need a certificate. */
  tls?: { cafile: string; certfile: string; keyfile: string; requireCertificate: boolean };
}

/**
 * A real Mosquitto on 127.0.0.1 (the broker of the many-sites examples in the demo, and of the
 * tests), a free port unless one is given, with password authentication and an ACL, its
 * files in a temporary folder. Run as root it drops to the `mosquitto` user, so the folder and
 * files are readable by all (nothing in them is a real secret).
 */
export async function startMosquitto(options: MosquittoOptions): Promise<Mosquitto> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rack-power-mqtt-'));
  fs.chmodSync(dir, 0o755);
  const port = options.port ?? await freeTcpPort();
  const passwd = path.join(dir, 'passwd');
  fs.writeFileSync(passwd, '');
  for (const [user, password] of Object.entries(options.users ?? {})) {
    execFileSync('mosquitto_passwd', ['-b', passwd, user, password], { stdio: 'ignore' });
  }
  const acl = path.join(dir, 'acl');
  fs.writeFileSync(acl, `${(options.acl ?? []).join('\n')}\n`);
  const conf = path.join(dir, 'mosquitto.conf');
  fs.writeFileSync(conf, [
    `listener ${port} 127.0.0.1`,
    ...(options.tls ? [`cafile ${options.tls.cafile}`, `certfile ${options.tls.certfile}`, `keyfile ${options.tls.keyfile}`,
      `require_certificate ${options.tls.requireCertificate}`] : []),
    `allow_anonymous ${options.anonymous === true}`, `password_file ${passwd}`,
    ...(options.acl ? [`acl_file ${acl}`] : []), 'persistence false', 'log_dest stdout',
    ...(options.quiet ? ['log_type error', 'log_type warning'] : ['log_type all']), ...(options.settings ?? []),
  ].join('\n') + '\n');
  for (const file of [passwd, acl, conf]) fs.chmodSync(file, 0o644);

  let child: ChildProcess | undefined;
  let output = '';
  const start = async (): Promise<void> => {
    const started = spawn('/usr/sbin/mosquitto', ['-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = started;
    // Never outlive the process that started it (mocha --exit ends without after hooks that failed).
    const orphaned = (): void => { started.kill('SIGKILL'); };
    process.once('exit', orphaned);
    started.once('exit', () => process.removeListener('exit', orphaned));
    started.stdout?.on('data', (chunk: Buffer) => { output = (output + chunk.toString()).slice(-200_000); });
    started.stderr?.on('data', (chunk: Buffer) => { output = (output + chunk.toString()).slice(-200_000); });
    await waitFor(async () => {
      if (started.exitCode !== null) throw new Error(`mosquitto exited: ${output.trim().slice(-2000)}`);
      return connects(port);
    }, 10000, `mosquitto on port ${port}`);
  };
  const end = async (signal: NodeJS.Signals): Promise<void> => {
    const running = child;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    running.kill(signal);
    await exited;
  };
  await start();
  return {
    port,
    url: `${options.tls ? 'mqtts' : 'mqtt'}://127.0.0.1:${port}`,
    log: () => output,
    pid: () => child?.pid,
    kill: () => end('SIGKILL'),
    restart: start,
    async stop() {
      await end('SIGTERM');
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
