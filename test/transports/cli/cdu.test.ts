import assert from 'assert';
import type { Device } from '../../../lib/device/device';
import type { CliSimDevice, CliSimOptions } from '../../../sim/cli/index';
import { cliOptions, deviceFor } from '../../helpers/cli';
import { until } from '../../helpers/red';
import { simDevice } from '../../helpers/sim';

// The sentry-cdu-cli dialect against the simulated Switched CDU: 24 outlets over a
// `More (Y/es N/o):` pager, `.AA1` ids, locked outlets shown as `Locked On` in the status.

describe('CLI transport with the Switched CDU dialect (switched-cdu simulator)', function () {
  let sim: CliSimDevice;
  let device: Device | undefined;

  beforeEach(async function () {
    sim = await simDevice('switched-cdu', { sessionGap: 0, locked: [10], rebootDelay: 300 } as CliSimOptions) as CliSimDevice;
  });

  afterEach(async function () {
    await device?.close();
    device = undefined;
    await sim.stop();
  });

  it('pages through the status listing and lists all 24 outlets with ids and names', async function () {
    device = deviceFor(cliOptions(sim, { profile: 'sentry-cdu-cli' }));
    const description = await device.describe();
    assert.strictEqual(description.outlets.length, 24);
    assert.deepStrictEqual(description.outlets.slice(7, 10).map((o) => [o.index, o.id, o.name]),
      [[8, '.AA8', 'server-08'], [9, '.AB1', 'server-09'], [10, '.AB2', 'server-10']]);
    assert.deepStrictEqual(description.outlets.at(-1)!.id, '.AC8');
  });

  it('switches and reboots single outlets, verified by status', async function () {
    device = deviceFor(cliOptions(sim, { profile: 'sentry-cdu-cli' }));
    const off = await device.switch({ targets: '.AC3', action: 'off' });
    assert.deepStrictEqual(off.outlets, [{ index: 19, id: '.AC3', name: 'server-19', before: 'on', after: 'off', verified: true }]);
    assert.strictEqual(sim.model.outlet(19)!.on, false);
    const seen: boolean[] = [];
    sim.model.on('change', (change) => { if (change.kind === 'outlet' && change.outlet.number === 2) seen.push(change.on); });
    const reboot = await device.switch({ targets: 'server-02', action: 'reboot' });
    assert.deepStrictEqual(seen, [false, true]);
    assert.strictEqual(reboot.outlets[0].verified, true);
    assert.ok(sim.console.stats.commands.includes('reboot .AA2'));
  });

  it('runs a user-defined dialect with a pager, and logs out on idle without calling the device lost', async function () {
    device = deviceFor(cliOptions(sim, {
      profile: 'custom-cli',
      extra: {
        idleTime: 0.3,
        cliUsernamePrompt: 'Username: $',
        cliPasswordPrompt: 'Password: $',
        cliLoginFailed: 'Access denied',
        cliPrompt: 'Switched CDU: $',
        cliStatus: 'status',
        cliStatusLine: '^\\s+(?<id>\\.A[A-Z]\\d)\\s+(?<name>\\S+)\\s+(?<state>On|Off)\\b',
        cliOn: 'on {outlet}',
        cliOff: 'off {outlet}',
        cliPager: 'More \\(Y/es N/o\\): $',
        cliPagerAnswer: 'y',
        cliLogout: 'logout',
      },
    }));
    const states: string[] = [];
    device.on('status', ({ state }) => states.push(state));
    const description = await device.describe();
    assert.strictEqual(description.outlets.length, 24, 'all pages read');
    const result = await device.switch({ targets: 'server-24', action: 'off' });
    assert.deepStrictEqual(result.outlets.map((o) => [o.id, o.after, o.verified]), [['.AC8', 'off', true]]);
    await until(() => sim.console.stats.sessionsEnded === 1, 3000, 'idle logout');
    await new Promise((resolve) => { setTimeout(resolve, 200); });
    assert.deepStrictEqual(states, ['connecting', 'connected'], 'the CDU hanging up after logout is not a lost device');
  });

  it('reports an outlet the CDU says is locked, and leaves it alone', async function () {
    device = deviceFor(cliOptions(sim, { profile: 'sentry-cdu-cli' }));
    const result = await device.switch({ targets: ['.AB1', '.AB2'], action: 'off' });
    assert.deepStrictEqual(result.outlets.map((o) => o.id), ['.AB1']);
    assert.deepStrictEqual(result.locked, [{ index: 10, id: '.AB2', name: 'server-10' }]);
    assert.strictEqual(sim.model.outlet(10)!.on, true);
  });
});
