import assert from 'assert';
import type { Device } from '../../../lib/device/device';
import { DeviceCommandError } from '../../../lib/device/errors';
import { vpcCli } from '../../../lib/profiles/cli/vpc-cli';
import { CliSession } from '../../../lib/transports/cli/session';
import { TelnetChannel } from '../../../lib/transports/cli/telnet';
import { cliOptions, deviceFor, quickClock } from '../../helpers/cli';
import { startVpcd, type Vpcd } from '../../peers/vpcd';

// PowerMan's real virtual power controller, `vpcd --port N`, driven by the vpc-cli dialect and by
// a user-defined dialect written only from what vpcd prints: a device nobody here wrote.

describe('CLI transport against PowerMan\'s vpcd (a real, independent command-line device)', function () {
  let vpcd: Vpcd;
  let device: Device | undefined;

  beforeEach(async function () {
    vpcd = await startVpcd();
  });

  afterEach(async function () {
    await device?.close();
    device = undefined;
    await vpcd.stop();
  });

  const vpcOptions = (overrides = {}) => cliOptions({ port: vpcd.port }, {
    profile: 'vpc-cli', credentials: {}, extra: { idleTime: 30 }, ...overrides,
  });

  it('lists plugs 0-15 (numbered as vpcd numbers them) and switches one, verified', async function () {
    device = deviceFor(vpcOptions());
    const description = await device.describe();
    assert.deepStrictEqual(description.outlets.map((o) => o.index), Array.from({ length: 16 }, (_, i) => i));
    assert.deepStrictEqual(description.outlets.map((o) => o.id), Array.from({ length: 16 }, (_, i) => String(i)));
    assert.strictEqual(description.capabilities.nativeReboot, false);
    const on = await device.switch({ targets: 3, action: 'on' });
    assert.deepStrictEqual(on.outlets, [{ index: 3, id: '3', name: '', before: 'off', after: 'on', verified: true }]);
    const snapshot = await device.read();
    assert.deepStrictEqual(snapshot.outlets.filter((o) => o.state === 'on').map((o) => o.index), [3]);
    const off = await device.switch({ targets: ['3', 0], action: 'off' });
    assert.deepStrictEqual(off.outlets.map((o) => [o.index, o.before, o.after, o.verified]), [[3, 'on', 'off', true], [0, 'off', 'off', true]]);
  });

  it('reboots with a device-timed off time, since vpcd has no cycle of its own', async function () {
    device = deviceFor(vpcOptions(), { clock: quickClock });
    await device.switch({ targets: 7, action: 'on' });
    const result = await device.switch({ targets: 7, action: 'reboot' });
    assert.deepStrictEqual(result.outlets[0], { index: 7, id: '7', name: '', before: 'on', after: 'on', verified: true });
  });

  it('logs off after its idle time without calling the device lost when vpcd hangs up', async function () {
    device = deviceFor(vpcOptions({ extra: { idleTime: 0.2 } }));
    const states: string[] = [];
    device.on('status', ({ state }) => states.push(state));
    await device.describe();
    await new Promise((resolve) => { setTimeout(resolve, 1500); });
    assert.deepStrictEqual(states, ['connecting', 'connected']);
  });

  it('reports vpcd\'s refusals (BADVAL) as the device refusing', async function () {
    const session = new CliSession({
      dialect: vpcCli, channel: () => new TelnetChannel('127.0.0.1', vpcd.port), timeout: 1000, loginTimeout: 2000, idleTime: 5000,
    });
    try {
      await assert.rejects(session.run((io) => io.command('on 99')), (error: Error) => {
        assert.ok(error instanceof DeviceCommandError);
        assert.match(error.message, /refused "on 99": \d+ BADVAL: 99/);
        return true;
      });
      // The session is still good after a refusal.
      assert.match(await session.run((io) => io.command('stat 2')), /plug 2: OFF/);
    } finally {
      await session.close();
    }
  });

  it('drives vpcd through a user-defined dialect entered as in the config node', async function () {
    device = deviceFor(vpcOptions({
      profile: 'custom-cli',
      extra: {
        idleTime: 30,
        cliPrompt: '\\d+ vpc> $',
        cliLoginCommand: 'login',
        cliEol: 'lf',
        cliStatus: 'stat *',
        cliStatusLine: '^plug (?<id>\\d+): (?<state>ON|OFF)$',
        cliOn: 'on {outlet}',
        cliOff: 'off {outlet}',
        cliRefused: '^\\d+ (BADVAL|UNKNOWN)[^\\n]*',
        cliLogout: 'logoff',
        cliNumber: 'id',
      },
    }));
    const description = await device.describe();
    assert.strictEqual(description.outlets.length, 16);
    assert.strictEqual(description.profile, 'custom-cli');
    const result = await device.switch({ targets: [12, 13], action: 'on' });
    assert.deepStrictEqual(result.outlets.map((o) => [o.index, o.after, o.verified]), [[12, 'on', true], [13, 'on', true]]);
  });
});
