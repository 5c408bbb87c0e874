import assert from 'assert';
import { getEventListeners } from 'events';
import net from 'net';
import { Device, type Clock, type DeviceOptions } from '../../lib/device/device';
import { driverFor } from '../helpers/drivers';
import { DeviceClosedError, SafetyError } from '../../lib/device/errors';
import type { DeviceEvent } from '../../lib/types';
import type { SimDevice } from '../../sim';
import { freeTcpPort } from '../peers/ports';
import { until } from '../helpers/red';
import { simDevice } from '../helpers/sim';
import { udpProxy, type UdpProxy } from '../helpers/udp-proxy';

// The power-safety cases that once switched an outlet the flow did not ask for, over real SNMP
// to the Sentry2 simulator. The SET log of the simulator proves what was (and was not) sent.
// Sentry2 powerAction values: 1 powerOff, 2 powerOn.
const OFF = 1;
const ON = 2;

/**
 * A clock the test moves: waits of a second or more (the reboot's off time, minimum times)
 * hold until advance(); shorter ones (verification polls) pass at once.
 */
function manualClock(): Clock & { advance(ms: number): void; holding(): number } {
  let now = 1_700_000_000_000;
  let held: Array<{ until: number; resolve: () => void }> = [];
  return {
    now: () => now,
    sleep: (ms) => new Promise<void>((resolve) => {
      if (ms < 1000) {
        now += ms;
        resolve();
      } else {
        held.push({ until: now + ms, resolve });
      }
    }),
    advance(ms: number) {
      now += ms;
      const due = held.filter((sleep) => sleep.until <= now);
      held = held.filter((sleep) => sleep.until > now);
      for (const sleep of due) sleep.resolve();
    },
    holding: () => held.length,
  };
}

