import assert from 'assert';
import type { SimDevice } from '../../sim';
import type { NutSim } from '../../sim/nut/server';
import { collect, helper, loadFlow, sleep, until } from '../helpers/red';
import { simDevice, snmpConfig } from '../helpers/sim';
import { freeUdpPort } from '../helpers/traps';
import { udpProxy, type UdpProxy } from '../helpers/udp-proxy';

type Msg = Record<string, any>;

// What a user sees of a wrong config and of a device that stops answering: the problem once, at
// deploy, on every node that uses the config and in Catch; a dead device reported once when it
// goes and once when it returns, not at every poll; each node's own last outcome in view.

/** Log events of a level (20 error, 30 warn, 40 info) from one node. */
function logged(level: number, id: string): string[] {
  return helper.log().args.map((args: unknown[]) => args[0] as { level: number; id?: string; msg: unknown })
    .filter((event) => event.level === level && event.id === id).map((event) => String((event.msg as Error)?.message ?? event.msg));
}

/** Every status and every error of the flow, through a Status and a Catch node. */
const watchers = [
  { id: 'watch', type: 'status', scope: null, wires: [['statuses']] },
  { id: 'statuses', type: 'helper' },
  { id: 'catcher', type: 'catch', scope: null, wires: [['caught']] },
  { id: 'caught', type: 'helper' },
];

function watch(): { statuses: Msg[]; caught: Msg[] } {
  return { statuses: collect<Msg>(helper.getNode('statuses')), caught: collect<Msg>(helper.getNode('caught')) };
}

const of = (messages: Msg[], id: string): Msg[] => messages.filter((msg) => (msg.status ?? msg.error).source.id === id);

