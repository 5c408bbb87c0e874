import assert from 'assert';
import FakeTimers from '@sinonjs/fake-timers';
import { UpsMonitor } from '../../lib/events/ups-events';
import type { DeviceEvent } from '../../lib/types';

describe('UpsMonitor timers (upsmon RBWARNTIME and NOCOMMWARNTIME)', function () {
  let clock: ReturnType<typeof FakeTimers.install>;
  beforeEach(function () { clock = FakeTimers.install(); });
  afterEach(function () { clock.uninstall(); });

  it('repeats REPLBATT every replbattTime while RB lasts, and stops when it clears', function () {
    const timed: DeviceEvent[] = [];
    const monitor = new UpsMonitor({ device: 'ups1@srv', replbattTime: 3600, nocommTime: 0, emit: (event) => timed.push(event) });
    assert.deepStrictEqual(monitor.update({ 'ups.status': 'OL RB' }).map((e) => e.event), ['REPLBATT']);
    clock.tick(3600 * 1000 * 2);
    assert.deepStrictEqual(timed.map((e) => e.event), ['REPLBATT', 'REPLBATT']);
    monitor.update({ 'ups.status': 'OL' });
    clock.tick(3600 * 1000 * 3);
    assert.strictEqual(timed.length, 2);
    monitor.stop();
  });

  it('sends NOCOMM after nocommTime without contact (also when never reached), repeating, and not once contact is back', function () {
    const timed: DeviceEvent[] = [];
    const monitor = new UpsMonitor({ device: 'ups1@srv', nocommTime: 60, emit: (event) => timed.push(event) });
    clock.tick(60 * 1000);
    assert.deepStrictEqual(timed.map((e) => [e.event, e.severity]), [['NOCOMM', 'warning']], 'never reached');
    assert.deepStrictEqual(monitor.update({ 'ups.status': 'OB' }).map((e) => e.event), ['ONBATT']);
    clock.tick(120 * 1000);
    assert.strictEqual(timed.length, 1);
    assert.deepStrictEqual(monitor.lost('refused').map((e) => [e.event, e.severity]), [['COMMBAD', 'critical']]);
    assert.deepStrictEqual(monitor.lost('refused'), [], 'COMMBAD once per loss');
    clock.tick(120 * 1000);
    assert.deepStrictEqual(timed.slice(1).map((e) => [e.event, e.severity]), [['NOCOMM', 'critical'], ['NOCOMM', 'critical']]);
    assert.deepStrictEqual(monitor.update({ 'ups.status': 'OB' }).map((e) => e.event), ['COMMOK']);
    clock.tick(600 * 1000);
    assert.strictEqual(timed.length, 3);
    monitor.stop();
  });

  it('ignores WAIT (driver still starting) and reports LOWBATT on line power as a warning', function () {
    const monitor = new UpsMonitor({ device: 'ups1@srv', nocommTime: 0, emit: () => undefined });
    assert.deepStrictEqual(monitor.update({ 'ups.status': 'WAIT' }), []);
    assert.deepStrictEqual(monitor.update({ 'ups.status': 'OL LB' }).map((e) => [e.event, e.severity]), [['LOWBATT', 'warning']]);
    assert.deepStrictEqual(monitor.update({ 'ups.status': 'OB LB' }).map((e) => [e.event, e.severity]), [['ONBATT', 'critical']]);
    monitor.stop();
  });
});
