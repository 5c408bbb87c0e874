import { spawn, type ChildProcess } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { connects, freeTcpPort, waitFor } from './net';

export interface Powermand {
  port: number;
  dir: string;
  /** Everything powermand printed (it runs in the foreground with -f). */
  log(): string;
  stop(): Promise<void>;
}

export interface PowermandOptions {
  /** vpcd devices, each with 16 plugs; device i gets nodes `<prefix>[0-15]`. */
  devices?: Array<{ name: string; nodes: string }>;
  /** A device whose coprocess never starts (its nodes answer `unknown`). */
  deadDevice?: { name: string; nodes: string };
  /** Listen here (to restart on the same port); a free port when unset. */
  port?: number;
}

/**
 * A real powermand (Debian's powerman) driving PowerMan's own virtual power controller, vpcd, as
 * coprocess devices: a PowerMan server to talk to without cluster hardware. On 127.0.0.1, a free
 * port unless one is given, its configuration in a temporary directory. The demo runs one; the
 * tests start their own.
 */
export async function startPowermand(options: PowermandOptions = {}): Promise<Powermand> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rack-power-pm-'));
  const port = options.port ?? await freeTcpPort();
  const devices = options.devices ?? [{ name: 'test0', nodes: 't[0-15]' }];
  const lines = ['include "/etc/powerman/vpc.dev"', `listen "127.0.0.1:${port}"`];
  for (const device of devices) {
    lines.push(`device "${device.name}" "vpc" "/usr/sbin/vpcd |&"`, `node "${device.nodes}" "${device.name}"`);
  }
  if (options.deadDevice) {
    // vpc.dev's script with a 1 s timeout, so that waiting for the dead device stays short.
    fs.writeFileSync(path.join(dir, 'quick.dev'), fs.readFileSync('/etc/powerman/vpc.dev', 'utf8')
      .replace('specification "vpc"', 'specification "vpcquick"').replace(/timeout\s+5\.0/, 'timeout 1.0'));
    lines.push(`include "${path.join(dir, 'quick.dev')}"`);
    lines.push(`device "${options.deadDevice.name}" "vpcquick" "/bin/false |&"`, `node "${options.deadDevice.nodes}" "${options.deadDevice.name}" "[0-1]"`);
  }
  const conf = path.join(dir, 'powerman.conf');
  fs.writeFileSync(conf, `${lines.join('\n')}\n`);
  const child: ChildProcess = spawn('/usr/sbin/powermand', ['-c', conf, '-f'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  child.stderr?.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await waitFor(async () => {
    if (child.exitCode !== null) throw new Error(`powermand exited: ${output.trim()}`);
    return connects(port);
  }, 10000, `powermand on port ${port}`);
  return {
    port,
    dir,
    log: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
