import assert from 'assert';
import net from 'net';
import type { Device } from '../../../lib/device/device';
import { DeviceCommandError, DeviceConfigError, DeviceUnreachableError } from '../../../lib/device/errors';
import type { CliSimDevice } from '../../../sim/cli/index';
import { cliOptions, deviceFor, powerManagerSim } from '../../helpers/cli';
import { driverOptions } from '../../helpers/drivers';
import { sleep, until } from '../../helpers/red';

// The Sentry power manager over Telnet (the simulator on a loopback port), through the Device,
// as pdu-config uses it: outlets from STATUS ALL and the Power Control Screen, commands with the
// Sentry power manager's answers, device-side locks, one kept session, and every fault the issue lists.

describe('CLI transport over Telnet (sentry-cli against the power-manager simulator)', function () {
  let sim: CliSimDevice;
  let device: Device | undefined;

  afterEach(async function () {
    await device?.close();
    device = undefined;
    await sim?.stop();
  });

  it('lists the ports with absolute names, and names, groups and the banner from the Power Control Screen', async function () {
    sim = await powerManagerSim();
    device = deviceFor(cliOptions(sim));
    const description = await device.describe();
    assert.deepStrictEqual(description.outlets.map((o) => [o.index, o.id, o.name, o.groups.join()]), [
      [1, '.A1', 'router', 'network'], [2, '.A2', 'switch', 'network'], [3, '.A3', 'firewall', 'network'], [4, '.A4', 'nas', ''],
      [5, '.B1', 'srv-01', 'servers'], [6, '.B2', 'srv-02', 'servers'], [7, '.B3', 'srv-03', 'servers'], [8, '.B4', 'srv-04', 'servers'],
    ]);
    assert.strictEqual(description.info, 'power manager Version 2.0a');
    assert.strictEqual(description.profile, 'sentry-cli');
    assert.deepStrictEqual(description.capabilities, {
      switch: true, nativeReboot: true, outletCurrent: true, outletPower: false, moduleStatus: true,
      inputCurrent: false, temperature: true, humidity: false,
    });
    assert.strictEqual(device.connection.state, 'connected');
  });

  it('reads states, module status, loads and board temperatures that match the hardware', async function () {
    sim = await powerManagerSim();
    sim.model.switch(2, false);
    sim.model.outlet(3)!.module = 'onFail';
    sim.model.setSensors(23.4);
    device = deviceFor(cliOptions(sim));
    const snapshot = await device.read();
    snapshot.outlets.forEach((reading, i) => {
      const outlet = sim.model.outlets[i];
      assert.strictEqual(reading.state, outlet.on ? 'on' : 'off', `outlet ${i + 1}`);
      assert.strictEqual(reading.current, outlet.on ? sim.model.current(outlet) : undefined, `outlet ${i + 1} current`);
    });
    assert.deepStrictEqual(snapshot.outlets.map((o) => o.module),
      ['normal', 'normal', 'onFail', 'normal', 'normal', 'normal', 'normal', 'normal']);
    assert.deepStrictEqual(snapshot.sensors, [
      { index: 1, name: 'Board A', type: 'temperature', value: 23.4, unit: '°C' },
      { index: 2, name: 'Board B', type: 'temperature', value: 23.4, unit: '°C' },
    ]);
  });

  it('switches by absolute name, port name and device group, verified, in one kept session', async function () {
    sim = await powerManagerSim();
    device = deviceFor(cliOptions(sim));
    const off = await device.switch({ targets: '.A2', action: 'off' });
    assert.deepStrictEqual(off.outlets, [{ index: 2, id: '.A2', name: 'switch', before: 'on', after: 'off', verified: true }]);
    assert.strictEqual(sim.model.outlet(2)!.on, false);
    const on = await device.switch({ targets: 'switch', action: 'on' });
    assert.strictEqual(on.outlets[0].after, 'on');
    const group = await device.switch({ targets: 'servers', action: 'off' });
    assert.deepStrictEqual(group.outlets.map((o) => [o.id, o.after, o.verified]),
      [['.B1', 'off', true], ['.B2', 'off', true], ['.B3', 'off', true], ['.B4', 'off', true]]);
    assert.ok(sim.console.stats.commands.includes('OFF .B1 .B2 .B3 .B4'), 'a group goes in one command');
    assert.strictEqual(sim.console.stats.logins, 1, 'one login for everything');
  });

  it('reboots with the device\'s REBOOT: seen off, then on again', async function () {
    sim = await powerManagerSim({ rebootDelay: 400 });
    device = deviceFor(cliOptions(sim));
    const seen: boolean[] = [];
    sim.model.on('change', (change) => { if (change.kind === 'outlet') seen.push(change.on); });
    const result = await device.switch({ targets: 1, action: 'reboot' });
    assert.deepStrictEqual(seen, [false, true]);
    assert.deepStrictEqual(result.outlets[0], { index: 1, id: '.A1', name: 'router', before: 'on', after: 'on', verified: true });
    assert.ok(sim.console.stats.commands.includes('REBOOT .A1'));
  });

  it('reports ports the device says are locked ("m port(s) locked") and switches the others', async function () {
    sim = await powerManagerSim({ locked: [4] });
    device = deviceFor(cliOptions(sim));
    const result = await device.switch({ targets: ['router', 'nas'], action: 'off' });
    assert.deepStrictEqual(result.outlets.map((o) => [o.index, o.after]), [[1, 'off']]);
    assert.deepStrictEqual(result.locked, [{ index: 4, id: '.A4', name: 'nas' }]);
    assert.strictEqual(sim.model.outlet(4)!.on, true);
    // Every port of the command locked: nothing to verify, no error.
    const all = await device.switch({ targets: '.A4', action: 'off' });
    assert.deepStrictEqual(all.outlets, []);
    assert.deepStrictEqual(all.locked.map((o) => o.index), [4]);
  });

  it('counts ports a general user has no access to as locked, as the Sentry power manager does', async function () {
    sim = await powerManagerSim({ adminOnly: [5] });
    device = deviceFor(cliOptions(sim, { credentials: { username: 'gen1', password: 'gen1' } }));
    const result = await device.switch({ targets: [5, 6], action: 'off' });
    assert.deepStrictEqual(result.locked.map((o) => o.index), [5]);
    assert.deepStrictEqual(result.outlets.map((o) => o.index), [6]);
    assert.strictEqual(sim.model.outlet(5)!.on, true);
  });

  it('splits names over several commands to keep each under the Sentry power manager\'s 50 characters', async function () {
    sim = await powerManagerSim({ outlets: 16 });
    device = deviceFor(cliOptions(sim));
    const result = await device.switch({ targets: 'all', allowAll: true, action: 'off' });
    assert.strictEqual(result.outlets.length, 16);
    assert.deepStrictEqual([result.outlets[0].name, result.outlets[15].name], ['srv-01', 'srv-16'], 'names fit the screen\'s 8 characters');
    assert.ok(result.outlets.every((o) => o.after === 'off' && o.verified));
    const offs = sim.console.stats.commands.filter((line) => line.startsWith('OFF'));
    assert.deepStrictEqual(offs, ['OFF .A1 .A2 .A3 .A4 .B1 .B2 .B3 .B4 .C1 .C2 .C3 .C4', 'OFF .D1 .D2 .D3 .D4']);
    assert.ok(offs.every((line) => line.length - 4 <= 50));
  });

  it('answers listing pagers ("Press: N)ext, Q)uit:") and returns the whole listing', async function () {
    sim = await powerManagerSim();
    const { CliSession } = await import('../../../lib/transports/cli/session');
    const { TelnetChannel } = await import('../../../lib/transports/cli/telnet');
    const { sentryCli } = await import('../../../lib/profiles/cli/sentry-cli');
    const session = new CliSession({
      dialect: sentryCli, channel: () => new TelnetChannel('127.0.0.1', sim.port), username: 'admn', password: 'admn',
      timeout: 1000, loginTimeout: 3000, idleTime: 5000,
    });
    try {
      const listing = await session.run((io) => io.command('LIST PORTS'));
      for (const id of ['.A1', '.A4', '.B4']) assert.match(listing, new RegExp(`Username List for \\${id} Complete`));
      assert.match(listing, /Port List Complete/);
      assert.doesNotMatch(listing, /Press:/);
    } finally {
      await session.close();
    }
  });

  it('logs out after its idle time and logs in again for the next command', async function () {
    sim = await powerManagerSim();
    device = deviceFor(cliOptions(sim, { extra: { idleTime: 0.3 } }));
    const states: string[] = [];
    device.on('status', ({ state }) => states.push(state));
    await device.describe();
    await until(() => sim.console.stats.sessionsEnded === 1, 3000, 'idle logout');
    assert.strictEqual(sim.console.stats.commands.at(-1), 'QUIT');
    await sleep(200);
    assert.deepStrictEqual(states, ['connecting', 'connected'], 'logging out is not losing the device');
    const result = await device.switch({ targets: 1, action: 'off' });
    assert.strictEqual(result.outlets[0].verified, true);
    assert.strictEqual(sim.console.stats.logins, 2);
    assert.strictEqual(device.connection.state, 'connected');
  });

  it('logs in again when the device ended an idle session first ("Session ended")', async function () {
    sim = await powerManagerSim({ idleTimeout: 300 });
    device = deviceFor(cliOptions(sim, { extra: { idleTime: 30 } }));
    await device.describe();
    await until(() => sim.console.stats.sessionsEnded === 1, 3000, 'the device\'s idle timeout');
    await sleep(100);
    const result = await device.switch({ targets: 2, action: 'off' });
    assert.strictEqual(result.outlets[0].verified, true);
    assert.strictEqual(sim.console.stats.logins, 2);
  });

  it('reconnects and goes on when the device ends the session just as a command arrives', async function () {
    sim = await powerManagerSim();
    device = deviceFor(cliOptions(sim));
    await device.describe();
    sim.console.faults.endBeforeNextInput = true;
    const result = await device.switch({ targets: 7, action: 'off' });
    assert.deepStrictEqual(result.outlets.map((o) => [o.index, o.after, o.verified]), [[7, 'off', true]]);
    assert.strictEqual(sim.console.stats.logins, 2);
    assert.strictEqual(sim.console.stats.commands.filter((command) => command === 'OFF .B3').length, 1);
  });

  it('waits out the pause between sessions, pressing Enter until the banner comes', async function () {
    sim = await powerManagerSim({ sessionGap: 1500 });
    device = deviceFor(cliOptions(sim, { extra: { idleTime: 0.2, loginTimeout: 5 } }));
    await device.describe();
    await until(() => sim.console.stats.sessionsEnded === 1, 3000, 'idle logout');
    const started = Date.now();
    await device.switch({ targets: 1, action: 'off' });
    assert.ok(Date.now() - started >= 1000, 'the second login had to wait for the device');
    assert.strictEqual(sim.console.stats.logins, 2);
  });

  it('gives up with a clear error when no login prompt comes', async function () {
    sim = await powerManagerSim();
    // The controller is reinitializing after a session: it ignores carriage returns for a while.
    sim.console.gapUntil = Date.now() + 60000;
    device = deviceFor(cliOptions(sim, { extra: { loginTimeout: 1.5 } }));
    const started = Date.now();
    await assert.rejects(device.describe(), (error: Error) => {
      assert.ok(error instanceof DeviceUnreachableError);
      assert.match(error.message, /^no login prompt from 127\.0\.0\.1:\d+ within 1500 ms \(Enter sent every second\); the device sent nothing$/);
      return true;
    });
    assert.ok(Date.now() - started >= 1400);
    assert.strictEqual(device.connection.state, 'disconnected');
  });

  it('refuses a wrong password with the device\'s message, once, without retrying', async function () {
    sim = await powerManagerSim();
    device = deviceFor(cliOptions(sim, { credentials: { username: 'admn', password: 'wrong-secret' } }));
    await assert.rejects(device.describe(), (error: Error) => {
      assert.ok(error instanceof DeviceConfigError);
      assert.match(error.message, /^127\.0\.0\.1:\d+ refused the login for user "admn": "Sorry, a username\/Password a user has entered is NOT valid!" \(check the username and password/);
      assert.doesNotMatch(error.message, /wrong-secret/);
      return true;
    });
    assert.strictEqual(device.connection.state, 'error');
    await sleep(100);
    assert.strictEqual(sim.console.stats.failedLogins, 1, 'one attempt: the same password would fail again');
  });

  it('times out with the last output when the prompt never comes back, then reconnects', async function () {
    sim = await powerManagerSim();
    device = deviceFor(cliOptions(sim, { timeout: 400 }));
    await device.describe();
    sim.console.faults.hang = /^OFF/;
    await assert.rejects(device.switch({ targets: '.A3', action: 'off', verify: false }), (error: Error) => {
      assert.ok(error instanceof DeviceUnreachableError);
      assert.match(error.message, /^no prompt after "OFF \.A3" from 127\.0\.0\.1:\d+ after 400 ms of silence; last output: ".*power manager: OFF \.A3"; read back after the failure: outlet 3 \(firewall\) is on$/);
      return true;
    });
    sim.console.faults.hang = undefined;
    const result = await device.switch({ targets: '.A3', action: 'off' });
    assert.strictEqual(result.outlets[0].after, 'off');
    assert.strictEqual(sim.console.stats.logins, 2);
  });

  it('cuts a command the device never answers when the node closes (redeploy), instead of waiting for the timeout', async function () {
    sim = await powerManagerSim();
    device = deviceFor(cliOptions(sim, { timeout: 20000 }), { closeGrace: 200 });
    await device.describe();
    sim.console.faults.hang = /^OFF/;
    const outcome = device.switch({ targets: '.A3', action: 'off' }).then(() => undefined, (error: Error) => error);
    await until(() => sim.console.stats.commands.includes('OFF .A3'), 2000, 'the command on the device');
    const started = Date.now();
    await device.close();
    assert.ok(Date.now() - started < 2000, `close took ${Date.now() - started} ms, not the grace`);
    assert.match((await outcome)?.message ?? 'no error', /was closed \(the node is closing\) while waiting for the prompt after "OFF \.A3"/);
    device = undefined;
  });

  it('gives a clear error when the connection drops mid-command, and the next command reconnects', async function () {
    sim = await powerManagerSim();
    device = deviceFor(cliOptions(sim));
    await device.describe();
    sim.console.faults.drop = /^ON/;
    sim.model.switch(5, false);
    await assert.rejects(device.switch({ targets: 5, action: 'on' }), (error: Error) => {
      assert.ok(error instanceof DeviceUnreachableError);
      assert.match(error.message, /^127\.0\.0\.1:\d+ closed the connection while waiting for the prompt after "ON \.B1"/);
      // The command may have reached the device: the outlet is read back, never guessed.
      assert.match(error.message, /; read back after the failure: outlet 5 \(srv-01\) is off$/);
      return true;
    });
    sim.console.faults.drop = undefined;
    const result = await device.switch({ targets: 5, action: 'on' });
    assert.strictEqual(result.outlets[0].after, 'on');
    await until(() => device!.connection.state === 'connected', 2000, 'connected again');
  });

  it('says the device is busy while another session holds it, and gets in once it is free', async function () {
    sim = await powerManagerSim();
    const operator = net.connect(sim.port, '127.0.0.1');
    operator.on('error', () => undefined);
    await new Promise((resolve) => operator.once('connect', resolve));
    operator.write('\radmn\radmn\r');
    await until(() => sim.console.stats.logins === 1, 2000, 'the operator\'s login');
    device = deviceFor(cliOptions(sim));
    await assert.rejects(device.describe(), (error: Error) => {
      assert.ok(error instanceof DeviceUnreachableError);
      assert.match(error.message, /127\.0\.0\.1:\d+ is busy: "Sorry, another session is active. Try again later!" \(it allows one session at a time/);
      return true;
    });
    operator.write('QUIT\r');
    await until(() => sim.console.stats.sessionsEnded === 1, 2000, 'the operator\'s QUIT');
    assert.strictEqual((await device.describe()).outlets.length, 8);
    operator.destroy();
  });

  it('refuses an unknown port name with the device\'s own words', async function () {
    sim = await powerManagerSim();
    const { CliDriver } = await import('../../../lib/transports/cli/driver');
    const driver = new CliDriver(driverOptions(cliOptions(sim)) as never);
    try {
      const description = await driver.describe();
      const ghost = { ...description.outlets[0], key: '.Z9' };
      await assert.rejects(driver.command(description, [ghost], 'off'), (error: Error) => {
        assert.ok(error instanceof DeviceCommandError);
        assert.match(error.message, /refused "OFF \.Z9": Sorry, the port name a user has entered is NOT valid!/);
        return true;
      });
    } finally {
      await driver.close();
    }
  });

  it('reports a device that refuses connections as unreachable', async function () {
    sim = await powerManagerSim();
    const port = sim.port;
    await sim.stop();
    device = deviceFor(cliOptions({ port }));
    await assert.rejects(device.describe(), /127\.0\.0\.1:\d+ refused the connection/);
    assert.strictEqual(device.connection.state, 'disconnected');
    sim = await powerManagerSim();
  });
});
