import assert from 'assert';
import * as net from 'net';
import { NutClient } from '../../lib/transports/nut/client';
import { collect, helper, loadFlow, until } from '../helpers/red';
import { startUpsd, type Upsd } from '../peers/upsd';

/** What a primary upsmon sends when its system must go down: upsd then reports FSD for the UPS. */
function askForFsd(port: number, ups: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let answers = '';
    socket.setTimeout(2000, () => socket.destroy(new Error(`FSD ${ups}: no answer from upsd`)));
    socket.on('error', reject);
    socket.on('data', (data) => {
      answers += data.toString();
      if (/^OK FSD-SET$/m.test(answers)) { socket.end(); resolve(); } else if (/^ERR /m.test(answers)) socket.destroy(new Error(answers.trim()));
    });
    socket.write(`USERNAME admin\nPASSWORD secret\nFSD ${ups}\n`);
  });
}

type Msg = Record<string, any>;

// ups-nut as a flow against the real upsd + dummy-ups: the UPS changes by rewriting its .dev
// file, as a real UPS would change what its driver reports.
const dev = (status: string, extra = ''): string => `ups.status: ${status}
battery.charge: 90
battery.runtime: 1800
input.voltage: 230.4
ups.load: 23
ups.mfr: ACME
ups.model: Smart 1500
ups.serial: 0012345
ups.id: rack12
${extra}`;

