import assert from 'assert';
import type { Device } from '../../../lib/device/device';
import { startDliSim, startGudeSim, startNetioSim, type HttpSimDevice } from '../../../sim/http/index';
import { httpConfig, httpDevice } from '../../helpers/http';

// Each HTTP profile against the simulator of its API: the outlet list with names and states,
// switching by name and number, the device's own cycle, and the device-locked outlet.

const CASES: Array<{ profile: string; start: (options: object) => Promise<HttpSimDevice>; users: Record<string, string> }> = [
  { profile: 'dli-rest', start: startDliSim, users: { admin: '1234' } },
  { profile: 'netio-json', start: startNetioSim, users: { admin: '1234' } },
  { profile: 'gude-http', start: startGudeSim, users: { admin: '1234' } },
];

for (const { profile, start, users } of CASES) {
  describe(`HTTP profile ${profile} against its simulator`, function () {
    this.timeout(15000);
    let sim: HttpSimDevice;
    let device: Device;

    beforeEach(async function () {
      sim = await start({ outlets: [{ name: 'web-01' }, { name: 'web-02' }, { name: 'db-01', on: false }, { name: 'core' }], rebootDelay: 300, users });
      device = httpDevice(httpConfig(sim, profile));
    });

    afterEach(async function () {
      await device?.close();
      await sim?.stop();
    });

    it('lists the outlets 1-based with their names and states', async function () {
      const description = await device.describe();
      assert.deepStrictEqual(description.outlets.map((outlet) => [outlet.index, outlet.name]),
        [[1, 'web-01'], [2, 'web-02'], [3, 'db-01'], [4, 'core']]);
      const snapshot = await device.read();
      assert.deepStrictEqual(snapshot.outlets.map((outlet) => outlet.state), ['on', 'on', 'off', 'on']);
    });

    it('switches off by name and on by number, verified, and the device did it', async function () {
      const off = await device.switch({ targets: 'web-02', action: 'off' });
      assert.deepStrictEqual(off.outlets.map((outlet) => [outlet.index, outlet.before, outlet.after, outlet.verified]), [[2, 'on', 'off', true]]);
      assert.strictEqual(sim.model.outlet(2)!.on, false);
      assert.strictEqual(sim.model.outlet(1)!.on, true);
      const on = await device.switch({ targets: 3, action: 'on' });
      assert.deepStrictEqual(on.outlets.map((outlet) => [outlet.index, outlet.after, outlet.verified]), [[3, 'on', true]]);
      assert.strictEqual(sim.model.outlet(3)!.on, true);
    });

    it('cycles with the device\'s own command: off, then on again, verified', async function () {
      const changes: boolean[] = [];
      sim.model.on('change', (change) => { if (change.kind === 'outlet' && change.outlet.number === 1) changes.push(change.on); });
      const result = await device.switch({ targets: 1, action: 'reboot' });
      assert.strictEqual(result.outlets[0].verified, true);
      assert.deepStrictEqual(changes, [false, true]);
      assert.strictEqual(sim.requests.filter((request) => request.user === 'admin' && request.method !== 'GET'
        || /cmd=/.test(request.url)).length, 1, 'one cycle request');
    });
  });
}

describe('HTTP profile dli-rest: relay numbers and locked outlets', function () {
  this.timeout(10000);
  let sim: HttpSimDevice;
  let device: Device;

  afterEach(async function () {
    await device?.close();
    await sim?.stop();
  });

  it('addresses outlet n as relay n-1 with the X-CSRF header, and reports a device-locked outlet as locked', async function () {
    sim = await startDliSim({ outlets: 4, locked: [3] });
    device = httpDevice(httpConfig(sim, 'dli-rest'));
    const result = await device.switch({ targets: [2, 3], action: 'off' });
    assert.deepStrictEqual(result.outlets.map((outlet) => [outlet.index, outlet.after, outlet.verified]), [[2, 'off', true]]);
    assert.deepStrictEqual(result.locked.map((outlet) => outlet.index), [3]);
    const writes = sim.requests.filter((request) => request.method === 'PUT' && request.user);
    assert.deepStrictEqual(writes.map((request) => request.url), ['/restapi/relay/outlets/1/state/']);
    assert.strictEqual(sim.model.outlet(3)!.on, true);
  });
});
