// Full status reads of a UPS from the real upsd (dummy-ups with 60 variables), our client
// beside upsc, in one run. Run: npx tsc -p . && node bench/nut.js
import { execFile } from 'child_process';
import { promisify } from 'util';
import { NutClient } from '../lib/transports/nut/client';
import { startUpsd } from '../test/peers/upsd';

const run = promisify(execFile);

function devFile(): string {
  const lines = ['ups.status: OL CHRG', 'battery.charge: 100', 'battery.runtime: 2400', 'ups.load: 23', 'input.voltage: 230.4',
    'ups.mfr: ACME', 'ups.model: Smart 1500', 'ups.serial: 0012345'];
  for (let i = lines.length; i < 60; i += 1) lines.push(`ups.test.value${i}: ${i * 1.5}`);
  return `${lines.join('\n')}\n`;
}

interface Row {
  method: string;
  reads: number;
  vars: number;
  times: number[];
}

async function measure(method: string, reads: number, read: () => Promise<number>): Promise<Row> {
  await read(); // warm up: connection, names
  const times: number[] = [];
  let vars = 0;
  for (let i = 0; i < reads; i += 1) {
    const started = process.hrtime.bigint();
    vars = await read();
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return { method, reads, vars, times };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

async function main(): Promise<void> {
  const upsd = await startUpsd({ upses: { ups1: { dev: devFile() } } });
  const rows: Row[] = [];
  try {
    const fast = new NutClient({ host: '127.0.0.1', port: upsd.port, timeout: 2000 });
    const plain = new NutClient({ host: '127.0.0.1', port: upsd.port, timeout: 2000, quickAck: false });
    const names = Object.keys(await fast.listVar('ups1'));
    rows.push(await measure('ups-nut: LIST VAR with quick ACK (readAll, what the node uses)', 2000, async () => Object.keys(await fast.readAll('ups1')).length));
    rows.push(await measure('client: names learned once, pipelined GET VARs, quick ACK', 2000, async () => Object.keys(await fast.getVars('ups1', names)).length));
    rows.push(await measure('client: LIST VAR, waiting for the answer (no quick ACK)', 40, async () => Object.keys(await plain.listVar('ups1')).length));
    rows.push(await measure('client: pipelined GET VARs, no quick ACK', 40, async () => Object.keys(await plain.getVars('ups1', names)).length));
    rows.push(await measure('upsc ups1@127.0.0.1 (a process per read)', 40, async () => {
      const { stdout } = await run('upsc', [`ups1@127.0.0.1:${upsd.port}`]);
      return stdout.trim().split('\n').length;
    }));
    rows.push(await measure('client: one GET VAR round trip (ups.status only)', 2000, async () => (await fast.getVar('ups1', 'ups.status')) ? 1 : 0));
    await fast.close();
    await plain.close();
  } finally {
    await upsd.stop();
  }
  console.log(`NUT full status reads against upsd ${'2.8.0'} + dummy-ups on loopback (Node ${process.version}, ${new Date().toISOString().slice(0, 10)})\n`);
  console.log('| method | reads | variables | reads/s | mean ms | p50 ms | p95 ms | p99 ms |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const row of rows) {
    const sorted = [...row.times].sort((a, b) => a - b);
    const total = row.times.reduce((sum, t) => sum + t, 0);
    console.log(`| ${row.method} | ${row.reads} | ${row.vars} | ${Math.round(row.reads / (total / 1000))} | ${(total / row.reads).toFixed(3)} `
      + `| ${percentile(sorted, 0.5).toFixed(3)} | ${percentile(sorted, 0.95).toFixed(3)} | ${percentile(sorted, 0.99).toFixed(3)} |`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
