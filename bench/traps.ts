// Traps per second received with no loss: pdu-trap-in in a real Node-RED runtime (decoded into
// events and emitted to a function node that counts them), beside Net-SNMP's snmptrapd and a bare
// net-snmp (npm) receiver, in the same run on this machine. Each receiver runs in a process of its
// own; this process sends a real snmptrap packet (a Sentry2 port change, v2c) at a fixed rate for
// a few seconds and then asks how many arrived. The highest rate with nothing lost is reported.
// Every receiver gets the same 4 MiB socket receive buffer (pdu-trap-in's default), so the table
// compares how fast they process, not how long they can hold a backlog.
//
// Run: npx tsc -p . && node bench/traps.js [seconds per step, default 3]
import { execFile, fork, spawn, type ChildProcess } from 'child_process';
import dgram from 'dgram';
import fs from 'fs';
import http from 'http';
import os from 'os';
import path from 'path';

const REPO = path.resolve(__dirname, '..');
const COMMUNITY = 'public';
const S2 = '1.3.6.1.4.1.1718.2';
const BUFFER = 4 * 1024 * 1024;
/** CPU per trap is measured over this many traps at this rate, one every receiver here keeps up with. */
const CPU_TRAPS = 20000;
const CPU_RATE = 5000;

interface Receiver {
  name: string;
  note: string;
  /** Traps counted so far. */
  count(): Promise<number>;
  /** CPU time the receiver's process has used so far, µs (user + system), when it can be read. */
  cpu(): Promise<number | undefined>;
  stop(): Promise<void>;
}

// ---- the receivers, each in its own process ---------------------------------------------------