describe('Device power safety under faults', function () {
  let sim: SimDevice;
  let clock: ReturnType<typeof manualClock>;
  let logs: { info: string[]; warn: string[] };
  let opened: Device[];
  let proxy: UdpProxy | undefined;

  beforeEach(async function () {
    sim = await simDevice('sentry2');
    clock = manualClock();
    logs = { info: [], warn: [] };
    opened = [];
  });

  afterEach(async function () {
    await Promise.all(opened.map((device) => device.close()));
    await proxy?.close();
    proxy = undefined;
    await sim.stop();
  });

  function device(options: Partial<DeviceOptions> = {}, port = sim.port): Device {
    const created = new Device({
      name: 'rack-12',
      driver: driverFor({
        transport: 'snmp', host: '127.0.0.1', port, profile: 'sentry2', timeout: 300, retries: 0,
        snmpVersion: '2c', credentials: { readCommunity: 'public', writeCommunity: 'private' },
      }),
      nativeReboot: false,
      clock,
      verifyInterval: 10,
      verifyTimeout: 500,
      log: { info: (text) => logs.info.push(text), warn: (text) => logs.warn.push(text) },
      ...options,
    });
    opened.push(created);
    return created;
  }

  const setValues = (): number[] => sim.sets!.map((set) => Number(set.value));

  describe('closing (a redeploy) in the middle of a command', function () {
    it('cancels a reboot in its off period: never sends the on, says the outlet was left off', async function () {
      const pdu = device();
      const events: DeviceEvent[] = [];
      pdu.on('event', (event) => events.push(event));
      const reboot = pdu.switch({ targets: 4, action: 'reboot' });
      const outcome = reboot.then(() => undefined, (error: Error) => error);
      await until(() => clock.holding() === 1, 5000, 'the reboot\'s off period');
      assert.deepStrictEqual(setValues(), [OFF]);

      await pdu.close();
      clock.advance(60_000); // long past the 15 s the reboot would have waited
      const error = await outcome;
      assert.ok(error instanceof DeviceClosedError, String(error));
      assert.strictEqual(error.message, 'outlet 4 (server-04) left off on rack-12: flow stopped during reboot');
      assert.deepStrictEqual(logs.warn, ['outlet 4 (server-04) left off on rack-12: flow stopped during reboot']);
      assert.deepStrictEqual(events.map((event) => [event.event, event.severity, event.source, event.outlet?.index]),
        [['outletLeftOff', 'critical', 'command', 4]]);
      await new Promise((resolve) => { setTimeout(resolve, 300); });
      assert.deepStrictEqual(setValues(), [OFF], 'nothing is sent after close');
      assert.strictEqual(sim.model.outlet(4)!.on, false);
      assert.match(logs.info.find((line) => line.startsWith('audit: ')) ?? '', /failed: outlet 4 \(server-04\) left off/);
    });

    it('sends nothing that waited for a minimum time, and refuses every call once closed', async function () {
      const pdu = device({ minOffTime: 60 });
      await pdu.switch({ targets: 2, action: 'off' });
      const on = pdu.switch({ targets: 2, action: 'on' }).then(() => undefined, (error: Error) => error);
      await until(() => clock.holding() === 1, 5000, 'the minimum off time');
      await pdu.close();
      clock.advance(120_000);
      const error = await on;
      assert.ok(error instanceof DeviceClosedError);
      assert.deepStrictEqual(setValues(), [OFF]);
      assert.deepStrictEqual(logs.warn, [], 'nothing was left behind by the on that never went');
      for (const call of [() => pdu.describe(), () => pdu.read(), () => pdu.switch({ targets: 1, action: 'off' })]) {
        await assert.rejects(call(), DeviceClosedError);
      }
      assert.deepStrictEqual(setValues(), [OFF]);
    });

    it('refuses commands queued behind the one on the wire, and closes promptly', async function () {
      const pdu = device();
      await pdu.describe();
      const first = pdu.switch({ targets: 1, action: 'off' });
      const queued = [2, 3, 5].map((target) => pdu.switch({ targets: target, action: 'off' }).then(() => 'sent', (error: Error) => error.name));
      const started = Date.now();
      await pdu.close();
      assert.ok(Date.now() - started < 2000, 'close does not wait for the queue');
      await first.catch(() => undefined);
      assert.deepStrictEqual(await Promise.all(queued), ['DeviceClosedError', 'DeviceClosedError', 'DeviceClosedError']);
      assert.ok(setValues().length <= 1, `at most the command already on the wire was sent (sent ${setValues().length})`);
      assert.strictEqual([2, 3, 5].every((number) => sim.model.outlet(number)!.on), true);
    });
  });

  it('leaves no listener on its close signal after each wait (the real clock)', async function () {
    const pdu = device({ clock: undefined });
    const waits = pdu as unknown as { sleep(ms: number): Promise<void>; closeSignal: AbortController };
    for (let i = 0; i < 50; i += 1) await waits.sleep(1);
    assert.strictEqual(getEventListeners(waits.closeSignal.signal, 'abort').length, 0);
  });

  describe('the appliance check, at the moment the off is sent', function () {
    it('refuses a reboot that waited while the appliance came up', async function () {
      const pdu = device({ minOnTime: 30 });
      sim.model.switch(3, false);
      await pdu.switch({ targets: 3, action: 'on' });
      const port = await freeTcpPort();
      // Nothing answers on the appliance's port when the message arrives ...
      const reboot = pdu.switch({ targets: 3, action: 'reboot', probe: { host: '127.0.0.1', port, timeout: 500 } })
        .then(() => undefined, (error: Error) => error);
      await until(() => clock.holding() === 1, 5000, 'the minimum on time');
      // ... and the appliance has started answering by the time the minimum on time is over.
      const appliance = net.createServer((socket) => socket.destroy()).listen(port, '127.0.0.1');
      try {
        await new Promise((resolve) => appliance.once('listening', resolve));
        clock.advance(30_000);
        const error = await reboot;
        assert.ok(error instanceof SafetyError && error.code === 'appliance-answering', String(error));
        assert.match(error.message, /refused to reboot outlet 3 \(server-03\) on rack-12: the appliance answers \(tcp 127\.0\.0\.1:\d+: connection accepted\)/);
        assert.deepStrictEqual(setValues(), [ON], 'only the first on was ever sent');
        assert.strictEqual(sim.model.outlet(3)!.on, true);
      } finally {
        appliance.close();
      }
    });

    it('probes before the off of a reboot queued behind another one on the same outlet', async function () {
      const pdu = device();
      const port = await freeTcpPort();
      const first = pdu.switch({ targets: 6, action: 'reboot' });
      await until(() => clock.holding() === 1, 5000, 'the first reboot\'s off period');
      const second = pdu.switch({ targets: 6, action: 'reboot', probe: { host: '127.0.0.1', port, timeout: 500 } })
        .then(() => undefined, (error: Error) => error);
      // Long enough for a probe made on arrival to have found nothing listening.
      await new Promise((resolve) => { setTimeout(resolve, 300); });
      const appliance = net.createServer((socket) => socket.destroy()).listen(port, '127.0.0.1');
      try {
        await new Promise((resolve) => appliance.once('listening', resolve));
        clock.advance(15_000);
        await first;
        const error = await second;
        assert.ok(error instanceof SafetyError && error.code === 'appliance-answering', String(error));
        assert.deepStrictEqual(setValues(), [OFF, ON], 'the queued reboot never cut the power');
      } finally {
        appliance.close();
      }
    });
  });

  describe('outlets renamed on the device', function () {
    it('re-reads names older than the bound before a command, and switches the outlet that has the name now', async function () {
      const pdu = device();
      await pdu.describe();
      sim.model.rename(1, 'spare-1');
      sim.model.rename(5, 'server-01');
      clock.advance(11_000);
      const result = await pdu.switch({ targets: 'server-01', action: 'off' });
      assert.deepStrictEqual(result.outlets.map((outlet) => [outlet.index, outlet.name]), [[5, 'server-01']]);
      assert.strictEqual(sim.model.outlet(1)!.on, true, 'the outlet that used to be server-01 is untouched');
      assert.strictEqual(sim.model.outlet(5)!.on, false);
      assert.ok(logs.info.some((line) => /outlets renamed on the device: outlet 1 "server-01" is now "spare-1", outlet 5 "server-05" is now "server-01"/.test(line)));
    });

    it('learns new names from each poll, at once', async function () {
      const pdu = device();
      await pdu.describe();
      sim.model.rename(2, 'db-07');
      const snapshot = await pdu.read();
      assert.strictEqual(snapshot.outlets[1].name, 'db-07');
      const result = await pdu.switch({ targets: 'db-07', action: 'off' });
      assert.deepStrictEqual(result.outlets.map((outlet) => outlet.index), [2]);
      await assert.rejects(pdu.switch({ targets: 'server-02', action: 'off' }), /unknown outlet "server-02"/);
      assert.deepStrictEqual(setValues(), [OFF]);
    });

    it('resolves a command that waited behind a reboot with the names as they are when it runs', async function () {
      const pdu = device();
      const reboot = pdu.switch({ targets: 1, action: 'reboot' });
      await until(() => clock.holding() === 1, 5000, 'the reboot\'s off period');
      const off = pdu.switch({ targets: 'server-01', action: 'off' });
      await new Promise((resolve) => { setTimeout(resolve, 50); });
      sim.model.rename(1, 'spare-1');
      sim.model.rename(5, 'server-01');
      clock.advance(15_000);
      await reboot;
      const result = await off;
      assert.deepStrictEqual(result.outlets.map((outlet) => outlet.index), [5]);
      assert.strictEqual(sim.model.outlet(1)!.on, true, 'the rebooted outlet came back on and stayed on');
      assert.strictEqual(sim.model.outlet(5)!.on, false);
    });
  });

  describe('an expiry (a command from another site): checked when the command is sent', function () {
    it('refuses a command queued behind a reboot past its expiry; the reboot that started in time turns its outlet back on', async function () {
      const pdu = device();
      const expiry = clock.now() + 5_000;
      const reboot = pdu.switch({ targets: 6, action: 'reboot', notAfter: expiry });
      await until(() => clock.holding() === 1, 5000, 'the reboot\'s off period');
      const queued = pdu.switch({ targets: 6, action: 'off', notAfter: expiry }).then(() => undefined, (error: Error) => error);
      clock.advance(15_000); // the reboot's off time: long past both expiries
      const result = await reboot;
      assert.strictEqual(result.outlets[0].after, 'on', 'the reboot\'s on is not refused: it started in time');
      const error = await queued;
      assert.ok(error instanceof SafetyError && error.code === 'expired', String(error));
      assert.match(error.message, /expired at .* before it could be sent .*outlet 6 \(server-06\) on rack-12 not switched/);
      assert.deepStrictEqual(setValues(), [OFF, ON], 'nothing sent for the expired command');
      assert.strictEqual(sim.model.outlet(6)!.on, true);
    });

    it('refuses at once a command whose minimum off time ends after its expiry, rather than after the wait', async function () {
      const pdu = device({ minOffTime: 60 });
      await pdu.switch({ targets: 2, action: 'off' });
      const error = await pdu.switch({ targets: 2, action: 'on', notAfter: clock.now() + 10_000 }).then(() => undefined, (e: Error) => e);
      assert.ok(error instanceof SafetyError && error.code === 'expired', String(error));
      assert.strictEqual(clock.holding(), 0, 'no wait was started');
      assert.deepStrictEqual(setValues(), [OFF]);
    });
  });

  describe('an answer that never comes back', function () {
    it('reads the outlet back after a SET whose answer was lost, and says what it found', async function () {
      proxy = await udpProxy(sim.port);
      proxy.dropSetAnswers = true;
      const pdu = device({}, proxy.port);
      const error = await pdu.switch({ targets: 2, action: 'off' }).then(() => undefined, (failure: Error) => failure);
      assert.ok(error, 'a lost answer is not a success');
      assert.match(error.message, /; read back after the failure: outlet 2 \(server-02\) is off$/);
      assert.deepStrictEqual((error as Error & { readBack: unknown }).readBack,
        [{ index: 2, id: '.A2', name: 'server-02', state: 'off' }]);
      assert.deepStrictEqual(setValues(), [OFF]);
      assert.ok(proxy.dropped >= 1);
    });

    it('says the state is unknown when the read-back gets no answer either', async function () {
      proxy = await udpProxy(sim.port);
      const pdu = device({}, proxy.port);
      await pdu.describe();
      proxy.dropAll = true;
      const error = await pdu.switch({ targets: 2, action: 'off', verify: false }).then(() => undefined, (failure: Error) => failure);
      // The before-state read is the first thing lost, so nothing was sent: no read-back is due.
      assert.ok(error);
      assert.doesNotMatch(error.message, /read back/);
      assert.deepStrictEqual(setValues(), []);

      proxy.dropAll = false;
      proxy.dropSetAnswers = true;
      // The device goes quiet right after it carried out the SET.
      const goQuiet = (): void => { proxy!.dropAll = true; };
      sim.model.on('change', goQuiet);
      const second = await pdu.switch({ targets: 2, action: 'off' }).then(() => undefined, (failure: Error) => failure);
      sim.model.off('change', goQuiet);
      assert.ok(second);
      assert.match(second.message, /; the outlets' state is unknown: reading them back failed too \(no answer from 127\.0\.0\.1:\d+/);
      assert.deepStrictEqual((second as Error & { readBack: unknown }).readBack,
        [{ index: 2, id: '.A2', name: 'server-02', state: 'unknown' }]);
    });
  });
});
