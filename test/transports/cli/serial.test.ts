import assert from 'assert';
import { SerialPort } from 'serialport';
import type { Device } from '../../../lib/device/device';
import { DeviceConfigError, DeviceUnreachableError } from '../../../lib/device/errors';
import { CliDriver } from '../../../lib/transports/cli/driver';
import type { CliSimDevice } from '../../../sim/cli/index';
import { cliOptions, deviceFor, powerManagerSim } from '../../helpers/cli';
import { driverOptions } from '../../helpers/drivers';
import { until } from '../../helpers/red';
import { startSerialLine, type SerialLine } from '../../peers/socat';

// The serial transport through the real serialport bindings, over a real pty pair from socat,
// with the simulated power manager on the other end of the "cable".

describe('CLI transport over a serial line (socat pty pair, power-manager simulator)', function () {
  let sim: CliSimDevice;
  let line: SerialLine;
  let detach: () => Promise<void>;
  let device: Device | undefined;

  beforeEach(async function () {
    sim = await powerManagerSim();
    line = await startSerialLine();
    detach = await sim.attachSerial(line.device);
  });

  afterEach(async function () {
    await device?.close();
    device = undefined;
    await detach();
    await sim.stop();
    await line.stop();
  });

  it('logs in after a carriage return, lists the ports and switches them, verified', async function () {
    device = deviceFor(cliOptions({ serialPath: line.host }));
    const description = await device.describe();
    assert.deepStrictEqual(description.outlets.map((o) => o.id), ['.A1', '.A2', '.A3', '.A4', '.B1', '.B2', '.B3', '.B4']);
    assert.strictEqual(description.outlets[0].name, 'router');
    assert.strictEqual(device.address, line.host);
    const result = await device.switch({ targets: 'router', action: 'off' });
    assert.deepStrictEqual(result.outlets, [{ index: 1, id: '.A1', name: 'router', before: 'on', after: 'off', verified: true }]);
    assert.strictEqual(sim.model.outlet(1)!.on, false);
    const snapshot = await device.read();
    assert.deepStrictEqual(snapshot.outlets.map((o) => o.state), ['off', 'on', 'on', 'on', 'on', 'on', 'on', 'on']);
  });

  it('logs in again on the same open line when the device ended the session while idle', async function () {
    sim.console.idleTimeout = 300;
    device = deviceFor(cliOptions({ serialPath: line.host }, { extra: { idleTime: 30 } }));
    await device.describe();
    await until(() => sim.console.stats.sessionsEnded === 1, 3000, 'the device\'s idle timeout');
    const result = await device.switch({ targets: 2, action: 'off' });
    assert.strictEqual(result.outlets[0].verified, true);
    assert.strictEqual(sim.console.stats.logins, 2);
  });

  it('logs in again and goes on when the device ends the session just as a command arrives', async function () {
    device = deviceFor(cliOptions({ serialPath: line.host }));
    await device.describe();
    sim.console.faults.endBeforeNextInput = true;
    const result = await device.switch({ targets: 4, action: 'off' });
    assert.deepStrictEqual(result.outlets.map((o) => [o.index, o.before, o.after, o.verified]), [[4, 'on', 'off', true]]);
    assert.strictEqual(sim.console.stats.logins, 2);
    assert.strictEqual(sim.console.stats.commands.filter((command) => command === 'OFF .A4').length, 1);
  });

  it('finds a line left logged in (no username prompt, straight to the command prompt)', async function () {
    // Someone logged in on the console and walked away; a serial line has no hang-up.
    const other = new CliDriver(driverOptions(cliOptions({ serialPath: line.host })) as never);
    await other.describe();
    // Drop the port without logging out, as a crashed program would.
    await (other as unknown as { session: { drop(): Promise<void> } }).session.drop();
    device = deviceFor(cliOptions({ serialPath: line.host }));
    assert.strictEqual((await device.describe()).outlets.length, 8);
    assert.strictEqual(sim.console.stats.logins, 1, 'no second login was needed');
  });

  it('reports an unplugged adapter clearly, and works again once it is plugged back in', async function () {
    device = deviceFor(cliOptions({ serialPath: line.host }));
    await device.describe();
    const lost: string[] = [];
    device.on('status', ({ state, text }) => { if (state === 'disconnected') lost.push(text); });
    await detach();
    await line.unplug();
    await until(() => lost.length > 0, 3000, 'disconnected status');
    assert.match(lost[0], new RegExp(`serial port ${line.host} was disconnected \\(adapter unplugged\\?\\)`));
    await assert.rejects(device.switch({ targets: 1, action: 'off' }), (error: Error) => {
      assert.ok(error instanceof DeviceUnreachableError);
      assert.match(error.message, new RegExp(`serial port ${line.host} not found \\(adapter unplugged, or a wrong path`));
      return true;
    });
    await line.replug();
    detach = await sim.attachSerial(line.device);
    const result = await device.switch({ targets: 1, action: 'off' });
    assert.strictEqual(result.outlets[0].verified, true);
  });

  it('gives a clear error when the line is unplugged in the middle of a command', async function () {
    device = deviceFor(cliOptions({ serialPath: line.host }, { timeout: 3000 }));
    await device.describe();
    sim.console.faults.hang = /^OFF/;
    const pending = device.switch({ targets: 3, action: 'off' });
    pending.catch(() => undefined); // asserted below, once the plug is pulled
    await until(() => sim.console.stats.commands.includes('OFF .A3'), 3000, 'the command on the line');
    await detach();
    await line.unplug();
    await assert.rejects(pending, (error: Error) => {
      assert.ok(error instanceof DeviceUnreachableError);
      assert.match(error.message, new RegExp(`serial port ${line.host} was disconnected \\(adapter unplugged\\?\\) while waiting for the prompt after "OFF \\.A3"`));
      return true;
    });
    await line.replug();
    sim.console.faults.hang = undefined;
    detach = await sim.attachSerial(line.device);
  });

  it('says which serial port is missing', async function () {
    device = deviceFor(cliOptions({ serialPath: `${line.host}-nothing` }));
    await assert.rejects(device.describe(), new RegExp(`serial port ${line.host}-nothing not found`));
    assert.strictEqual(device.connection.state, 'disconnected');
  });

  it('says when another program holds the serial port', async function () {
    const holder = new SerialPort({ path: line.host, baudRate: 9600, autoOpen: false });
    await new Promise<void>((resolve, reject) => holder.open((error) => (error ? reject(error) : resolve())));
    try {
      device = deviceFor(cliOptions({ serialPath: line.host }));
      await assert.rejects(device.describe(), new RegExp(`serial port ${line.host} is in use by another program`));
    } finally {
      await new Promise<void>((resolve) => holder.close(() => resolve()));
    }
    assert.strictEqual((await device.describe()).outlets.length, 8);
  });

  it('refuses a baud rate no console uses, at configuration time', function () {
    assert.throws(() => driverOptions(cliOptions({ serialPath: line.host }, { baudRate: 12345 })),
      (error: Error) => error instanceof DeviceConfigError && /baud rate 12345 is not one a serial console uses/.test(error.message));
  });
});