describe('what a user sees of a wrong config (Sentry2 simulator)', function () {
  this.timeout(20000);
  let sim: SimDevice;

  beforeEach(async function () {
    sim = await simDevice('sentry2');
  });

  afterEach(async function () {
    await helper.unload();
    await sim.stop();
  });

  const cases: Array<[string, Record<string, unknown>, RegExp]> = [
    ['a locked outlet the device does not have', { locked: '1, core-switch' }, /the locked outlet list is invalid \(unknown outlet "core-switch"/],
    ['a group naming an outlet the device does not have', { groups: [{ name: 'lab', outlets: '5, 99' }] }, /group "lab" is invalid/],
    ['a profile that does not fit the device', { profile: 'apc-rpdu2' }, /is "apc-rpdu2" the right profile\?/],
  ];
  for (const [what, extra, pattern] of cases) {
    it(`${what}: reported at deploy on every node of the config, once, before any command`, async function () {
      const config = snmpConfig('cfg', sim, extra);
      await loadFlow([
        config.node,
        { id: 'outlet', type: 'pdu-outlet', device: 'cfg', outlet: '1', action: 'on', wires: [[]] },
        { id: 'status', type: 'pdu-status', device: 'cfg', interval: 0, wires: [[], []] },
        ...watchers,
      ], { cfg: config.credentials });
      const { statuses, caught } = watch();
      await until(() => caught.length >= 2, 5000, 'an error on each node');
      await sleep(500);
      assert.deepStrictEqual(caught.map((msg) => msg.error.source.id).sort(), ['outlet', 'status'], 'one error per node');
      for (const msg of caught) assert.match(msg.error.message, pattern);
      for (const id of ['outlet', 'status']) {
        const last = of(statuses, id).pop()!.status;
        assert.strictEqual(last.fill, 'red', `${id}: ${last.text}`);
        assert.ok(last.text.length <= 40, 'a short status');
      }
      assert.strictEqual(logged(20, 'cfg').length, 1, `one log line: ${logged(20, 'cfg').join(' | ')}`);
      assert.deepStrictEqual(sim.sets, [], 'nothing switched');
    });
  }

  it('ups-nut refuses an SNMP device config: red, one error, never "connected"', async function () {
    const config = snmpConfig('cfg', sim);
    await loadFlow([
      config.node,
      { id: 'ups', type: 'ups-nut', device: 'cfg', mode: 'poll', interval: 0.2, wires: [[], []] },
      ...watchers,
    ], { cfg: config.credentials });
    const { statuses, caught } = watch();
    await until(() => caught.length > 0, 3000, 'the error');
    await sleep(800);
    assert.strictEqual(caught.length, 1);
    assert.match(caught[0].error.message, /sentry2-sim is a snmp device, not a NUT server: choose a NUT device config/);
    assert.deepStrictEqual(of(statuses, 'ups').map((msg) => [msg.status.fill, msg.status.text]), [['red', 'not a NUT server']]);
  });
});

describe('pdu-trap-in and the kind of device config', function () {
  let nut: NutSim;

  beforeEach(async function () {
    nut = await simDevice('nut-server', { cycle: 0 } as never) as NutSim;
  });

  afterEach(async function () {
    await helper.unload();
    await nut.stop();
  });

  it('refuses a NUT config: traps come only from SNMP devices', async function () {
    await loadFlow([
      { id: 'cfg', type: 'pdu-config', name: 'nut-sim', transport: 'nut', host: '127.0.0.1', port: String(nut.port), profile: 'nut' },
      { id: 'traps', type: 'pdu-trap-in', devices: ['cfg'], port: String(await freeUdpPort()), wires: [[], []] },
      ...watchers,
    ]);
    const { caught } = watch();
    await until(() => caught.length > 0, 3000, 'the error');
    await sleep(300);
    assert.deepStrictEqual(caught.map((msg) => msg.error.message), ['nut-sim is a nut device: traps come only from SNMP devices']);
  });
});

describe('a device that stops answering', function () {
  this.timeout(30000);
  let sim: SimDevice;
  let proxy: UdpProxy;

  beforeEach(async function () {
    sim = await simDevice('sentry2');
    proxy = await udpProxy(sim.port);
  });

  afterEach(async function () {
    await helper.unload();
    await proxy.close();
    await sim.stop();
  });

  async function pollFlow(everyFailure: boolean) {
    const config = snmpConfig('cfg', sim, { port: String(proxy.port), timeout: '150', retries: '0' });
    await loadFlow([
      config.node,
      { id: 'status', type: 'pdu-status', device: 'cfg', interval: 0.2, everyFailure, wires: [['snaps'], ['events']] },
      { id: 'snaps', type: 'helper' },
      { id: 'events', type: 'helper' },
      ...watchers,
    ], { cfg: config.credentials });
    return { ...watch(), snaps: collect<Msg>(helper.getNode('snaps')), events: collect<Msg>(helper.getNode('events')) };
  }

  it('pdu-status: one error when it goes, one line when it returns, and its own status in between', async function () {
    const { statuses, caught, snaps, events } = await pollFlow(false);
    await until(() => snaps.length > 0, 5000, 'a snapshot');
    proxy.dropAll = true;
    await until(() => caught.length > 0, 5000, 'the failure');
    const failedAt = of(statuses, 'status').length;
    await sleep(3000); // ten polls or more, every one failing
    assert.strictEqual(caught.length, 1, 'one error for the whole outage');
    assert.deepStrictEqual(logged(20, 'status'), [], 'nothing more in the log');
    const since = of(statuses, 'status').slice(failedAt - 1);
    assert.deepStrictEqual([...new Set(since.map((msg) => msg.status.fill))], ['red'], `the failure stays in view: ${since.map((m) => m.status.text).join(' | ')}`);
    proxy.dropAll = false;
    const count = snaps.length;
    await until(() => snaps.length > count, 8000, 'polling again');
    await sleep(300);
    const back = helper.log().args.map((args: Msg[]) => args[0]).filter((event: Msg) => event.id === 'status' && /answers again after \d+ failed polls/.test(event.msg));
    assert.strictEqual(back.length, 1, 'one line when it returns');
    assert.deepStrictEqual(events.map((msg) => msg.topic).filter((topic) => /^comm/.test(topic)), ['commLost', 'commRestored']);
    assert.strictEqual(of(statuses, 'status').pop()!.status.fill, 'green');
  });

  it('pdu-status with "every failed poll to Catch": each failure goes to Catch', async function () {
    const { caught, snaps } = await pollFlow(true);
    await until(() => snaps.length > 0, 5000, 'a snapshot');
    proxy.dropAll = true;
    await sleep(2500);
    assert.ok(caught.length >= 4, `${caught.length} errors`);
  });
});

describe('ups-nut when upsd goes away', function () {
  this.timeout(20000);
  let nut: NutSim;

  afterEach(async function () {
    await helper.unload();
    await nut.stop().catch(() => undefined);
  });

  it('one error, its own failure in view, no flood at each poll', async function () {
    nut = await simDevice('nut-server', { cycle: 0 } as never) as NutSim;
    await loadFlow([
      { id: 'cfg', type: 'pdu-config', name: 'nut-sim', transport: 'nut', host: '127.0.0.1', port: String(nut.port), profile: 'nut', timeout: '300', retries: '0' },
      { id: 'upsPoll', type: 'ups-nut', device: 'cfg', ups: 'ups', mode: 'poll', interval: 0.2, wires: [['out'], []] },
      { id: 'out', type: 'helper' },
      ...watchers,
    ]);
    const { statuses, caught } = watch();
    const out = collect<Msg>(helper.getNode('out'));
    await until(() => out.length > 0, 5000, 'a status');
    await nut.stop();
    await until(() => caught.length > 0, 5000, 'the failure');
    const failedAt = of(statuses, 'upsPoll').length;
    await sleep(2500);
    assert.strictEqual(caught.length, 1, 'one error for the whole outage');
    const since = of(statuses, 'upsPoll').slice(failedAt - 1);
    assert.ok(since.every((msg) => msg.status.fill === 'red' && msg.status.shape === 'dot'),
      `its own failure stays in view: ${since.map((m) => `${m.status.fill}/${m.status.shape} ${m.status.text}`).join(' | ')}`);
  });
});
