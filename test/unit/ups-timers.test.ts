import FakeTimers from '@sinonjs/fake-timers';
import assert from 'assert';
import { UPS_EVENTS } from '../../lib/events/ups-events';
import { parseUpsTimers, type UpsTimerRow } from '../../lib/events/ups-timers';
import { UpsWatch } from '../../lib/events/ups-watch';
import type { DeviceEvent } from '../../lib/types';
import { heapAfterGc } from '../helpers/gc';

// upssched's START-TIMER / CANCEL-TIMER on a UPS's events (fake clock): "ONBATT lasting 30 s,
// cancelled by ONLINE" raises its own event once the 30 s have passed.

const status = (flags: string): Record<string, string> => ({ 'ups.status': flags, 'battery.charge': '80' });

describe('upssched-style timers on UPS events (fake clock)', function () {
  let clock: ReturnType<typeof FakeTimers.install>;
  let later: DeviceEvent[];
  let watch: UpsWatch;

  function start(timers: UpsTimerRow[], thresholds: Array<Record<string, unknown>> = []): void {
    const known = [...UPS_EVENTS, 'battery.charge:low', 'battery.charge:normal'];
    watch = new UpsWatch({
      device: 'ups1@srv',
      nocommTime: 0,
      thresholds: thresholds.length ? [{ variable: 'battery.charge', low: 50, severity: 'critical' }] : [],
      repeat: 60,
      timers: parseUpsTimers(timers, known),
      emit: (event) => later.push(event),
      clock: { setTimeout, clearTimeout, now: () => Date.now() },
    });
  }

  beforeEach(function () {
    clock = FakeTimers.install({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    later = [];
  });

  afterEach(function () {
    watch?.stop();
    clock.uninstall();
  });

  const onbatt: UpsTimerRow = { name: 'onbattTimer', start: 'ONBATT', seconds: '30', cancel: 'ONLINE', severity: 'critical' };

  it('fires once the UPS has been on battery for N s, with the elapsed seconds', function () {
    start([onbatt]);
    watch.update(status('OL'));
    clock.tick(5_000);
    assert.deepStrictEqual(watch.update(status('OB DISCHRG')).map((e) => e.event), ['ONBATT']);
    clock.tick(29_999);
    assert.strictEqual(later.length, 0);
    clock.tick(1);
    assert.deepStrictEqual(later, [{
      event: 'onbattTimer', severity: 'critical', device: 'ups1@srv', source: 'nut', value: 30, threshold: 30,
      text: 'UPS ups1@srv: ONBATT for 30 s (timer onbattTimer)',
      raw: { ups: 'ups1', server: 'srv', timer: 'onbattTimer', start: 'ONBATT', cancel: ['ONLINE'], startedAt: new Date(5_000).toISOString() },
    }]);
    clock.tick(600_000);
    assert.strictEqual(later.length, 1, 'a timer fires once per start');
  });

  it('is cancelled by ONLINE before it fires, and starts afresh on the next ONBATT', function () {
    start([onbatt]);
    watch.update(status('OB'));
    clock.tick(20_000);
    watch.update(status('OL'));
    clock.tick(60_000);
    assert.strictEqual(later.length, 0);
    watch.update(status('OB'));
    clock.tick(30_000);
    assert.deepStrictEqual(later.map((e) => [e.event, e.value]), [['onbattTimer', 30]]);
  });

  it('keeps running through a lost connection (COMMBAD), and says the outcome is uncertain', function () {
    start([onbatt]);
    watch.update(status('OB'));
    clock.tick(10_000);
    assert.deepStrictEqual(watch.lost('connection refused').map((e) => e.event), ['COMMBAD']);
    clock.tick(20_000);
    assert.strictEqual(later.length, 1);
    assert.strictEqual(later[0].text, 'UPS ups1@srv: ONBATT for 30 s (timer onbattTimer); contact with the UPS lost 20 s ago, so it may have ended unseen');
    assert.strictEqual((later[0].raw as Record<string, unknown>).uncertain, true);
  });

  it('is cancelled by COMMBAD when the row says so', function () {
    start([{ ...onbatt, cancel: 'ONLINE, COMMBAD' }]);
    watch.update(status('OB'));
    watch.lost('connection refused');
    clock.tick(60_000);
    assert.strictEqual(later.length, 0);
  });

  it('a second start while it runs does not push its end back', function () {
    start([{ name: 'lowTimer', start: 'LOWBATT', seconds: 10, cancel: 'ONLINE' }]);
    watch.update(status('OB LB'));
    clock.tick(6_000);
    watch.update(status('OB'));
    watch.update(status('OB LB'));
    clock.tick(4_000);
    assert.deepStrictEqual(later.map((e) => [e.event, e.value, e.severity]), [['lowTimer', 10, 'warning']]);
  });

  it('starts on a threshold\'s event and on another timer\'s event', function () {
    start([
      { name: 'lowCharge', start: 'battery.charge:low', seconds: 5, cancel: 'battery.charge:normal' },
      { name: 'stillLow', start: 'lowCharge', seconds: 5, cancel: 'battery.charge:normal' },
    ], [{}]);
    watch.update(status('OB'));
    watch.update({ 'ups.status': 'OB', 'battery.charge': '40' });
    clock.tick(10_000);
    assert.deepStrictEqual(later.map((e) => e.event), ['lowCharge', 'stillLow']);
  });

  it('a stopped watch (a redeploy) fires no timer afterwards', function () {
    start([onbatt]);
    watch.update(status('OB'));
    clock.tick(10_000);
    watch.stop();
    clock.tick(600_000);
    assert.strictEqual(later.length, 0);
    assert.deepStrictEqual(watch.active.timers, []);
  });

  it('holds no memory for timers cancelled many times over (heap bound)', function () {
    start([onbatt]);
    const before = heapAfterGc();
    for (let i = 0; i < 50_000; i += 1) {
      watch.update(status('OB'));
      watch.update(status('OL'));
    }
    const grown = heapAfterGc() - before;
    assert.deepStrictEqual(watch.active.timers, []);
    assert.strictEqual(clock.countTimers(), 0, 'every cancelled timer is cleared');
    console.log(`      heap kept after 50000 on-battery spells: ${(grown / 1048576).toFixed(2)} MiB`);
    assert.ok(grown < 1024 * 1024, `heap grew ${(grown / 1048576).toFixed(1)} MiB over 50000 on-battery spells`);
  });
});

describe('timer rows from the editor', function () {
  const known = [...UPS_EVENTS, 'battery.charge:low'];

  it('reads the name, start, seconds and cancel list (commas or spaces), severity warning by default', function () {
    assert.deepStrictEqual(parseUpsTimers([{ name: 'onbatt', start: 'ONBATT', seconds: '90', cancel: 'ONLINE COMMBAD' }], known),
      [{ name: 'onbatt', start: 'ONBATT', seconds: 90, cancel: ['ONLINE', 'COMMBAD'], severity: 'warning' }]);
  });

  const bad: Array<[string, UpsTimerRow[], RegExp]> = [
    ['a timer without a name', [{ start: 'ONBATT', seconds: 5 }], /^timer 1: the name must start with a letter/],
    ['a name taken by an event', [{ name: 'ONLINE', start: 'ONBATT', seconds: 5 }], /^timer 1 \(ONLINE\): the name "ONLINE" is already an event of this node$/],
    ['two timers of one name', [{ name: 't', start: 'ONBATT', seconds: 5 }, { name: 't', start: 'LOWBATT', seconds: 5 }], /^timer 2 \(t\): the name "t" is already/],
    ['an event the node never raises', [{ name: 't', start: 'ONBAT', seconds: 5 }], /^timer 1 \(t\): "ONBAT" is not an event of this node/],
    ['an unknown cancelling event', [{ name: 't', start: 'ONBATT', seconds: 5, cancel: 'ONLINE, OL' }], /^timer 1 \(t\): "OL" is not an event/],
    ['no time', [{ name: 't', start: 'ONBATT', seconds: '' }], /^timer 1 \(t\): the time "" must be a number of seconds above 0/],
    ['a time no timer can wait', [{ name: 't', start: 'ONBATT', seconds: 3e6 }], /must be a number of seconds above 0 and at most 2147483$/],
    ['an event that starts and cancels', [{ name: 't', start: 'ONBATT', seconds: 5, cancel: 'ONBATT' }], /ONBATT cannot both start and cancel the timer/],
    ['a timer started by itself', [{ name: 't', start: 't', seconds: 5 }], /a timer cannot start on its own event/],
    ['an unknown severity', [{ name: 't', start: 'ONBATT', seconds: 5, severity: 'loud' }], /severity "loud" is not one of critical, warning, info/],
  ];
  for (const [what, rows, expected] of bad) {
    it(`refuses ${what} with a clear error`, function () {
      assert.throws(() => parseUpsTimers(rows, known), { message: expected });
    });
  }
});
