import FakeTimers from '@sinonjs/fake-timers';
import assert from 'assert';
import { parseThresholds, ThresholdMonitor } from '../../lib/events/thresholds';
import type { DeviceEvent, Snapshot } from '../../lib/types';

// The Sentry power manager's alarm timing (Sentry power manager): an alarm as soon as a limit is crossed,
// repeated every `repeat` seconds while it lasts, and normal only after a whole quiet period.

function snapshot(temperature: number, current = 1): Snapshot {
  return {
    outlets: [{ index: 1, id: '.A1', name: 'web-01', state: 'on', current }],
    inputs: [],
    sensors: [{ index: 1, name: 'Board A', type: 'temperature', value: temperature, unit: '°C' }],
  };
}

describe('threshold alarms with the Sentry power manager\'s timing (fake clock)', function () {
  let clock: ReturnType<typeof FakeTimers.install>;
  let events: DeviceEvent[];
  let monitor: ThresholdMonitor;

  beforeEach(function () {
    clock = FakeTimers.install({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    events = [];
    monitor = new ThresholdMonitor({
      rules: [{ metric: 'temperature', high: 35, low: 10 }, { metric: 'outletCurrent', high: 8 }],
      repeat: 60,
      device: 'rack-12',
      emit: (event) => events.push(event),
      timers: { setTimeout, clearTimeout, now: () => Date.now() },
    });
  });

  afterEach(function () {
    monitor.stop();
    clock.uninstall();
  });

  const names = (): string[] => events.map((event) => event.event);

  it('alarms at once when a limit is crossed, with value, threshold and severity', function () {
    monitor.check(snapshot(36.5));
    assert.deepStrictEqual(names(), ['temperatureHigh']);
    assert.deepStrictEqual(
      { ...events[0], text: undefined },
      {
        event: 'temperatureHigh', severity: 'critical', device: 'rack-12', source: 'poll',
        sensor: { index: 1, name: 'Board A', type: 'temperature' }, value: 36.5, threshold: 35, text: undefined,
      },
    );
    assert.match(events[0].text, /rack-12: Board A temperature above 35 °C: 36\.5 °C/);
  });

  it('repeats every `repeat` seconds while the alarm lasts, with the latest value', function () {
    monitor.check(snapshot(36));
    clock.tick(59_999);
    assert.strictEqual(events.length, 1);
    monitor.check(snapshot(38));
    clock.tick(1);
    assert.deepStrictEqual(names(), ['temperatureHigh', 'temperatureHigh']);
    assert.strictEqual(events[1].value, 38);
    clock.tick(120_000);
    assert.strictEqual(events.length, 4);
  });

  it('sends normal only after the value stayed inside the limits for a whole period', function () {
    monitor.check(snapshot(40));
    clock.tick(10_000);
    monitor.check(snapshot(30));
    clock.tick(59_999);
    assert.deepStrictEqual(names(), ['temperatureHigh'], 'no repeat and no normal yet');
    clock.tick(1);
    assert.deepStrictEqual(names(), ['temperatureHigh', 'temperatureNormal']);
    assert.strictEqual(events[1].severity, 'info');
    assert.strictEqual(events[1].value, 30);
    clock.tick(600_000);
    assert.strictEqual(events.length, 2, 'nothing after normal');
  });

  it('restarts the quiet period when the value goes out again before it ends', function () {
    monitor.check(snapshot(40));
    clock.tick(5_000);
    monitor.check(snapshot(30));
    clock.tick(30_000);
    monitor.check(snapshot(41));
    clock.tick(20_000);
    monitor.check(snapshot(29));
    clock.tick(59_000);
    assert.ok(!names().includes('temperatureNormal'));
    clock.tick(1_000);
    assert.strictEqual(names().filter((name) => name === 'temperatureNormal').length, 1);
  });

  it('goes straight from high to low without a normal in between', function () {
    monitor.check(snapshot(40));
    monitor.check(snapshot(5));
    assert.deepStrictEqual(names(), ['temperatureHigh', 'temperatureLow']);
    assert.strictEqual(events[1].severity, 'warning');
  });

  it('keeps one alarm per outlet and metric', function () {
    monitor.check({
      outlets: [
        { index: 1, id: '1', name: 'a', state: 'on', current: 9 },
        { index: 2, id: '2', name: 'b', state: 'on', current: 9.5 },
      ],
      inputs: [],
      sensors: [],
    });
    assert.deepStrictEqual(events.map((event) => [event.event, event.outlet?.index]), [['loadHigh', 1], ['loadHigh', 2]]);
    assert.strictEqual(monitor.active, 2);
  });

  it('sends nothing while values stay inside the limits', function () {
    for (let i = 0; i < 10; i += 1) {
      monitor.check(snapshot(20 + i));
      clock.tick(30_000);
    }
    assert.deepStrictEqual(events, []);
  });
});

describe('threshold rows from the editor', function () {
  it('keeps rows with limits and converts numbers', function () {
    assert.deepStrictEqual(parseThresholds([
      { metric: 'temperature', high: '35', low: '' },
      { metric: 'humidity', high: '', low: '' },
      { metric: 'inputCurrent', high: 16, low: 0.5 },
    ]), [
      { metric: 'temperature', high: 35, low: undefined },
      { metric: 'inputCurrent', high: 16, low: 0.5 },
    ]);
  });

  it('refuses an unknown metric, a bad number and a low above the high', function () {
    assert.throws(() => parseThresholds([{ metric: 'voltage', high: 1 }]), /unknown threshold metric "voltage"/);
    assert.throws(() => parseThresholds([{ metric: 'temperature', high: 'hot' }]), /temperature high limit "hot" is not a number/);
    assert.throws(() => parseThresholds([{ metric: 'temperature', high: 10, low: 20 }]), /low limit must be below the high limit/);
  });
});

describe('an outlet current limit for chosen outlets (the editor\'s outlet picker)', function () {
  const reading = (amps: number[]): Snapshot => ({
    outlets: amps.map((current, i) => ({ index: i + 1, id: `.A${i + 1}`, name: `web-0${i + 1}`, state: 'on' as const, current })),
    inputs: [],
    sensors: [],
  });

  it('watches only the outlets named (numbers, names, ids, config groups)', function () {
    const events: DeviceEvent[] = [];
    const monitor = new ThresholdMonitor({
      rules: parseThresholds([{ metric: 'outletCurrent', high: '5', outlets: 'web-01, .A2, db' }]),
      groups: { db: '4' },
      device: 'rack-12',
      emit: (event) => events.push(event),
    });
    monitor.check(reading([9, 9, 9, 9]));
    monitor.stop();
    assert.deepStrictEqual(events.map((event) => event.outlet?.index), [1, 2, 4]);
  });

  it('reports a list that names no outlet once, and the other rules still work', function () {
    const events: DeviceEvent[] = [];
    const problems: string[] = [];
    const monitor = new ThresholdMonitor({
      rules: parseThresholds([{ metric: 'outletCurrent', high: '5', outlets: 'gone-07' }, { metric: 'outletCurrent', high: '8' }]),
      device: 'rack-12',
      emit: (event) => events.push(event),
      onProblem: (text) => problems.push(text),
    });
    monitor.check(reading([9]));
    monitor.check(reading([9]));
    monitor.stop();
    assert.deepStrictEqual(problems, ['the outletCurrent limit for outlets "gone-07" watches no outlet: unknown outlet "gone-07": no outlet, id or group has that name']);
    assert.deepStrictEqual(events.map((event) => event.threshold), [8]);
  });

  it('refuses outlets on a limit that is not per outlet', function () {
    assert.throws(() => parseThresholds([{ metric: 'temperature', high: 30, outlets: '1' }]), /only an outlet current limit applies to chosen outlets/);
  });
});

describe('a stopped threshold monitor (its node closed)', function () {
  it('raises nothing for a reading that was on its way, and starts no repeat', function () {
    const clock = FakeTimers.install({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      const events: DeviceEvent[] = [];
      const monitor = new ThresholdMonitor({
        rules: [{ metric: 'temperature', high: 35 }], repeat: 60, device: 'rack-12', emit: (event) => events.push(event),
        timers: { setTimeout, clearTimeout, now: () => Date.now() },
      });
      monitor.stop();
      monitor.check({ outlets: [], inputs: [], sensors: [{ index: 1, name: 'Board A', type: 'temperature', value: 40, unit: '°C' }] });
      clock.tick(600_000);
      assert.deepStrictEqual(events, []);
      assert.strictEqual(clock.countTimers(), 0, 'no timer left behind');
    } finally {
      clock.uninstall();
    }
  });
});
