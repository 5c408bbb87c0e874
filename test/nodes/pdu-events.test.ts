import assert from 'assert';
import { monitorEventLoopDelay } from 'perf_hooks';
import type { SimDevice } from '../../sim';
import { collect, helper, loadFlow, sleep, until } from '../helpers/red';
import { simDevice, snmpConfig } from '../helpers/sim';
import { capturePacket, freeUdpPort, sendRaw, v2cTrap } from '../helpers/traps';
import { startUpsd, type Upsd } from '../peers/upsd';
import { startSnmptrapd } from '../peers/snmptrapd';
import { heapAfterGc } from '../helpers/gc';

// pdu-events in real flows: a Sentry2 simulator polled by pdu-status and switched by pdu-outlet,
// real snmptrap packets through pdu-trap-in, the real upsd + dummy-ups through ups-nut. The
// stream carries each source's events, each once, without being wired to the nodes that raise them.

type Msg = Record<string, any>;

const TRAP_COMMUNITY = 'rack-trap-9f3';
const S2 = '1.3.6.1.4.1.1718.2';
/** Sentry2 PortControlStatusChange for port A3 named web-03. */
const portOff = [`${S2}.1.1.0`, 's', 'rack-12', `${S2}.1.4.1.1.65.51`, 's', 'A3', `${S2}.1.4.1.3.65.51`, 's', 'web-03',
  `${S2}.1.4.1.4.65.51`, 's', 'Off'];
const upsDev = (status: string) => `ups.status: ${status}\nbattery.charge: 90\nbattery.runtime: 1800\nups.load: 23\nups.mfr: ACME\nups.model: Smart 1500\n`;

/** Flow nodes (placed at x, y) live on a tab, as the editor puts them. */
const TAB = { id: 'events-tab', type: 'tab', label: 'events' };

/**
 * The heap after a full collection. The test helper's spies remember every call of every node's
 * send (10,000 trap messages): forgotten first, so that what is measured is what the flow holds.
 */
const heapUsed = (): number => {
  (helper as unknown as { _sandbox: { resetHistory(): void } })._sandbox.resetHistory();
  return heapAfterGc();
};