describe('ups-nut against upsd + dummy-ups', function () {
  this.timeout(60000);
  let upsd: Upsd;
  let other: Upsd;
  let admin: NutClient;

  before(async function () {
    [upsd, other] = await Promise.all([
      startUpsd({ upses: { ups1: { dev: dev('OL CHRG') }, ups2: { dev: dev('OL') } } }),
      startUpsd({ upses: { ups1: { dev: dev('OB DISCHRG') } } }),
    ]);
    admin = new NutClient({ host: '127.0.0.1', port: upsd.port, timeout: 2000, username: 'admin', password: 'secret' });
  });

  after(async function () {
    await admin?.close();
    await Promise.all([upsd?.stop(), other?.stop()]);
  });

  afterEach(async function () {
    await helper.unload();
  });

  const server = (id: string, port: number, name: string, extra: Record<string, unknown> = {}) => ({
    id, type: 'pdu-config', name, transport: 'nut', host: '127.0.0.1', port: String(port), profile: 'nut', timeout: '1500', retries: '0', ...extra,
  });

  async function pollFlow(props: Record<string, unknown> = {}) {
    await loadFlow([
      server('srv', upsd.port, 'srv-a'),
      { id: 'upsPoll', type: 'ups-nut', device: 'srv', ups: 'ups1', mode: 'poll', interval: 0, nocomm: 300, wires: [['statusOut'], ['events']], ...props },
      { id: 'statusOut', type: 'helper' },
      { id: 'events', type: 'helper' },
    ], { srv: { username: 'admin', password: 'secret' } });
    return {
      poll: helper.getNode('upsPoll'),
      statuses: collect<Msg>(helper.getNode('statusOut')),
      events: collect<Msg>(helper.getNode('events')),
    };
  }

  it('polls all variables, numbers as numbers and ups.status split into flags', async function () {
    const { poll, statuses, events } = await pollFlow();
    poll.receive({ topic: 'now' });
    const [msg] = await until(() => statuses.length > 0 && statuses, 5000, 'status');
    assert.strictEqual(msg.topic, 'ups1@srv-a');
    const payload = msg.payload;
    assert.deepStrictEqual(payload.status, ['OL', 'CHRG']);
    assert.strictEqual(payload['ups.status'], 'OL CHRG');
    assert.strictEqual(payload['battery.charge'], 90);
    assert.strictEqual(payload['input.voltage'], 230.4);
    assert.strictEqual(payload['ups.serial'], '0012345', 'serials stay text');
    assert.strictEqual(payload['ups.model'], 'Smart 1500');
    assert.strictEqual(payload['driver.name'], 'dummy-ups');
    assert.strictEqual(payload.ups, 'ups1');
    assert.strictEqual(payload.device, 'ups1@srv-a');
    assert.ok(!Number.isNaN(Date.parse(payload.at)));
    assert.strictEqual(events.length, 0, 'a UPS on line power raises nothing on the first poll');
  });

  it('raises upsmon events on each transition: OL -> OB -> OB LB -> OL, REPLBATT, FSD, and the pairs', async function () {
    const { poll, statuses, events } = await pollFlow();
    const step = async (status: string | null, expected: Array<[string, string]>): Promise<void> => {
      if (status !== null) await upsd.writeDev('ups1', dev(status));
      const before = events.length;
      const seen = statuses.length;
      poll.receive({});
      await until(() => statuses.length > seen, 5000, `status after ${status}`);
      await new Promise((resolve) => { setTimeout(resolve, 50); });
      assert.deepStrictEqual(events.slice(before).map((m) => [m.topic, m.payload.severity]), expected, `after ${status}`);
    };
    await step('OL CHRG', []);
    await step('OB DISCHRG', [['ONBATT', 'warning']]);
    const onBattery = events[events.length - 1].payload;
    assert.deepStrictEqual(onBattery, {
      event: 'ONBATT', severity: 'warning', device: 'ups1@srv-a', source: 'nut', value: 'OB DISCHRG',
      text: 'UPS ups1@srv-a on battery', raw: { ups: 'ups1', server: 'srv-a', status: ['OB', 'DISCHRG'], charge: 90, runtime: 1800 },
    });
    await step('OB DISCHRG LB', [['LOWBATT', 'critical']]);
    await step('OL CHRG', [['ONLINE', 'info']]);
    await step('OL CHRG RB', [['REPLBATT', 'warning']]);
    await step('OL CHRG CAL TRIM', [['CAL', 'info'], ['TRIM', 'info']]);
    await step('OL BOOST OVER ALARM BYPASS OFF', [['NOTCAL', 'info'], ['OFF', 'warning'], ['BYPASS', 'warning'], ['OVER', 'warning'],
      ['NOTTRIM', 'info'], ['BOOST', 'info'], ['ALARM', 'warning']]);
    await step('OL HB', [['NOTOFF', 'info'], ['NOTBYPASS', 'info'], ['NOTOVER', 'info'], ['NOTBOOST', 'info'], ['NOTALARM', 'info']]);
    await step('OL ECO', [['OTHER', 'warning']]);
    await step('OL', [['NOTOTHER', 'info']]);
    // FSD is set by upsd itself (a primary upsmon asked for it): it prefixes the driver's status.
    await askForFsd(upsd.port, 'ups1');
    await step(null, [['FSD', 'critical']]);
    assert.deepStrictEqual(statuses[statuses.length - 1].payload.status, ['FSD', 'OL']);
    // upsd keeps FSD until it restarts: start it afresh for the tests that follow.
    await helper.unload();
    await upsd.killUpsd();
    await upsd.startUpsd();
  });

  it('reports a UPS already on battery on the first poll, and tells several UPSes and servers apart', async function () {
    await loadFlow([
      server('srvA', upsd.port, 'srv-a'),
      server('srvB', other.port, 'srv-b'),
      { id: 'a1', type: 'ups-nut', device: 'srvA', ups: 'ups1', mode: 'poll', interval: 0, wires: [['statusOut'], ['events']] },
      { id: 'a2', type: 'ups-nut', device: 'srvA', ups: 'ups2', mode: 'poll', interval: 0, wires: [['statusOut'], ['events']] },
      { id: 'b1', type: 'ups-nut', device: 'srvB', ups: '', mode: 'poll', interval: 0, wires: [['statusOut'], ['events']] },
      { id: 'statusOut', type: 'helper' },
      { id: 'events', type: 'helper' },
    ]);
    const statuses = collect<Msg>(helper.getNode('statusOut'));
    const events = collect<Msg>(helper.getNode('events'));
    await upsd.writeDev('ups1', dev('OL'));
    for (const id of ['a1', 'a2', 'b1']) helper.getNode(id).receive({});
    await until(() => statuses.length === 3 && events.length === 1, 5000, 'three statuses, one event');
    assert.deepStrictEqual(statuses.map((m) => m.topic).sort(), ['ups1@srv-a', 'ups1@srv-b', 'ups2@srv-a']);
    assert.strictEqual(events[0].topic, 'ONBATT');
    assert.strictEqual(events[0].payload.device, 'ups1@srv-b', 'the only UPS of a server needs no name');
  });

  describe('command, set and list', function () {
    async function actFlow(mode: string, credentials: Record<string, string> = { username: 'admin', password: 'secret' }) {
      await loadFlow([
        server('srv', upsd.port, 'srv-a'),
        { id: 'act', type: 'ups-nut', device: 'srv', ups: 'ups2', mode, wires: [['result']] },
        { id: 'result', type: 'helper' },
        { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
        { id: 'caught', type: 'helper' },
      ], { srv: credentials });
      return { act: helper.getNode('act'), results: collect<Msg>(helper.getNode('result')), caught: collect<Msg>(helper.getNode('caught')) };
    }

    it('sets msg.variable to msg.payload, confirmed through TRACKING, and the value round-trips', async function () {
      const { act, results } = await actFlow('set');
      act.receive({ variable: 'ups.id', payload: 'rack 7 (left)' });
      const [msg] = await until(() => results.length > 0 && results, 8000, 'result');
      assert.strictEqual(msg.payload.result, 'SUCCESS');
      assert.deepStrictEqual([msg.payload.ups, msg.payload.variable, msg.payload.value], ['ups2', 'ups.id', 'rack 7 (left)']);
      assert.strictEqual(await admin.getVar('ups2', 'ups.id'), 'rack 7 (left)');
    });

    const refusals: Array<[string, string, Msg, Record<string, string> | undefined, RegExp]> = [
      ['an instant command the UPS lacks', 'command', { payload: 'beeper.enable' }, undefined, /INSTCMD ups2 beeper\.enable: .*does not support this instant command.*\[CMD-NOT-SUPPORTED\]/],
      ['a command the driver cannot run (tracked)', 'command', { payload: 'load.off', param: 10 }, undefined, /INSTCMD ups2 load\.off 10: the driver of "ups2" did not handle it/],
      ['an unknown UPS in msg.ups', 'command', { payload: 'load.off', ups: 'nope' }, undefined, /has no UPS "nope".*\[UNKNOWN-UPS\]/],
      ['a read-only variable', 'set', { variable: 'driver.name', payload: 'x' }, undefined, /SET VAR ups2 driver\.name: the variable is read-only \[READONLY\]/],
      ['a wrong password', 'set', { variable: 'ups.id', payload: 'x' }, { username: 'admin', password: 'nope' }, /access denied for user "admin".*\[ACCESS-DENIED\]/],
      ['a missing user', 'command', { payload: 'load.off' }, {}, /upsd needs a user for this.*\[USERNAME-REQUIRED\]/],
      ['a set without msg.variable', 'set', { payload: 'x' }, undefined, /msg\.variable must name the variable/],
      ['a command without a name', 'command', { payload: 42 }, undefined, /msg\.payload must name an instant command/],
    ];
    for (const [what, mode, msg, credentials, expected] of refusals) {
      it(`refuses ${what} with one clear error`, async function () {
        const { act, results, caught } = await actFlow(mode, credentials);
        act.receive(msg);
        const [error] = await until(() => caught.length > 0 && caught, 8000, 'error');
        assert.match(error.error.message, expected);
        await new Promise((resolve) => { setTimeout(resolve, 100); });
        assert.strictEqual(results.length, 0);
        assert.strictEqual(caught.length, 1);
      });
    }

    it('lists the UPSes, and a UPS\'s variables, commands and writable variables with types', async function () {
      const { act, results } = await actFlow('list');
      act.receive({});
      const [msg] = await until(() => results.length > 0 && results, 5000, 'list');
      const listing = msg.payload;
      assert.deepStrictEqual(listing.upses.map((u: Msg) => u.name), ['ups1', 'ups2']);
      assert.strictEqual(listing.ups, 'ups2');
      assert.strictEqual(listing.variables['battery.charge'], 90);
      assert.deepStrictEqual(listing.commands, [{ name: 'load.off', description: 'Turn off the load immediately' }]);
      const charge = listing.writable.find((w: Msg) => w.name === 'battery.charge');
      assert.deepStrictEqual([charge.value, charge.type.number, charge.description], ['90', true, 'Battery charge (percent of full)']);
    });
  });

  it('link loss: COMMBAD (critical while on battery), NOCOMM, status on every node, then COMMOK and polling again', async function () {
    await upsd.writeDev('ups1', dev('OB DISCHRG'));
    await loadFlow([
      server('srv', upsd.port, 'srv-a'),
      { id: 'upsPoll', type: 'ups-nut', device: 'srv', ups: 'ups1', mode: 'poll', interval: 0.3, nocomm: 1, wires: [['statusOut'], ['events']] },
      { id: 'upsCmd', type: 'ups-nut', device: 'srv', ups: 'ups1', mode: 'command', wires: [[]] },
      { id: 'watch', type: 'status', scope: ['upsCmd'], wires: [['nodeStatus']] },
      { id: 'statusOut', type: 'helper' },
      { id: 'events', type: 'helper' },
      { id: 'nodeStatus', type: 'helper' },
    ], { srv: { username: 'admin', password: 'secret' } });
    const statuses = collect<Msg>(helper.getNode('statusOut'));
    const events = collect<Msg>(helper.getNode('events'));
    const nodeStatus = collect<Msg>(helper.getNode('nodeStatus'));
    await until(() => events.some((m) => m.topic === 'ONBATT'), 5000, 'ONBATT');
    await upsd.killUpsd();
    const commbad = await until(() => events.find((m) => m.topic === 'COMMBAD'), 5000, 'COMMBAD');
    assert.strictEqual(commbad.payload.severity, 'critical');
    assert.match(commbad.payload.text, /Communications with UPS ups1@srv-a lost \(.+\) while on battery/);
    await until(() => nodeStatus.some((m) => m.status.fill === 'red' && m.status.shape === 'ring'), 5000, 'the other node shows the lost link');
    const nocomm = await until(() => events.find((m) => m.topic === 'NOCOMM'), 5000, 'NOCOMM');
    assert.strictEqual(nocomm.payload.severity, 'critical');
    assert.strictEqual(events.filter((m) => m.topic === 'COMMBAD').length, 1, 'COMMBAD once per loss');
    await upsd.startUpsd();
    const countBefore = statuses.length;
    await until(() => events.find((m) => m.topic === 'COMMOK'), 10000, 'COMMOK');
    await until(() => statuses.length > countBefore + 2, 5000, 'polling resumed');
    await until(() => nodeStatus.some((m) => m.status.fill === 'green' && /^connected/.test(m.status.text)), 5000, 'connected again on the other node');
    assert.deepStrictEqual(statuses[statuses.length - 1].payload.status, ['OB', 'DISCHRG']);
  });
});

describe('ups-nut over STARTTLS (pdu-config TLS block) against upsd with a certificate', function () {
  this.timeout(30000);
  let upsd: Upsd;

  before(async function () {
    upsd = await startUpsd({ upses: { ups1: { dev: dev('OL') } }, tls: true });
  });

  after(async function () {
    await helper.unload();
    await upsd?.stop();
  });

  async function run(configExtra: Record<string, unknown>) {
    await helper.unload();
    await loadFlow([
      { id: 'srv', type: 'pdu-config', name: 'tls', transport: 'nut', host: '127.0.0.1', port: String(upsd.port), profile: 'nut', ...configExtra },
      { id: 'upsPoll', type: 'ups-nut', device: 'srv', ups: 'ups1', mode: 'poll', interval: 0, wires: [['statusOut'], []] },
      { id: 'statusOut', type: 'helper' },
      { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
      { id: 'caught', type: 'helper' },
    ], { srv: { username: 'admin', password: 'secret' } });
    const statuses = collect<Msg>(helper.getNode('statusOut'));
    const caught = collect<Msg>(helper.getNode('caught'));
    helper.getNode('upsPoll').receive({});
    await until(() => statuses.length + caught.length > 0, 5000, 'an outcome');
    return { statuses, caught };
  }

  it('polls through TLS verified with the configured CA file', async function () {
    const { statuses, caught } = await run({ nutStarttls: true, nutCaFile: upsd.caFile });
    assert.deepStrictEqual(caught, []);
    assert.deepStrictEqual(statuses[0].payload.status, ['OL']);
  });

  it('refuses a certificate no configured CA vouches for, and a CA file without STARTTLS', async function () {
    const untrusted = await run({ nutStarttls: true });
    assert.match(untrusted.caught[0].error.message, /TLS with upsd at 127\.0\.0\.1:\d+ failed: .*check the CA file/);
    const misconfigured = await run({ nutStarttls: false, nutCaFile: upsd.caFile });
    assert.match(misconfigured.caught[0].error.message, /a CA file is set but STARTTLS is off/);
  });
});
