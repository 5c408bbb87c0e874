import { ChildProcess, spawn } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import * as snmp from 'net-snmp';
import { freeUdpPort } from '../../sim/snmp/agent';

export interface RunningSnmpsim {
  port: number;
  /** The community that serves a recording: `real-` and its file name (never a profile's id, which masking would hide). */
  community(recording: string): string;
  /** Everything snmpsimd logged so far (each request, and `SET` on a write). */
  log(): string;
  stop(): Promise<void>;
}

const COMMUNITY_PREFIX = 'real-';

/**
 * Debian's snmpsim serving recordings of real devices (`NAME.snmprec`) on loopback, on a free
 * port. The recordings are copied into a temporary data folder that the unprivileged user the
 * daemon runs as (nobody, when we are root) can read wherever the originals live; nothing is
 * copied into the repository.
 */
export async function startSnmpsim(folder: string, recordings: string[]): Promise<RunningSnmpsim> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rack-power-snmpsim-'));
  const data = path.join(dir, 'data');
  const cache = path.join(dir, 'cache');
  const logFile = path.join(dir, 'snmpsimd.log');
  fs.mkdirSync(data);
  fs.mkdirSync(cache);
  try {
    for (const recording of recordings) {
      fs.copyFileSync(path.join(folder, `${recording}.snmprec`), path.join(data, `${COMMUNITY_PREFIX}${recording}.snmprec`));
      fs.chmodSync(path.join(data, `${COMMUNITY_PREFIX}${recording}.snmprec`), 0o644);
    }
  } catch (error) {
    // A missing recording leaves no temporary folder behind.
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  fs.writeFileSync(logFile, '');
  // nobody reads the data and writes its index cache and log.
  fs.chmodSync(dir, 0o755);
  fs.chmodSync(data, 0o755);
  fs.chmodSync(cache, 0o777);
  fs.chmodSync(logFile, 0o666);
  const port = await freeUdpPort();
  const asRoot = process.getuid?.() === 0;
  const child: ChildProcess = spawn('snmpsimd', [
    `--data-dir=${data}`, `--cache-dir=${cache}`, `--agent-udpv4-endpoint=127.0.0.1:${port}`,
    `--logging-method=file:${logFile}`,
    ...(asRoot ? ['--process-user=nobody', '--process-group=nogroup'] : []),
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => { output += chunk; });
  child.stderr!.on('data', (chunk) => { output += chunk; });
  const exited = new Promise<never>((_, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`snmpsimd exited with ${code}: ${output}${readLog(logFile).slice(-2000)}`)));
  });
  exited.catch(() => undefined);
  const stop = (): Promise<void> => new Promise((resolve) => {
    child.removeAllListeners('exit');
    if (child.exitCode !== null) {
      fs.rmSync(dir, { recursive: true, force: true });
      resolve();
      return;
    }
    child.once('exit', () => {
      fs.rmSync(dir, { recursive: true, force: true });
      resolve();
    });
    child.kill('SIGTERM');
  });
  try {
    // Ready when it answers a GET for the first recording (it indexes every file first).
    await Promise.race([exited, answers(port, `${COMMUNITY_PREFIX}${recordings[0]}`, 20000)]);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    port,
    community: (recording) => `${COMMUNITY_PREFIX}${recording}`,
    log: () => readLog(logFile),
    stop,
  };
}

function readLog(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

async function answers(port: number, community: string, within: number): Promise<void> {
  const deadline = Date.now() + within;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const session = snmp.createSession('127.0.0.1', community, { port, version: snmp.Version2c, timeout: 300, retries: 0 });
      session.get(['1.3.6.1.2.1.1.2.0'], (error) => {
        session.close();
        resolve(!error);
      });
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`snmpsimd did not answer on udp ${port} within ${within} ms`);
  }
}