describe('pdu-events: one event stream (real flows)', function () {
  this.timeout(60000);
  let sim: SimDevice | undefined;
  let upsd: Upsd | undefined;

  afterEach(async function () {
    await helper.unload();
    helper.settings({});
    await sim?.stop();
    sim = undefined;
  });

  after(async function () {
    await upsd?.stop();
  });

  /** A Sentry2 simulator with its config, a pdu-trap-in on a free port, and the nodes a test adds: its trap port. */
  const trapFlow = async (trapIn: Msg, nodes: Msg[], trapCredentials: Msg = { cfg: { trapCommunity: TRAP_COMMUNITY } }): Promise<number> => {
    sim = await simDevice('sentry2');
    const trapPort = await freeUdpPort();
    const pdu = snmpConfig('cfg', sim);
    await loadFlow([
      TAB,
      pdu.node,
      { id: 'traps', type: 'pdu-trap-in', port: String(trapPort), z: TAB.id, x: 100, y: 100, ...trapIn },
      ...nodes,
    ], { ...trapCredentials, cfg: { ...pdu.credentials, ...trapCredentials.cfg } });
    return trapPort;
  };

  it('carries polls, traps, UPS events, connection changes and power-command audits, each once, with no secret', async function () {
    sim = await simDevice('sentry2');
    upsd = await startUpsd({ upses: { ups1: { dev: upsDev('OL') } } });
    const trapPort = await freeUdpPort();
    const pdu = snmpConfig('cfg', sim);
    await loadFlow([
      TAB,
      pdu.node,
      { id: 'upsCfg', type: 'pdu-config', name: 'ups-room', transport: 'nut', host: '127.0.0.1', port: String(upsd.port), profile: 'nut', timeout: '1500', retries: '0' },
      { id: 'st', type: 'pdu-status', device: 'cfg', interval: '0', z: TAB.id, x: 100, y: 100, wires: [[], ['polled']] },
      { id: 'polled', type: 'helper' },
      { id: 'out', type: 'pdu-outlet', name: 'ops-button', device: 'cfg', outlet: '', action: 'msg', verify: true, z: TAB.id, x: 100, y: 150, wires: [['switched']] },
      { id: 'switched', type: 'helper' },
      { id: 'traps', type: 'pdu-trap-in', devices: ['cfg'], port: String(trapPort), z: TAB.id, x: 100, y: 200, wires: [['trapped']] },
      { id: 'trapped', type: 'helper' },
      { id: 'ups', type: 'ups-nut', device: 'upsCfg', ups: 'ups1', mode: 'poll', interval: 0, z: TAB.id, x: 100, y: 250, wires: [['upsStatus'], ['upsEvents']] },
      { id: 'upsStatus', type: 'helper' },
      { id: 'upsEvents', type: 'helper' },
      { id: 'stream', type: 'pdu-events', devices: [], z: TAB.id, x: 300, y: 100, wires: [['streamed']] },
      { id: 'streamed', type: 'helper' },
    ], { cfg: { ...pdu.credentials, trapCommunity: TRAP_COMMUNITY }, upsCfg: { username: 'admin', password: 'secret' } });
    const streamed = collect<Msg>(helper.getNode('streamed'));
    const polled = collect<Msg>(helper.getNode('polled'));
    const trapped = collect<Msg>(helper.getNode('trapped'));
    const upsEvents = collect<Msg>(helper.getNode('upsEvents'));
    const upsStatus = collect<Msg>(helper.getNode('upsStatus'));
    const of = (origin: string, event?: string) => streamed.filter((m) => m.payload.origin === origin && (!event || m.topic === event));

    // Connection: the device described for its first user.
    await until(() => of('connection', 'connected').some((m) => m.payload.device === 'sentry2-sim'), 10000, 'connected');
    // Poll, then an off through pdu-outlet (audit), then the poll that sees it off.
    helper.getNode('st').receive({});
    await sleep(300);
    helper.getNode('out').receive({ payload: 'off', outlet: 3 });
    await until(() => of('audit').length === 1, 10000, 'the audit event');
    helper.getNode('st').receive({});
    await until(() => of('poll', 'outletOff').length === 1, 10000, 'the poll\'s outletOff');
    // A trap from the device.
    await v2cTrap(`127.0.0.1:${trapPort}`, TRAP_COMMUNITY, `${S2}.100.0.5`, portOff);
    await until(() => of('trap').length === 1, 10000, 'the trap');
    // The UPS goes on battery.
    helper.getNode('ups').receive({});
    await until(() => upsStatus.length === 1, 5000, 'first UPS poll');
    await upsd.writeDev('ups1', upsDev('OB DISCHRG'));
    helper.getNode('ups').receive({});
    await until(() => of('ups', 'ONBATT').length === 1, 10000, 'ONBATT');
    // The PDU goes away: the connection and the poll each say so.
    await sim.stop();
    sim = undefined;
    helper.getNode('st').receive({});
    await until(() => of('connection', 'commLost').length === 1 && of('poll', 'commLost').length === 1, 10000, 'commLost');
    await until(() => of('connection', 'connected').length === 2, 5000, 'the NUT server\'s connection too');
    await sleep(300);

    // Each event of the nodes is in the stream once, as the node itself sent it (the same object).
    const payloads = (messages: Msg[]) => messages.map((m) => m.payload);
    const byOrigin = (origin: string) => payloads(of(origin)).map(({ time, origin: _origin, ...event }) => {
      assert.ok(!Number.isNaN(Date.parse(time)), 'time is ISO 8601');
      return event;
    });
    assert.deepStrictEqual(byOrigin('poll'), payloads(polled));
    assert.deepStrictEqual(byOrigin('trap'), payloads(trapped));
    assert.deepStrictEqual(byOrigin('ups'), payloads(upsEvents));
    assert.deepStrictEqual(of('connection').map((m) => [m.payload.device, m.topic]).sort(),
      [['sentry2-sim', 'commLost'], ['sentry2-sim', 'connected'], ['ups-room', 'connected']]);
    for (const message of streamed) assert.strictEqual(message.topic, message.payload.event);

    const [audit] = of('audit');
    assert.strictEqual(audit.topic, 'powerCommand');
    assert.strictEqual(audit.payload.source, 'command');
    assert.strictEqual(audit.payload.severity, 'info');
    assert.match(audit.payload.text, /^ops-button \(out\) off outlet 3 \(server-03\) on sentry2-sim: ok, 1\/1 verified in \d+ ms$/);
    const record = audit.payload.audit;
    assert.deepStrictEqual(record.requester, { id: 'out', name: 'ops-button' });
    assert.deepStrictEqual([record.action, record.ok, record.forced, record.outlets.map((o: Msg) => o.index)], ['off', true, false, [3]]);
    assert.deepStrictEqual(record.result.outlets.map((o: Msg) => [o.index, o.before, o.after, o.verified]), [[3, 'on', 'off', true]]);
    assert.ok(record.durationMs >= 0);

    const everything = JSON.stringify(streamed);
    for (const secret of [TRAP_COMMUNITY, 'private', 'secret']) assert.ok(!everything.includes(secret), `"${secret}" is not in the stream`);
  });

  it('an outlet a redeploy left off (raised by the device, and sent by pdu-status too) reaches the stream exactly once', async function () {
    sim = await simDevice('sentry2');
    const pdu = snmpConfig('cfg', sim, { nativeReboot: false });
    const nodes = [
      TAB,
      pdu.node,
      { id: 'out', type: 'pdu-outlet', device: 'cfg', outlet: '', action: 'msg', verify: true, z: TAB.id, x: 100, y: 100, wires: [[]] },
      { id: 'st', type: 'pdu-status', device: 'cfg', interval: '0', z: TAB.id, x: 100, y: 150, wires: [[], ['polled']] },
      { id: 'polled', type: 'helper' },
      { id: 'stream', type: 'pdu-events', devices: ['cfg'], z: TAB.id, x: 300, y: 100, wires: [['streamed']] },
      { id: 'streamed', type: 'helper' },
    ];
    await loadFlow(nodes, { cfg: pdu.credentials });
    helper.getNode('out').receive({ payload: 'reboot', outlet: 4 });
    await until(() => sim!.sets!.length === 1, 5000, 'the reboot\'s off');
    await sleep(500);
    await helper.setFlows(nodes as never, 'full', { cfg: pdu.credentials } as never);
    const streamed = collect<Msg>(helper.getNode('streamed'));
    const polled = collect<Msg>(helper.getNode('polled'));
    await until(() => polled.length > 0, 5000, 'pdu-status sends the left-off event');
    await sleep(500);
    const leftOff = streamed.filter((m) => m.topic === 'outletLeftOff');
    assert.strictEqual(leftOff.length, 1, `once in the stream, not ${leftOff.length} times`);
    assert.deepStrictEqual([leftOff[0].payload.origin, leftOff[0].payload.severity, leftOff[0].payload.outlet.index], ['device', 'critical', 4]);
  });

  it('a stream alone takes a left-off outlet without taking it from a pdu-status deployed later, and streams it once', async function () {
    sim = await simDevice('sentry2');
    const pdu = snmpConfig('cfg', sim, { nativeReboot: false });
    const streamOnly = [
      TAB,
      pdu.node,
      { id: 'out', type: 'pdu-outlet', device: 'cfg', outlet: '', action: 'msg', verify: true, z: TAB.id, x: 100, y: 100, wires: [[]] },
      { id: 'stream', type: 'pdu-events', devices: ['cfg'], z: TAB.id, x: 300, y: 100, wires: [['streamed']] },
      { id: 'streamed', type: 'helper' },
    ];
    await loadFlow(streamOnly, { cfg: pdu.credentials });
    helper.getNode('out').receive({ payload: 'reboot', outlet: 4 });
    await until(() => sim!.sets!.length === 1, 5000, 'the reboot\'s off');
    await sleep(500);
    await helper.setFlows(streamOnly as never, 'full', { cfg: pdu.credentials } as never);
    let streamed = collect<Msg>(helper.getNode('streamed'));
    await until(() => streamed.some((m) => m.topic === 'outletLeftOff'), 5000, 'the stream\'s outletLeftOff');

    // Later, a flow with a pdu-status: it still hears of the outlet; the stream does not again.
    const withStatus = [...streamOnly,
      { id: 'st', type: 'pdu-status', device: 'cfg', interval: '0', z: TAB.id, x: 100, y: 150, wires: [[], ['polled']] },
      { id: 'polled', type: 'helper' }];
    await helper.setFlows(withStatus as never, 'full', { cfg: pdu.credentials } as never);
    streamed = collect<Msg>(helper.getNode('streamed'));
    const polled = collect<Msg>(helper.getNode('polled'));
    await until(() => polled.some((m) => m.topic === 'outletLeftOff'), 5000, 'pdu-status\'s outletLeftOff');
    await sleep(500);
    assert.deepStrictEqual(streamed.filter((m) => m.topic === 'outletLeftOff'), [], 'streamed once, in the first flow');
  });

  it('a trap from a source no config names (pdu-trap-in on any source) reaches the streams on every device, once, and no stream on chosen devices', async function () {
    const trapPort = await trapFlow({ name: 'all traps', devices: [], anySource: true, wires: [['trapped']] }, [
      { id: 'trapped', type: 'helper' },
      { id: 'everyStream', type: 'pdu-events', devices: [], sources: ['trap'], z: TAB.id, x: 300, y: 100, wires: [['every']] },
      { id: 'every', type: 'helper' },
      { id: 'chosenStream', type: 'pdu-events', devices: ['cfg'], sources: ['trap'], z: TAB.id, x: 300, y: 150, wires: [['chosen']] },
      { id: 'chosen', type: 'helper' },
    ], { cfg: {}, traps: { community: 'site-wide-4e2' } });
    const trapped = collect<Msg>(helper.getNode('trapped'));
    const every = collect<Msg>(helper.getNode('every'));
    const chosen = collect<Msg>(helper.getNode('chosen'));
    await sleep(100);
    await v2cTrap(`127.0.0.1:${trapPort}`, 'site-wide-4e2', `${S2}.100.0.5`, portOff);
    await until(() => trapped.length === 1 && every.length === 1, 5000, 'the trap, at the node and in the stream');
    await sleep(300);
    assert.strictEqual(every.length, 1, 'streamed once');
    const { time: _time, origin, ...event } = every[0].payload;
    assert.deepStrictEqual(event, trapped[0].payload, 'the event pdu-trap-in sent');
    assert.strictEqual(origin, 'trap');
    assert.deepStrictEqual(chosen, [], 'a stream on chosen devices never asked for an unknown agent');
    assert.ok(!JSON.stringify(every).includes('site-wide-4e2'), 'no community in the stream');
  });

  it('a failed power command is a warning audit event that says why, and never carries the community', async function () {
    sim = await simDevice('sentry2');
    const WRONG = 'wrong-write-7c1';
    const pdu = snmpConfig('cfg', sim);
    await loadFlow([
      TAB,
      pdu.node,
      { id: 'out', type: 'pdu-outlet', device: 'cfg', outlet: '', action: 'msg', verify: true, z: TAB.id, x: 100, y: 100, wires: [[]] },
      { id: 'stream', type: 'pdu-events', devices: ['cfg'], sources: ['audit'], z: TAB.id, x: 300, y: 100, wires: [['streamed']] },
      { id: 'streamed', type: 'helper' },
      { id: 'catcher', type: 'catch', scope: null, z: TAB.id, x: 500, y: 100, wires: [['caught']] },
      { id: 'caught', type: 'helper' },
    ], { cfg: { ...pdu.credentials, writeCommunity: WRONG } });
    const streamed = collect<Msg>(helper.getNode('streamed'));
    const caught = collect<Msg>(helper.getNode('caught'));
    helper.getNode('out').receive({ payload: 'off', outlet: 2 });
    const [audit] = await until(() => streamed.length > 0 && streamed, 15000, 'the audit event');
    await until(() => caught.length > 0, 5000, 'the failure at pdu-outlet');
    assert.deepStrictEqual([audit.topic, audit.payload.severity, audit.payload.audit.ok], ['powerCommand', 'warning', false]);
    assert.ok(String(caught[0].error.message).endsWith(audit.payload.audit.error), 'the same reason as the node\'s error');
    assert.match(audit.payload.text, /off outlet 2 \(server-02\) on sentry2-sim: failed: /);
    assert.ok(!JSON.stringify(streamed).includes(WRONG), 'no community in the stream');
  });

  it('filters by severity, name and source, and refuses a filter it cannot apply with a clear error', async function () {
    sim = await simDevice('sentry2');
    const pdu = snmpConfig('cfg', sim);
    await loadFlow([
      TAB,
      pdu.node,
      { id: 'out', type: 'pdu-outlet', device: 'cfg', outlet: '', action: 'msg', verify: true, z: TAB.id, x: 100, y: 100, wires: [[]] },
      { id: 'st', type: 'pdu-status', device: 'cfg', interval: '0', z: TAB.id, x: 100, y: 150, wires: [[], []] },
      { id: 'onlyOff', type: 'pdu-events', devices: ['cfg'], events: 'outlet*, commLost', sources: ['poll'], z: TAB.id, x: 300, y: 100, wires: [['offs']] },
      { id: 'offs', type: 'helper' },
      { id: 'warnings', type: 'pdu-events', devices: ['cfg'], severity: 'warning', z: TAB.id, x: 300, y: 150, wires: [['serious']] },
      { id: 'serious', type: 'helper' },
      { id: 'wrong', type: 'pdu-events', devices: ['cfg'], severity: 'loud', z: TAB.id, x: 300, y: 200, wires: [[]] },
      { id: 'wrongName', type: 'pdu-events', devices: ['cfg'], events: "x'); DROP TABLE events; --", z: TAB.id, x: 300, y: 250, wires: [[]] },
      { id: 'catcher', type: 'catch', scope: null, z: TAB.id, x: 500, y: 100, wires: [['caught']] },
      { id: 'caught', type: 'helper' },
    ], { cfg: pdu.credentials });
    const offs = collect<Msg>(helper.getNode('offs'));
    const serious = collect<Msg>(helper.getNode('serious'));
    const caught = collect<Msg>(helper.getNode('caught'));
    helper.getNode('st').receive({});
    await sleep(300);
    helper.getNode('out').receive({ payload: 'off', outlet: 2 });
    await sleep(500);
    helper.getNode('st').receive({});
    await until(() => offs.length === 1, 5000, 'the filtered outletOff');
    await sim.stop();
    sim = undefined;
    helper.getNode('st').receive({});
    await until(() => offs.length === 2 && serious.length === 2, 10000, 'commLost through both');
    assert.deepStrictEqual(offs.map((m) => [m.topic, m.payload.origin]), [['outletOff', 'poll'], ['commLost', 'poll']]);
    // Warnings and worse: no connected, no outletOff, no audit; commLost from the connection and the poll.
    assert.deepStrictEqual(serious.map((m) => [m.topic, m.payload.origin]).sort(), [['commLost', 'connection'], ['commLost', 'poll']]);
    const errors = caught.map((m) => String(m.error.message));
    assert.ok(errors.includes('minimum severity "loud" is not info, warning or critical'), errors.join('\n'));
    assert.ok(errors.some((error) => /^event name "x'\);" may only hold letters, digits/.test(error)), errors.join('\n'));
    assert.strictEqual(caught.filter((m) => m.error.source.type === 'pdu-events').length, 2, `both mistakes reach Catch: ${errors.join(' | ')}`);
  });

  it('stopped with events waiting (a redeploy during a flood): says how many were not sent', async function () {
    const trapPort = await trapFlow({ devices: ['cfg'], wires: [[]] }, [
      { id: 'stream', type: 'pdu-events', devices: ['cfg'], rate: '1', queue: '100', z: TAB.id, x: 300, y: 100, wires: [['streamed']] },
      { id: 'streamed', type: 'helper' },
    ]);
    const streamed = collect<Msg>(helper.getNode('streamed'));
    await sleep(200);
    const packet = await capturePacket(['-v', '2c', '-c', TRAP_COMMUNITY, '{target}', '', `${S2}.100.0.5`, ...portOff]);
    await sendRaw(trapPort, Array.from({ length: 20 }, () => packet));
    await until(() => streamed.length === 1, 5000, 'the first trap');
    await sleep(300);
    // Closed as a redeploy closes it; the helper's spy on warn (its unload would stop recording first).
    const stream = helper.getNode('stream') as unknown as {
      close(removed: boolean): Promise<void>;
      warn: { getCalls(): Array<{ thisValue: unknown; args: unknown[] }> };
    };
    await stream.close(false);
    const warnings = stream.warn.getCalls().filter((call) => call.thisValue === stream).map((call) => String(call.args[0]));
    assert.ok(warnings.some((text) => /^1[89] events were not sent: the stream stopped \(redeploy or shutdown\) with them waiting$/.test(text)), warnings.join('\n'));
  });

  it('the stream\'s eventsDropped notice reaches an NMS through pdu-trap-out: snmptrapd decodes it as source stream(5)', async function () {
    const NMS_COMMUNITY = 'nms-c0mm';
    const trapd = await startSnmptrapd({ community: NMS_COMMUNITY });
    try {
      const trapPort = await trapFlow({ devices: ['cfg'], wires: [[]] }, [
        { id: 'stream', type: 'pdu-events', name: 'rack stream', devices: ['cfg'], rate: '1', queue: '1', z: TAB.id, x: 300, y: 100, wires: [['toNms']] },
        { id: 'toNms', type: 'pdu-trap-out', mode: 'trap', z: TAB.id, x: 500, y: 100, wires: [['sentOn']] },
        { id: 'sentOn', type: 'helper' },
        { id: 'catcher', type: 'catch', scope: null, z: TAB.id, x: 500, y: 200, wires: [['caught']] },
        { id: 'caught', type: 'helper' },
      ], { cfg: { trapCommunity: TRAP_COMMUNITY }, toNms: { host: '127.0.0.1', port: String(trapd.port), version: '2c', community: NMS_COMMUNITY } });
      const sentOn = collect<Msg>(helper.getNode('sentOn'));
      const caught = collect<Msg>(helper.getNode('caught'));
      await sleep(200);
      const packet = await capturePacket(['-v', '2c', '-c', TRAP_COMMUNITY, '{target}', '', `${S2}.100.0.5`, ...portOff]);
      await sendRaw(trapPort, Array.from({ length: 10 }, () => packet));
      const notices = () => sentOn.filter((m) => m.topic === 'eventsDropped');
      const [notice] = await until(() => notices().length > 0 && notices(), 5000, 'the notice sent to the NMS');
      assert.deepStrictEqual([notice.payload.source, notice.payload.device, notice.payload.dropped], ['stream', 'rack stream', 8]);
      await until(() => trapd.notifications().some((text) => /rpEventName.0 = STRING: "?eventsDropped/.test(text)), 5000, 'snmptrapd\'s line');
      const seen = trapd.notifications().find((text) => /eventsDropped/.test(text))!;
      assert.match(seen, /rpEventSource.0 = INTEGER: stream\(5\)/);
      assert.match(seen, /rpEventDevice.0 = STRING: "?rack stream/);
      assert.deepStrictEqual(caught, [], 'nothing refused');
    } finally {
      await trapd.stop();
    }
  });

  it('a flood of 10,000 traps: bounded memory, no stall, and the drops said as a count', async function () {
    const RATE = 200;
    const QUEUE = 500;
    const trapPort = await trapFlow({ devices: ['cfg'], bufferSize: '16384', wires: [[]] }, [
      { id: 'stream', type: 'pdu-events', devices: ['cfg'], rate: String(RATE), queue: String(QUEUE), z: TAB.id, x: 300, y: 100, wires: [['streamed']] },
      { id: 'streamed', type: 'helper' },
    ]);
    const trapIn = helper.getNode('traps') as unknown as { on(event: string, fn: (call: { args: Msg[] }) => void): void };
    let received = -1;
    trapIn.on('call:status', (call) => {
      const counted = /udp \d+: (\d+) trap/.exec(String(call.args[0].text));
      if (counted) received = Number(counted[1]);
    });
    await until(() => received === 0, 5000, 'listening');
    let sent = 0;
    const notices: Msg[] = [];
    const streamNode = helper.getNode('streamed') as unknown as { on(event: string, fn: (msg: Msg) => void): void };
    // Count, keep only the notices: the test itself holds no flood.
    streamNode.on('input', (msg: Msg) => { if (msg.topic === 'eventsDropped') notices.push(msg); else sent += 1; });

    const packet = await capturePacket(['-v', '2c', '-c', TRAP_COMMUNITY, '{target}', '', `${S2}.100.0.5`, ...portOff]);
    const FLOOD = 10000;
    const packets = Array.from({ length: FLOOD }, () => packet);
    // A few first, so that what the decoder and the runtime allocate once is not counted as the flood's.
    await sendRaw(trapPort, packets.slice(0, 50));
    await until(() => received === 50 && sent === 50, 5000, 'the warm-up traps');
    const warmUp = received;
    sent = 0;
    const heapBefore = heapUsed();
    const lag = monitorEventLoopDelay({ resolution: 10 });
    let peak = heapBefore;
    const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().heapUsed); }, 20);
    lag.enable();
    const started = Date.now();
    for (let index = 0; index < FLOOD; index += 200) await sendRaw(trapPort, packets.slice(index, index + 200));
    const sending = Date.now() - started;
    // Once the listener has taken the whole flood: what the stream holds now is its queue.
    for (let last = -1; received !== last;) {
      last = received;
      await sleep(400);
    }
    const retainedMiB = (heapUsed() - heapBefore) / 1024 / 1024;
    console.log(`      retained once the flood is taken: +${retainedMiB.toFixed(2)} MiB`);
    assert.ok(retainedMiB < 3, `the stream holds at most its queue: heap +${retainedMiB.toFixed(1)} MiB after the flood`);
    // The trap count settles, the queue drains, and the drops are reported.
    let settled = -1;
    await until(() => {
      const total = sent + notices.reduce((sum, notice) => sum + notice.payload.dropped, 0);
      const done = total === received - warmUp && total === settled;
      settled = total;
      return done;
    }, 20000, 'every received trap sent or counted as dropped');
    lag.disable();
    clearInterval(sampler);
    const maxLagMs = lag.max / 1e6;
    const grownMiB = (peak - heapBefore) / 1024 / 1024;
    const dropped = notices.reduce((sum, notice) => sum + notice.payload.dropped, 0);
    console.log(`      ${received - warmUp} traps in ${sending} ms: ${sent} sent, ${dropped} dropped in ${notices.length} notices; `
      + `max lag ${maxLagMs.toFixed(1)} ms, heap peak +${grownMiB.toFixed(1)} MiB, retained after the flood +${retainedMiB.toFixed(1)} MiB`);
    assert.ok(received - warmUp > 3000, `enough of the flood arrived to overflow the queue (${received - warmUp})`);
    assert.ok(dropped > 0, 'a flood beyond the rate and queue drops');
    assert.ok(notices.length >= 1, 'and says so');
    assert.match(notices[0].payload.text, /^\d+ events dropped: more than 200 a second and 500 waiting$/);
    assert.strictEqual(notices[0].payload.severity, 'warning');
    const seconds = (Date.now() - started) / 1000;
    assert.ok(sent <= RATE * (seconds + 1) + QUEUE, `at most the rate (+ queue) went out: ${sent} in ${seconds.toFixed(1)} s`);
    assert.ok(maxLagMs < 250, `event loop held up ${maxLagMs.toFixed(1)} ms`);
    assert.ok(grownMiB < 40, `heap grew ${grownMiB.toFixed(1)} MiB`);
  });
});
