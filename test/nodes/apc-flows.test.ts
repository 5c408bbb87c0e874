import assert from 'assert';
import type { SimDevice } from '../../sim';
import { createApcRpdu2Sim } from '../../sim/snmp/apc-rpdu2';
import { collect, helper, loadFlow, until } from '../helpers/red';
import { simDevice, snmpConfig } from '../helpers/sim';

type Msg = Record<string, any>;

// The APC profiles through the nodes, as a user wires them: a pdu-config on `auto` that finds
// the profile itself, a pdu-outlet that names outlets by the ids the device shows, and a
// pdu-status that reads the whole device.

describe('APC PDUs in flows (simulated agents over SNMP)', function () {
  let sim: SimDevice;

  afterEach(async function () {
    await helper.unload();
    await sim.stop();
  });

  async function load(extra: Array<Record<string, unknown>> = []) {
    const config = snmpConfig('cfg', sim, { profile: 'auto' });
    await loadFlow([
      config.node,
      { id: 'out', type: 'pdu-outlet', device: 'cfg', outlet: '', action: 'msg', verify: true, wires: [['result']] },
      { id: 'result', type: 'helper' },
      { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
      { id: 'caught', type: 'helper' },
      ...extra,
    ], { cfg: config.credentials });
    return {
      out: helper.getNode('out'),
      results: collect<Msg>(helper.getNode('result')),
      caught: collect<Msg>(helper.getNode('caught')),
    };
  }

  it('apc-rpdu2 chain: turns off outlet 2:3 named by its unit:outlet id, and only that one', async function () {
    sim = await createApcRpdu2Sim({ port: 0, rebootDelay: 300, driftInterval: 0, modules: 2 });
    const { out, results, caught } = await load();
    out.receive({ payload: 'off', outlet: '2:3' });
    const [msg] = await until(() => results.length > 0 && results, 5000, 'result');
    assert.deepStrictEqual(msg.payload.outlets, [{ index: 7, id: '2:3', name: 'server-07', before: 'on', after: 'off', verified: true }]);
    assert.deepStrictEqual(sim.model.outlets.map((outlet) => outlet.on), [true, true, true, true, true, true, false, true]);
    assert.strictEqual(caught.length, 0);
  });

  it('apc-spdu: reboots with the MasterSwitch\'s own outletReboot, seen off and on again', async function () {
    sim = await simDevice('apc-spdu');
    const { out, results } = await load();
    const seen: boolean[] = [];
    sim.model.on('change', (change) => { if (change.kind === 'outlet') seen.push(change.on); });
    out.receive({ payload: 'reboot', outlet: 4 });
    const [msg] = await until(() => results.length > 0 && results, 8000, 'result');
    assert.deepStrictEqual(seen, [false, true]);
    assert.deepStrictEqual(msg.payload.outlets, [{ index: 4, id: '4', name: 'server-04', before: 'on', after: 'on', verified: true }]);
    assert.deepStrictEqual(sim.sets, [{ oid: '1.3.6.1.4.1.318.1.1.4.4.2.1.3.4', value: 3 }]);
  });

  it('apc-rpdu: an outlet the device refuses reaches the Catch node as one clear error', async function () {
    sim = await simDevice('apc-rpdu', { locked: [5] });
    const { out, results, caught } = await load();
    out.receive({ payload: 'off', outlet: 5 });
    const [error] = await until(() => caught.length > 0 && caught, 5000, 'error');
    assert.match(error.error.message, /refused the SET \(GeneralError/);
    assert.strictEqual(results.length, 0);
    assert.strictEqual(sim.model.outlet(5)!.on, true);
  });

  it('apc-rpdu2: pdu-status reports outlets in A and W, phase and unit inputs, and the sensor', async function () {
    sim = await createApcRpdu2Sim({ port: 0, rebootDelay: 300, driftInterval: 0 });
    sim.model.setSensors(26.1, 44);
    await load([{ id: 'status', type: 'pdu-status', device: 'cfg', interval: 0, wires: [['snapshots'], []] }, { id: 'snapshots', type: 'helper' }]);
    const snapshots = collect<Msg>(helper.getNode('snapshots'));
    helper.getNode('status').receive({ payload: true });
    const [msg] = await until(() => snapshots.length > 0 && snapshots, 5000, 'snapshot');
    const first = sim.model.outlet(1)!;
    assert.strictEqual(msg.payload.outlets[0].current, Math.round(sim.model.current(first) * 10) / 10);
    assert.strictEqual(msg.payload.outlets[0].power, sim.model.power(first));
    assert.deepStrictEqual(msg.payload.inputs.map((input: Msg) => input.name), ['Phase 1', 'RackPDU 1']);
    assert.ok(Math.abs(msg.payload.inputs[1].power - sim.model.totalPower()) <= 5, 'unit power in W');
    assert.deepStrictEqual(msg.payload.sensors.map((sensor: Msg) => [sensor.type, sensor.value, sensor.unit]),
      [['temperature', 26.1, '°C'], ['humidity', 44, '%']]);
  });
});
