// Many sites on one real Mosquitto: S sites x D fake PDUs x N outlets (SiteSpokes in child
// processes, each site its own MQTT client, publishing every interval), and a hub (a Device on a
// RemoteSiteDriver per remote device, in a process of its own), then two hubs sharing the
// readings with MQTT v5 shared subscriptions. Prints the hub's CPU per snapshot, the broker's
// message rate, command latency and the hub's memory per remote device.
// Run: npx tsc -p . && node bench/sites.js [--sites 200] [--pdus 10] [--outlets 48] [--interval 10]
//      [--duration 30] [--commands 200] [--spoke-processes 1] [--nodelay 0|1: TCP_NODELAY at the broker and the clients]
//      [--max-queued 0: Mosquitto's max_queued_messages, the QoS 1 messages it holds per client beyond those in
//      flight; 0 = no limit. Mosquitto's own default, 1000, drops the retained messages past about 1020 that a
//      hub subscribing to many devices at once is sent: its devices then wait for descriptions that never come]   (or BENCH_SITES_<NAME>=..., e.g. BENCH_SITES_SITES=50)
import { fork, spawnSync, type ChildProcess } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import mqtt from 'mqtt';
import { startMosquitto } from '../test/peers/mosquitto';
import type { HubRequest } from './sites/hub';
import type { SpokesConfig } from './sites/spokes';
import { table } from './measure';

const NAMES = ['sites', 'pdus', 'outlets', 'interval', 'duration', 'commands', 'spoke-processes', 'nodelay', 'max-queued'] as const;
type Options = Record<(typeof NAMES)[number], number>;
const DEFAULTS: Options = { sites: 200, pdus: 10, outlets: 48, interval: 10, duration: 30, commands: 200, 'spoke-processes': 1, nodelay: 0, 'max-queued': 0 };

function options(): Options {
  const chosen = { ...DEFAULTS };
  for (const name of NAMES) {
    const env = process.env[`BENCH_SITES_${name.toUpperCase().replace('-', '_')}`];
    const at = process.argv.findIndex((arg) => arg === `--${name}` || arg.startsWith(`--${name}=`));
    const text = at >= 0 ? (process.argv[at].includes('=') ? process.argv[at].split('=')[1] : process.argv[at + 1]) : env;
    if (text === undefined) continue;
    const value = Number(text);
    const fine = name === 'nodelay' ? value === 0 || value === 1
      : name === 'max-queued' ? Number.isInteger(value) && value >= 0 : Number.isFinite(value) && value > 0;
    if (!fine) {
      throw new Error(`--${name} must be ${name === 'nodelay' ? '0 or 1' : name === 'max-queued' ? 'a whole number, 0 for no limit' : 'a positive number'}, not "${text}"`);
    }
    chosen[name] = value;
  }
  return chosen;
}

/** A bench child process, asked one thing at a time over IPC. */
class Child {
  private readonly waiting = new Map<string, { resolve(answer: any): void; reject(error: Error): void }>();
  readonly process: ChildProcess;

