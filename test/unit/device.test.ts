import assert from 'assert';
import { Device, type DeviceOptions } from '../../lib/device/device';
import { driverFor } from '../helpers/drivers';
import { DeviceConfigError, SafetyError } from '../../lib/device/errors';
import type { SimDevice } from '../../sim';
import { simDevice } from '../helpers/sim';

// The device layer's safety rules and timing, over real SNMP to the Sentry2 simulator, with a
// virtual clock so that the 15 s reboot and the minimum times are checked exactly, not waited.

describe('Device safety rules and timing', function () {
  let sim: SimDevice;
  let now: number;
  let sleeps: number[];
  let audit: string[];

  beforeEach(async function () {
    sim = await simDevice('sentry2');
    now = 1_700_000_000_000;
    sleeps = [];
    audit = [];
  });

  afterEach(async function () {
    await sim.stop();
  });

  function device(options: Partial<DeviceOptions> = {}): Device {
    return new Device({
      name: 'rack-12',
      driver: driverFor({
        transport: 'snmp', host: '127.0.0.1', port: sim.port, profile: 'sentry2', timeout: 400, retries: 0,
        snmpVersion: '2c', credentials: { readCommunity: 'public', writeCommunity: 'private' },
      }),
      clock: { now: () => now, sleep: async (ms) => { sleeps.push(ms); now += ms; } },
      verifyInterval: 10,
      verifyTimeout: 2000,
      log: { info: (text) => audit.push(text), warn: () => undefined },
      ...options,
    });
  }

  function outletHistory(number: number): boolean[] {
    const seen: boolean[] = [];
    sim.model.on('change', (change) => { if (change.kind === 'outlet' && change.outlet.number === number) seen.push(change.on); });
    return seen;
  }

  it('reboots by off, 15 s, on when the device\'s own reboot is not used', async function () {
    const pdu = device({ nativeReboot: false });
    const seen = outletHistory(2);
    const result = await pdu.switch({ targets: 2, action: 'reboot' });
    assert.deepStrictEqual(seen, [false, true]);
    assert.deepStrictEqual(sleeps.filter((ms) => ms >= 1000), [15_000]);
    assert.deepStrictEqual(sim.sets!.map((set) => set.value), [1, 2], 'powerOff then powerOn, no native reboot');
    assert.strictEqual(result.outlets[0].verified, true);
    await pdu.close();
  });

  it('keeps a reboot off for the minimum off time when it is longer than 15 s', async function () {
    const pdu = device({ nativeReboot: false, minOffTime: 40 });
    await pdu.switch({ targets: 2, action: 'reboot' });
    assert.deepStrictEqual(sleeps.filter((ms) => ms >= 1000), [40_000]);
    await pdu.close();
  });

  it('waits out the minimum off time before turning an outlet back on', async function () {
    const pdu = device({ minOffTime: 30 });
    await pdu.switch({ targets: 4, action: 'off' });
    now += 10_000;
    await pdu.switch({ targets: 4, action: 'on' });
    assert.deepStrictEqual(sleeps.filter((ms) => ms >= 1000), [20_000]);
    assert.strictEqual(sim.model.outlet(4)!.on, true);
    await pdu.close();
  });

  it('waits out the minimum on time before turning an outlet off', async function () {
    const pdu = device({ minOnTime: 5 });
    sim.model.switch(4, false);
    await pdu.switch({ targets: 4, action: 'on' });
    now += 2_000;
    await pdu.switch({ targets: 4, action: 'off' });
    assert.deepStrictEqual(sleeps.filter((ms) => ms >= 1000), [3_000]);
    await pdu.close();
  });

  it('reports verified: false when the outlet never reaches the state', async function () {
    const pdu = device({ verifyTimeout: 200 });
    // The module keeps the outlet on whatever it is told (a stuck relay):
    sim.model.on('change', (change) => { if (change.kind === 'outlet' && !change.on) setImmediate(() => sim.model.switch(1, true)); });
    const result = await pdu.switch({ targets: 1, action: 'off' });
    assert.strictEqual(result.outlets[0].verified, false);
    assert.strictEqual(result.outlets[0].after, 'on');
    assert.strictEqual(result.changed, 0);
    await pdu.close();
  });

  it('refuses every command while the locked list names an unknown outlet', async function () {
    const pdu = device({ locked: 'no-such-outlet' });
    await assert.rejects(pdu.switch({ targets: 1, action: 'off' }),
      (error: Error) => error instanceof DeviceConfigError && /locked outlet list is invalid.*no outlet is switched until it is fixed/.test(error.message));
    assert.strictEqual(sim.model.outlet(1)!.on, true);
    await pdu.close();
  });

  it('refuses a group made only of locked outlets, naming them', async function () {
    const pdu = device({ locked: ['.A1', 'server-02'], groups: { core: '1,2' } });
    await assert.rejects(pdu.switch({ targets: 'core', action: 'off' }),
      (error: Error) => error instanceof SafetyError && error.code === 'locked'
        && /outlet 1 \(server-01\), outlet 2 \(server-02\) not switched/.test(error.message));
    assert.deepStrictEqual(sim.sets, []);
    await pdu.close();
  });

  it('checks the appliance with ping when no port is given', async function () {
    const pdu = device();
    await assert.rejects(pdu.switch({ targets: 1, action: 'reboot', probe: { host: '127.0.0.1' } }),
      (error: Error) => error instanceof SafetyError && /ping 127\.0\.0\.1: echo reply/.test(error.message));
    assert.deepStrictEqual(sim.sets, []);
    await pdu.close();
  });

  it('switches when the appliance\'s port does not accept a connection (its service is dead)', async function () {
    const pdu = device();
    const net = await import('net');
    const closed = await new Promise<number>((resolve) => {
      const server = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const result = await pdu.switch({ targets: 1, action: 'off', probe: { host: '127.0.0.1', port: closed, timeout: 300 } });
    assert.strictEqual(result.outlets[0].after, 'off');
    await pdu.close();
  });

  it('never probes before turning on', async function () {
    const pdu = device();
    sim.model.switch(1, false);
    const result = await pdu.switch({ targets: 1, action: 'on', probe: { host: '127.0.0.1' } });
    assert.strictEqual(result.outlets[0].after, 'on');
    await pdu.close();
  });

  it('writes an audit line for every command, with who, what, where and the outcome, and no secret', async function () {
    const pdu = device();
    await pdu.switch({ targets: [1, 'server-03'], action: 'off', requester: { id: 'n1', name: 'night shutdown' } });
    await pdu.switch({ targets: 99, action: 'off', requester: { id: 'n1', name: 'night shutdown' } }).catch(() => undefined);
    const lines = audit.filter((line) => line.startsWith('audit: '));
    assert.strictEqual(lines.length, 1, 'a refused target never reaches the device, so it has no audit line');
    assert.match(audit.find((line) => !line.startsWith('audit: ')) ?? '', /^rack-12: Server Technology .*, profile sentry2, 8 outlets at 127\.0\.0\.1:\d+$/);
    assert.match(lines[0], /^audit: \d{4}-\d\d-\d\dT.* night shutdown \(n1\) off outlet 1 \(server-01\), outlet 3 \(server-03\) on rack-12 \(127\.0\.0\.1:\d+\): ok, 2\/2 verified in \d+ ms$/);
    assert.ok(audit.every((line) => !line.includes('private') && !line.includes('public')));
    await pdu.close();
  });

  it('serialises a reboot and another command on the same outlet', async function () {
    const pdu = device({ nativeReboot: false });
    const seen = outletHistory(3);
    await Promise.all([
      pdu.switch({ targets: 3, action: 'reboot' }),
      pdu.switch({ targets: 3, action: 'off' }),
    ]);
    assert.deepStrictEqual(seen, [false, true, false], 'the off waits for the reboot to finish');
    await pdu.close();
  });

  it('reports the connection state to its listeners', async function () {
    const pdu = device();
    const states: string[] = [];
    pdu.on('status', ({ state }) => states.push(state));
    await pdu.describe();
    await sim.stop();
    await pdu.read().catch(() => undefined);
    assert.deepStrictEqual(states, ['connecting', 'connected', 'disconnected']);
    assert.match(pdu.connection.text, /no answer from 127\.0\.0\.1:\d+ after 1 try/);
    await pdu.close();
    sim = await simDevice('sentry2');
  });
});
