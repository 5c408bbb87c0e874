import { ChildProcess, spawn } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { freeUdpPort } from '../../sim/snmp/agent';
import { netSnmpStarted, stopNetSnmp } from './net-snmp-daemon';

export interface SnmpdUser {
  name: string;
  auth?: { protocol: string; key: string };
  priv?: { protocol: string; key: string };
  /** read-write (rwuser) or read-only (rouser). */
  write?: boolean;
}

export interface RunningSnmpd {
  port: number;
  stop(): Promise<void>;
}

/**
 * A real Net-SNMP snmpd on loopback with the given v3 users (and `public` read-only), in a
 * temporary directory, on a free port.
 */
export async function startSnmpd(users: SnmpdUser[]): Promise<RunningSnmpd> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rack-power-snmpd-'));
  const port = await freeUdpPort();
  const lines = [`agentAddress udp:127.0.0.1:${port}`, 'rocommunity public 127.0.0.1'];
  for (const user of users) {
    const auth = user.auth ? ` ${user.auth.protocol} ${user.auth.key}` : '';
    const priv = user.priv ? ` ${user.priv.protocol} ${user.priv.key}` : '';
    lines.push(`createUser ${user.name}${auth}${priv}`);
    const level = user.priv ? 'priv' : user.auth ? 'auth' : 'noauth';
    lines.push(`${user.write ? 'rwuser' : 'rouser'} ${user.name} ${level}`);
  }
  fs.writeFileSync(path.join(dir, 'snmpd.conf'), `${lines.join('\n')}\n`);
  fs.mkdirSync(path.join(dir, 'persist'));
  const child: ChildProcess = spawn('snmpd', ['-f', '-Lo', '-C', '-c', path.join(dir, 'snmpd.conf'), '-p', path.join(dir, 'pid')], {
    env: { ...process.env, SNMP_PERSISTENT_DIR: path.join(dir, 'persist'), MIBS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (data) => { output += data; });
  child.stderr!.on('data', (data) => { output += data; });
  await netSnmpStarted(child, 'snmpd', () => output);
  return {
    port,
    stop: () => stopNetSnmp(child, dir),
  };
}
