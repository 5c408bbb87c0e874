import { ChildProcess, spawn } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { freeUdpPort } from '../../sim/snmp/agent';
import { netSnmpStarted, stopNetSnmp } from './net-snmp-daemon';

/** Where our MIB lives, and the SMIv2 base modules it imports (net-snmp ships them; Debian's snmp package does not). */
export const OUR_MIBS = path.resolve(__dirname, '../../mibs');
export const BASE_MIBS = path.join(path.dirname(require.resolve('net-snmp')), 'lib/mibs');
export const MIB_PATH = `+:${BASE_MIBS}:${OUR_MIBS}`;

export interface TrapdUser {
  name: string;
  auth: { protocol: string; key: string };
  priv: { protocol: string; key: string };
  /** The sender's engine ID (hex), which v3 traps need; informs use snmptrapd's own. */
  engineID: string;
}

export interface RunningTrapd {
  port: number;
  /** Everything snmptrapd logged; each notification starts with a `NOTIFICATION` line. */
  output(): string;
  /** The notifications logged so far, each as its header line and its varbind lines. */
  notifications(): string[];
  stop(): Promise<void>;
}

/**
 * The real Net-SNMP snmptrapd on a free loopback port, with RACK-POWER-MIB loaded (`-m +RACK-POWER-MIB`),
 * logging to stdout one varbind per line, accepting the community `community` and the given v3 users.
 */
export async function startSnmptrapd(options: { community?: string; users?: TrapdUser[] } = {}): Promise<RunningTrapd> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rack-power-snmptrapd-'));
  const port = await freeUdpPort();
  const lines: string[] = [];
  if (options.community) lines.push(`authCommunity log,execute,net ${options.community}`);
  for (const user of options.users ?? []) {
    const keys = `${user.name} ${user.auth.protocol} ${user.auth.key} ${user.priv.protocol} ${user.priv.key}`;
    lines.push(`createUser -e 0x${user.engineID} ${keys}`, `createUser ${keys}`, `authUser log,execute,net ${user.name} priv`);
  }
  fs.writeFileSync(path.join(dir, 'snmptrapd.conf'), `${lines.join('\n')}\n`);
  fs.mkdirSync(path.join(dir, 'persist'));
  const child: ChildProcess = spawn('snmptrapd', ['-f', '-Lo', '-C', '-c', path.join(dir, 'snmptrapd.conf'),
    '-M', MIB_PATH, '-m', '+RACK-POWER-MIB', '-F', 'NOTIFICATION %N %P\n%V\n%v\n', `udp:127.0.0.1:${port}`], {
    env: { ...process.env, SNMP_PERSISTENT_DIR: path.join(dir, 'persist'), SNMPCONFPATH: dir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (data) => { output += data; });
  child.stderr!.on('data', () => undefined); // the default MIB list's missing modules: noise
  await netSnmpStarted(child, 'snmptrapd', () => output);
  return {
    port,
    output: () => output,
    notifications: () => output.split(/^(?=NOTIFICATION )/m).filter((part) => part.startsWith('NOTIFICATION ')),
    stop: () => stopNetSnmp(child, dir),
  };
}