  constructor(script: string, execArgv: string[] = []) {
    this.process = fork(path.join(__dirname, 'sites', script), [], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.process.on('message', (message: any) => {
      const key = message.type ?? (message.ready ? 'ready' : 'stopped');
      const waiter = this.waiting.get(key);
      this.waiting.delete(key);
      if (message.error) waiter?.reject(new Error(`${script}: ${message.type}: ${message.error}`));
      else waiter?.resolve(message.answer ?? message);
    });
    this.process.once('exit', (code) => {
      for (const waiter of this.waiting.values()) waiter.reject(new Error(`${script} exited with ${code}`));
      this.waiting.clear();
    });
  }

  ask<T = any>(key: string, message: unknown): Promise<T> {
    return new Promise((resolve, reject) => {
      this.waiting.set(key, { resolve, reject });
      this.process.send(message as object);
    });
  }

  hub<T = any>(request: HubRequest): Promise<T> {
    return this.ask(request.type, request);
  }
}

/** CPU seconds a process has used (user + system), from /proc. */
function cpuSeconds(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;

interface HubRow {
  setup: string;
  hub: string;
  devices: number;
  brokerRate: number;
  hubRate: number;
  snapshotRate: number;
  cpuPerSnapshot: number;
  cpuShare: number;
  heapKb: number;
  rssKb: number;
  p50: number;
  p95: number;
  failed: number;
}

async function main(): Promise<void> {
  const opts = options();
  const intervalMs = opts.interval * 1000;
  const siteNames = Array.from({ length: opts.sites }, (_, i) => `site-${String(i + 1).padStart(3, '0')}`);
  const broker = await startMosquitto({ anonymous: true, quiet: true, settings: [
    `max_queued_messages ${opts['max-queued']}`, ...(opts.nodelay ? ['set_tcp_nodelay true'] : []),
  ] });
  const children: Child[] = [];
  const rows: HubRow[] = [];
  const others: string[] = [];
  // Said at once as well (stderr), so that a long run shows where it is.
  const note = (text: string): void => {
    others.push(text);
    console.error(`[sites] ${text}`);
  };
  let counter: mqtt.MqttClient | undefined;
  try {
    // The wildcard subscriber: every message the sites and hubs publish, counted.
    counter = await mqtt.connectAsync(broker.url, { protocolVersion: 5, clientId: 'bench-counter' });
    let counted = 0;
    counter.on('message', () => { counted += 1; });
    await counter.subscribeAsync('rackpower/v1/#', { qos: 0 });

    const spokeStarted = Date.now();
    const groups = Math.max(1, Math.floor(opts['spoke-processes']));
    const spokes = Array.from({ length: groups }, () => new Child('spokes.js'));
    children.push(...spokes);
    await Promise.all(spokes.map((child, g) => child.ask('ready', {
      url: broker.url, noDelay: opts.nodelay === 1, pdus: opts.pdus, outlets: opts.outlets, intervalMs,
      sites: siteNames.map((name, i) => ({ name, phase: i / siteNames.length })).filter((_, i) => i % groups === g),
    } satisfies SpokesConfig)));
    note(`${opts.sites} sites connected and first published in ${((Date.now() - spokeStarted) / 1000).toFixed(1)} s`);

    for (const setup of [{ name: 'one hub', hubs: 1, share: false }, { name: 'two hubs, $share/hubs/', hubs: 2, share: true }]) {
      const hubs = Array.from({ length: setup.hubs }, () => new Child('hub.js', ['--expose-gc']));
      children.push(...hubs);
      const started = await Promise.all(hubs.map((hub, i) => hub.hub({
        type: 'start', url: broker.url, noDelay: opts.nodelay === 1, sites: siteNames, pdus: opts.pdus, share: setup.share, id: `${setup.hubs}-${i}`,
      })));
      note(`${setup.name}: ${started.map((s) => `${s.described} devices described in ${(s.ms / 1000).toFixed(1)} s (${s.received} messages)`
        + `${s.failed ? `, ${s.failed} not: ${s.firstError}` : ''}`).join('; ')}`);
      // Past the burst of retained messages at subscribing, into the sites' steady rhythm.
      await new Promise((resolve) => { setTimeout(resolve, intervalMs + 2000); });

      const before = { counted, broker: cpuSeconds(broker.pid()), spokes: spokes.reduce((sum, c) => sum + cpuSeconds(c.process.pid), 0), at: Date.now() };
      const windows = await Promise.all(hubs.map((hub) => hub.hub({ type: 'window', ms: opts.duration * 1000 })));
      const seconds = (Date.now() - before.at) / 1000;
      const brokerRate = (counted - before.counted) / seconds;
      note(`${setup.name}: Mosquitto ${Math.round(100 * (cpuSeconds(broker.pid()) - before.broker) / seconds)} % of a core, `
        + `the spokes ${Math.round(100 * (spokes.reduce((sum, c) => sum + cpuSeconds(c.process.pid), 0) - before.spokes) / seconds)} %`);
      const memories = await Promise.all(hubs.map((hub) => hub.hub({ type: 'memory' })));
      for (const [i, hub] of hubs.entries()) {
        const run = await hub.hub({ type: 'commands', count: opts.commands, outlets: opts.outlets });
        const times = [...run.times].sort((a: number, b: number) => a - b);
        if (run.failed) note(`${setup.name}, hub ${i + 1}: ${run.failed} commands failed, first: ${run.firstError}`);
        const w = windows[i];
        rows.push({
          setup: setup.name, hub: String(i + 1), devices: memories[i].devices, brokerRate,
          hubRate: w.received / (w.wallUs / 1e6), snapshotRate: w.snapshots / (w.wallUs / 1e6),
          cpuPerSnapshot: w.cpuUs / Math.max(1, w.snapshots), cpuShare: 100 * w.cpuUs / w.wallUs,
          heapKb: memories[i].heap / 1024 / memories[i].devices, rssKb: memories[i].rss / 1024 / memories[i].devices,
          p50: percentile(times, 0.5), p95: percentile(times, 0.95), failed: run.failed,
        });
        const row = rows[rows.length - 1];
        console.error(`[sites] ${setup.name}, hub ${row.hub}: ${row.hubRate.toFixed(0)} msg/s, ${row.cpuPerSnapshot.toFixed(0)} µs/snapshot, `
          + `${row.heapKb.toFixed(1)} KB heap/device, command p50 ${row.p50.toFixed(2)} ms`);
      }
      await Promise.all(hubs.map((hub) => hub.hub({ type: 'stop' })));
    }
    await Promise.all(spokes.map((child) => child.ask('stopped', { stop: true })));
  } finally {
    for (const child of children) if (child.process.exitCode === null) child.process.kill('SIGTERM');
    await counter?.endAsync();
    await broker.stop();
  }

  const devices = opts.sites * opts.pdus;
  const mosquitto = /mosquitto version (\S+)/.exec(spawnSync('/usr/sbin/mosquitto', ['-h'], { encoding: 'utf8' }).stdout ?? '')?.[1] ?? '(version unknown)';
  console.log(`Many sites on Mosquitto ${mosquitto} (loopback, MQTT v5, QoS 1): ${opts.sites} sites x ${opts.pdus} PDUs x ${opts.outlets} outlets `
    + `= ${devices} remote devices, a snapshot per device every ${opts.interval} s; Node ${process.version}, ${os.cpus().length} cores, `
    + `max_queued_messages ${opts['max-queued']}, TCP_NODELAY ${opts.nodelay ? 'on' : 'off (as MQTT.js and Mosquitto default)'}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}, ${new Date().toISOString().slice(0, 16)}Z\n`);
  console.log(table(
    ['setup', 'hub', 'remote devices', 'broker msg/s (wildcard)', 'msg/s at hub', 'snapshots/s at hub', 'hub CPU µs/snapshot', 'hub CPU % core',
      'heap KB/device', 'RSS KB/device', `command p50 ms`, 'p95 ms', 'failed'],
    rows.map((r) => [r.setup, r.hub, r.devices, r.brokerRate.toFixed(0), r.hubRate.toFixed(0), r.snapshotRate.toFixed(1), r.cpuPerSnapshot.toFixed(0),
      r.cpuShare.toFixed(1), r.heapKb.toFixed(1), r.rssKb.toFixed(1), r.p50.toFixed(2), r.p95.toFixed(2), `${r.failed}/${opts.commands}`]),
  ));
  console.log(`\n${others.join('\n')}`);
}

main().then(() => process.exit(0), (error) => {
  console.error(error);
  process.exit(1);
});
