import assert from 'assert';
import type { Device } from '../../../lib/device/device';
import { driverOptions, type DriverConfig } from '../../helpers/drivers';
import { DeviceCommandError, DeviceConfigError, DeviceUnreachableError } from '../../../lib/device/errors';
import { PowermanClient } from '../../../lib/transports/powerman/client';
import { deviceFor } from '../../helpers/cli';
import { startPowermand, type Powermand } from '../../peers/powermand';

// The PowerMan transport against a real powermand (Debian's powerman) driving vpcd devices
// through PowerMan's own vpc.dev script: nodes as outlets, on/off/cycle/status, error codes.

describe('PowerMan transport against powermand with vpcd devices', function () {
  this.timeout(30000);
  let powermand: Powermand;
  let device: Device | undefined;

  before(async function () {
    powermand = await startPowermand({
      devices: [{ name: 'rack1', nodes: 'web[1-8]' }, { name: 'rack2', nodes: 'db[1-8],spare[1-8]' }],
      deadDevice: { name: 'gone', nodes: 'old[1-2]' },
    });
  });

  after(async function () {
    await powermand?.stop();
  });

  afterEach(async function () {
    await device?.close();
    device = undefined;
  });

  const options = (extra: Record<string, unknown> = {}, overrides: Partial<DriverConfig> = {}): DriverConfig => ({
    transport: 'powerman', host: '127.0.0.1', port: powermand.port, profile: 'powerman', timeout: 2000, retries: 1,
    credentials: {}, extra, ...overrides,
  });

  it('lists a host list of nodes as outlets, with powerman\'s version', async function () {
    device = deviceFor(options({ nodes: 'web[1-4],db2' }));
    const description = await device.describe();
    assert.deepStrictEqual(description.outlets.map((o) => [o.index, o.id, o.name]),
      [[1, 'web1', 'web1'], [2, 'web2', 'web2'], [3, 'web3', 'web3'], [4, 'web4', 'web4'], [5, 'db2', 'db2']]);
    assert.match(description.info!, /^powerman \d+\.\d+/);
    assert.strictEqual(description.capabilities.nativeReboot, true);
  });

  it('switches nodes on and off by name, verified with status', async function () {
    device = deviceFor(options({ nodes: 'web[1-8]' }));
    const on = await device.switch({ targets: ['web2', 'web5'], action: 'on' });
    assert.deepStrictEqual(on.outlets.map((o) => [o.id, o.before, o.after, o.verified]),
      [['web2', 'off', 'on', true], ['web5', 'off', 'on', true]]);
    const snapshot = await device.read();
    assert.deepStrictEqual(snapshot.outlets.filter((o) => o.state === 'on').map((o) => o.id), ['web2', 'web5']);
    const off = await device.switch({ targets: 'web5', action: 'off' });
    assert.strictEqual(off.outlets[0].after, 'off');
  });

  it('cycles a node with PowerMan\'s cycle; powermand answers once it is back on', async function () {
    device = deviceFor(options({ nodes: 'db[1-8]' }));
    await device.switch({ targets: 'db3', action: 'on' });
    const started = Date.now();
    const result = await device.switch({ targets: 'db3', action: 'reboot' });
    // vpc.dev's cycle: off, 1 s, on.
    assert.ok(Date.now() - started >= 1000, 'the answer waited for the cycle');
    assert.deepStrictEqual(result.outlets[0], { index: 3, id: 'db3', name: 'db3', before: 'on', after: 'on', verified: true });
  });

  it('refuses an unknown node before anything is sent, and a node list powermand does not have', async function () {
    device = deviceFor(options({ nodes: 'web[1-8]' }));
    await assert.rejects(device.switch({ targets: 'web9', action: 'on' }), /unknown outlet "web9"/);
    const wrong = deviceFor(options({ nodes: 'web[7-9]' }));
    try {
      await assert.rejects(wrong.describe(), (error: Error) => {
        assert.ok(error instanceof DeviceConfigError);
        assert.match(error.message, /powermand at 127\.0\.0\.1:\d+ has no node\(s\) web9 \(it has 26: check the node list/);
        return true;
      });
    } finally {
      await wrong.close();
    }
  });

  it('maps powermand\'s error codes to clear errors', async function () {
    const client = new PowermanClient('127.0.0.1', powermand.port, 2000);
    try {
      const unknown = await client.query('on nosuch7', 5000);
      assert.deepStrictEqual([unknown.code, unknown.text], [209, 'No such nodes: nosuch7']);
      assert.strictEqual((await client.query('frobnicate', 5000)).code, 201);
    } finally {
      await client.close();
    }
    device = deviceFor(options());
    const description = await device.describe();
    const ghost = { ...description.outlets[0], key: 'nosuch7' };
    const { PowermanDriver } = await import('../../../lib/transports/powerman/driver');
    const driver = new PowermanDriver(driverOptions(options()) as never);
    try {
      await driver.describe();
      await assert.rejects(driver.command(description, [ghost], 'on'), (error: Error) => {
        assert.ok(error instanceof DeviceCommandError);
        assert.match(error.message, /answered "209 No such nodes: nosuch7" to "on nosuch7" \(no such nodes\); if its node list changed, redeploy/);
        return true;
      });
    } finally {
      await driver.close();
    }
  });

  it('reads a dead device\'s nodes as unknown, and says why a command to them failed', async function () {
    device = deviceFor(options({ nodes: 'old[1-2],web1' }));
    const snapshot = await device.read();
    assert.deepStrictEqual(snapshot.outlets.map((o) => [o.id, o.state]), [['old1', 'unknown'], ['old2', 'unknown'], ['web1', 'off']]);
    await assert.rejects(device.switch({ targets: 'old1', action: 'on', verify: false }), (error: Error) => {
      assert.ok(error instanceof DeviceCommandError);
      assert.match(error.message, /answered "210 Command completed with errors" to "on old1" \(completed with errors\): gone: /);
      return true;
    });
  });

  it('reports powermand being away as unreachable, and reconnects when it is back', async function () {
    device = deviceFor(options({ nodes: 'spare[1-2]' }));
    await device.describe();
    const port = powermand.port;
    await powermand.stop();
    await assert.rejects(device.read(), (error: Error) => error instanceof DeviceUnreachableError
      && /powermand at 127\.0\.0\.1:\d+ (closed the connection|refused the connection|is closed)/.test(error.message));
    powermand = await startPowermand({ devices: [{ name: 'rack2', nodes: 'spare[1-8]' }], port });
    assert.strictEqual((await device.read()).outlets.length, 2);
    assert.strictEqual(device.connection.state, 'connected');
  });
});
