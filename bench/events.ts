import { monitorEventLoopDelay } from 'perf_hooks';
import { setFlagsFromString } from 'v8';
import { runInNewContext } from 'vm';
import { eventFilter } from '../lib/events/event-filter';
import { streamEvent } from '../lib/events/stream-event';
import type { DeviceEvent } from '../lib/types';
import { EventFanOut } from '../nodes/shared/event-hub';
import { startEmbeddedRed } from './embedded-red';
import { table } from './measure';

// The event stream's cost: one event from a node's shareEvent through pdu-config's fan-out,
// pdu-events' filter and valve, to the next node in Node-RED 4; and a burst of 10,000 events at
// once against the default rate (100/s) and queue (1000): the loop's lag, the heap it keeps.

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const EVENTS = 100000;
const BURST = 10000;

/** A trap-sized event, a new object each time (as each trap is). */
const event = (index: number): DeviceEvent => ({
  event: 'outletOff', severity: index % 10 === 0 ? 'warning' : 'info', device: 'rack-12', source: 'trap',
  outlet: { index: 3, id: '.A3', name: 'web-03' }, text: `rack-12: outlet 3 (web-03) turned off (${index})`,
});

function cpuMicros(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return used.user + used.system;
}

function bareFanOut(): number {
  const fanOut = new EventFanOut(() => undefined);
  const passes = eventFilter({ severity: 'info' });
  let seen = 0;
  fanOut.listen({ event: (shared) => { if (passes(streamEvent(shared))) seen += 1; }, status: () => undefined, audit: () => undefined });
  const events = Array.from({ length: EVENTS }, (_, index) => event(index));
  const cpu = process.cpuUsage();
  for (const shared of events) fanOut.event(shared);
  if (seen !== EVENTS) throw new Error(`fan-out saw ${seen} of ${EVENTS}`);
  return cpuMicros(cpu) / EVENTS;
}

async function main(): Promise<void> {
  const rows: Array<Array<string | number>> = [];
  rows.push([`fan-out + filter + stream event, no Node-RED (${EVENTS})`, bareFanOut().toFixed(2), '', '', '']);

  const flows = [
    { id: 'bench.tab', type: 'tab', label: 'bench' },
    { id: 'bench.cfg', type: 'pdu-config', name: 'rack-12', transport: 'snmp', host: '192.0.2.1', port: '161', profile: 'sentry2', snmpVersion: '2c', extra: {} },
    { id: 'bench.fast', type: 'pdu-events', z: 'bench.tab', x: 100, y: 100, devices: ['bench.cfg'], rate: String(EVENTS * 10), queue: String(EVENTS),
      wires: [['bench.sink']] },
    { id: 'bench.sink', type: 'function', z: 'bench.tab', x: 300, y: 100, func: 'return null;', outputs: 1, wires: [[]] },
  ];
  let red = await startEmbeddedRed(flows, {});
  const config = red.node('bench.cfg') as unknown as { shareEvent(event: DeviceEvent): void };
  let arrived = 0;
  red.node('bench.sink').on('input', () => { arrived += 1; });
  const events = Array.from({ length: EVENTS }, (_, index) => event(index));
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  // As traps arrive: a thousand per turn of the loop.
  for (let index = 0; index < EVENTS; index += 1000) {
    for (const shared of events.slice(index, index + 1000)) config.shareEvent(shared);
    await new Promise((resolve) => { setImmediate(resolve); });
  }
  while (arrived < EVENTS) await new Promise((resolve) => { setTimeout(resolve, 5); });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  rows.push([`shareEvent -> pdu-events -> next node, Node-RED 4 (${EVENTS})`, (cpuMicros(cpu) / EVENTS).toFixed(2), Math.round(EVENTS / (wallMs / 1000)), '', '']);
  await red.stop();

  // The defaults against a burst: 100/s, 1000 waiting, the rest dropped and counted.
  red = await startEmbeddedRed([flows[0], flows[1],
    { id: 'bench.default', type: 'pdu-events', z: 'bench.tab', x: 100, y: 100, devices: ['bench.cfg'], wires: [['bench.sink']] }, flows[3]], {});
  const burstConfig = red.node('bench.cfg') as unknown as { shareEvent(event: DeviceEvent): void };
  let dropped = 0;
  red.node('bench.sink').on('input', (msg) => {
    const payload = (msg as { payload: { event: string; dropped?: number } }).payload;
    if (payload.event === 'eventsDropped') dropped += payload.dropped ?? 0;
  });
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const burstCpu = process.cpuUsage();
  for (let index = 0; index < BURST; index += 1) burstConfig.shareEvent(event(index));
  const burstMicros = cpuMicros(burstCpu) / BURST;
  // What the stream holds with its queue full: at most 1000 events, whatever the burst.
  gc();
  const keptKiB = (process.memoryUsage().heapUsed - heapBefore) / 1024;
  // The queue drains at the rate: the loop stays free meanwhile.
  const lag = monitorEventLoopDelay({ resolution: 5 });
  lag.enable();
  await new Promise((resolve) => { setTimeout(resolve, 1500); });
  lag.disable();
  rows.push([`a burst of ${BURST} at once, default rate and queue`, burstMicros.toFixed(2), '', (lag.max / 1e6).toFixed(1),
    `${Math.round(keptKiB)} KiB held after it, ${dropped} dropped in 1.5 s`]);
  await red.stop();

  console.log(table(['what', 'CPU µs/event', 'events/s', 'max loop lag ms, draining', 'memory'], rows));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