/** A child of this script (`node bench/traps.js --child <kind> <port>`), answering count requests. */
async function childReceiver(kind: 'node-red' | 'net-snmp', port: number, name: string, note: string): Promise<Receiver> {
  const child = fork(__filename, ['--child', kind, String(port)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  await new Promise<void>((resolve, reject) => {
    child.once('message', (message) => (message === 'ready' ? resolve() : reject(new Error(String(message)))));
    child.once('exit', (code) => reject(new Error(`${kind} receiver exited (${code})`)));
  });
  return {
    name,
    note,
    count: () => ask(child, 'count'),
    cpu: () => ask(child, 'cpu'),
    stop: () => stopChild(child),
  };
}

function ask(child: ChildProcess, question: 'count' | 'cpu'): Promise<number> {
  return new Promise((resolve) => {
    child.once('message', (message) => resolve(Number(message)));
    child.send(question);
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) {
      resolve();
      return;
    }
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** snmptrapd in the foreground, logging each trap as one line to a file we count. */
async function snmptrapd(port: number): Promise<Receiver> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rp-bench-snmptrapd-'));
  const log = path.join(dir, 'traps.log');
  fs.writeFileSync(path.join(dir, 'snmptrapd.conf'), `authCommunity log ${COMMUNITY}\n[snmp] serverRecvBuf ${BUFFER}\n`);
  fs.writeFileSync(log, '');
  const child = spawn('snmptrapd', ['-f', '-n', '-C', '-c', path.join(dir, 'snmptrapd.conf'), '-m', '', '-On', '-Lf', log,
    '-F', 'TRAP %B %v\\n', '-p', path.join(dir, 'pid'), `udp:127.0.0.1:${port}`], { stdio: 'ignore', env: { ...process.env, SNMP_PERSISTENT_DIR: dir } });
  await sleep(500);
  if (child.exitCode !== null) throw new Error('snmptrapd did not start');
  return {
    name: 'snmptrapd (Net-SNMP 5.9, -n, logging each trap to a file)',
    note: 'serverRecvBuf 4 MiB',
    count: async () => fs.readFileSync(log, 'utf8').split('\n').filter((line) => line.startsWith('TRAP ')).length,
    cpu: async () => processCpu(child.pid),
    stop: async () => {
      await stopChild(child);
      try { fs.rmSync(dir, { recursive: true, force: true }); } catch { /* snmptrapd may still be writing its state */ }
    },
  };
}

/** In the child: pdu-trap-in in an embedded Node-RED, counting events in a function node. */
async function runNodeRed(port: number): Promise<() => number> {
  const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rp-bench-nodered-'));
  const modules = path.join(userDir, 'node_modules', '@rack-power');
  fs.mkdirSync(modules, { recursive: true });
  fs.symlinkSync(REPO, path.join(modules, 'node-red-rack-power'));
  fs.writeFileSync(path.join(userDir, 'flows.json'), JSON.stringify([
    { id: 'tab', type: 'tab', label: 'bench' },
    { id: 'traps', type: 'pdu-trap-in', z: 'tab', devices: [], anySource: true, port: String(port), wires: [['count']] },
    // A real consumer: the event's fields are read, then the message ends here.
    { id: 'count', type: 'function', z: 'tab', func: 'const c = global.get("counter"); if (msg.payload.event) c.n += 1; return null;', outputs: 1, wires: [[]] },
  ]));
  fs.writeFileSync(path.join(userDir, 'flows_cred.json'), JSON.stringify({ traps: { community: COMMUNITY } }));
  const counter = { n: 0 };
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const RED = require('node-red');
  RED.init(http.createServer(), {
    userDir, flowFile: 'flows.json', credentialSecret: false, httpAdminRoot: false, httpNodeRoot: false,
    functionGlobalContext: { counter }, logging: { console: { level: 'warn' } }, editorTheme: { tours: false },
  });
  await RED.start();
  await sleep(1000);
  process.on('exit', () => fs.rmSync(userDir, { recursive: true, force: true }));
  return () => counter.n;
}

/** In the child: net-snmp's own receiver, counting its callbacks. */
async function runNetSnmp(port: number): Promise<() => number> {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const snmp = require('net-snmp');
  let n = 0;
  const receiver = snmp.createReceiver({ port, address: '127.0.0.1', transport: 'udp4', includeAuthentication: true }, (error: Error | null) => {
    if (!error) n += 1;
  });
  receiver.getAuthorizer().addCommunity(COMMUNITY);
  await sleep(200);
  for (const socket of Object.values(receiver.listener.sockets) as Array<import('dgram').Socket>) socket.setRecvBufferSize(BUFFER);
  return () => n;
}

/** utime + stime of a process from /proc (Linux), µs. */
function processCpu(pid: number | undefined): number | undefined {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    // Fields 14 and 15 of stat (utime, stime) are at 11 and 12 after the command name.
    return ((Number(fields[11]) + Number(fields[12])) / 100) * 1e6;
  } catch {
    return undefined;
  }
}

async function child(kind: string, port: number): Promise<void> {
  const count = kind === 'node-red' ? await runNodeRed(port) : await runNetSnmp(port);
  process.on('message', (question) => {
    if (question === 'cpu') {
      const { user, system } = process.cpuUsage();
      process.send!(user + system);
    } else {
      process.send!(count());
    }
  });
  process.on('SIGTERM', () => process.exit(0));
  process.send!('ready');
}

// ---- the sender ------------------------------------------------------------------------------

/** The bytes snmptrap sends: a Sentry2 PortControlStatusChange for port A3. */
async function trapPacket(): Promise<Buffer> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  const { port } = socket.address();
  const packet = new Promise<Buffer>((resolve) => socket.once('message', resolve));
  execFile('snmptrap', ['-m', '', '-v', '2c', '-c', COMMUNITY, `127.0.0.1:${port}`, '', `${S2}.100.0.5`,
    `${S2}.1.1.0`, 's', 'rack-12', `${S2}.1.4.1.1.65.51`, 's', 'A3', `${S2}.1.4.1.3.65.51`, 's', 'web-03', `${S2}.1.4.1.4.65.51`, 's', 'Off']);
  const buffer = await packet;
  socket.close();
  return buffer;
}

/** Send `total` packets at `rate` a second, paced every millisecond. */
async function sendAt(port: number, packet: Buffer, rate: number, total: number): Promise<number> {
  const socket = dgram.createSocket('udp4');
  socket.connect(port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  const started = process.hrtime.bigint();
  let sent = 0;
  let inFlight = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor((Number(process.hrtime.bigint() - started) / 1e9) * rate) + 1);
    while (sent < due) {
      inFlight += 1;
      socket.send(packet, () => { inFlight -= 1; });
      sent += 1;
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  while (inFlight > 0) await new Promise((resolve) => setImmediate(resolve));
  socket.close();
  return sent;
}

interface Step { rate: number; sent: number; received: number }

/** CPU µs per trap at a rate every receiver keeps up with, over `total` traps (idle time excluded by subtraction). */
async function cpuPerTrap(receiver: Receiver, port: number, packet: Buffer, total: number): Promise<number | undefined> {
  const idleStart = await receiver.cpu();
  await sleep(1000);
  const idleEnd = await receiver.cpu();
  const before = await receiver.count();
  const start = await receiver.cpu();
  const started = Date.now();
  await sendAt(port, packet, CPU_RATE, total);
  let received = 0;
  for (let waited = 0; waited < 5000 && received < total; waited += 100) {
    await sleep(100);
    received = (await receiver.count()) - before;
  }
  const end = await receiver.cpu();
  if (idleStart === undefined || idleEnd === undefined || start === undefined || end === undefined || received === 0) return undefined;
  const idlePerMs = (idleEnd - idleStart) / 1000;
  return (end - start - idlePerMs * (Date.now() - started)) / received;
}

async function measure(receiver: Receiver, port: number, packet: Buffer, seconds: number): Promise<{ best: number; steps: Step[] }> {
  const steps: Step[] = [];
  let best = 0;
  let failed: number | undefined;
  const tryRate = async (rate: number): Promise<boolean> => {
    const before = await receiver.count();
    const sent = await sendAt(port, packet, rate, Math.round(rate * seconds));
    // Let it drain what the socket buffer holds.
    let received = 0;
    for (let waited = 0; waited < 5000; waited += 250) {
      await sleep(250);
      received = (await receiver.count()) - before;
      if (received >= sent) break;
    }
    steps.push({ rate, sent, received });
    return received >= sent;
  };
  // Ladder up until something is lost, then narrow down between the last good and the first bad rate.
  for (const rate of [500, 1000, 2000, 4000, 8000, 16000, 32000, 64000]) {
    if (await tryRate(rate)) best = rate;
    else {
      failed = rate;
      break;
    }
  }
  for (let i = 0; failed && i < 3; i += 1) {
    const middle = Math.round((best + failed) / 2 / 100) * 100;
    if (middle <= best || middle >= failed) break;
    if (await tryRate(middle)) best = middle;
    else failed = middle;
  }
  return { best, steps };
}

async function main(): Promise<void> {
  const seconds = Number(process.argv[2] ?? 3);
  const packet = await trapPacket();
  const starts: Array<[string, (port: number) => Promise<Receiver>]> = [
    ['pdu-trap-in', (port) => childReceiver('node-red', port, 'pdu-trap-in (Node-RED 4, decode + event + function node)', 'receive buffer 4 MiB (the node\'s default)')],
    ['snmptrapd', snmptrapd],
    ['net-snmp', (port) => childReceiver('net-snmp', port, 'bare net-snmp createReceiver (npm, no decoding)', 'receive buffer 4 MiB')],
  ];
  const rows: Array<{ name: string; note: string; best: number; steps: Step[]; cpu?: number }> = [];
  for (const [, start] of starts) {
    const port = 30000 + Math.floor(Math.random() * 20000);
    const receiver = await start(port);
    try {
      const cpu = await cpuPerTrap(receiver, port, packet, CPU_TRAPS);
      const { best, steps } = await measure(receiver, port, packet, seconds);
      rows.push({ name: receiver.name, note: receiver.note, best, steps, cpu });
    } finally {
      await receiver.stop();
    }
  }
  console.log(`\nTraps per second with no loss (v2c, ${packet.length}-byte Sentry2 trap, ${seconds} s per step, loopback, ${os.cpus().length} cores, Node ${process.version})\n`);
  console.log(`| receiver | no-loss rate (traps/s) | CPU per trap (µs, ${CPU_TRAPS} at ${CPU_RATE}/s) | first loss | notes |`);
  console.log('|---|---:|---:|---|---|');
  for (const row of rows) {
    const loss = row.steps.find((step) => step.received < step.sent);
    const first = loss ? `${loss.rate}/s: ${loss.sent - loss.received} of ${loss.sent} lost` : 'none up to the top rate';
    const cpu = row.cpu === undefined ? 'n/a' : row.cpu.toFixed(1);
    console.log(`| ${row.name} | ${row.best} | ${cpu} | ${first} | ${row.note} |`);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => { setTimeout(resolve, ms); });
}

if (process.argv[2] === '--child') {
  child(process.argv[3], Number(process.argv[4])).catch((error) => {
    process.send?.(String(error));
    process.exit(1);
  });
} else {
  main().then(() => process.exit(0), (error) => {
    console.error(error);
    process.exit(1);
  });
}
