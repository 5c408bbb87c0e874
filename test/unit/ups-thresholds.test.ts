import FakeTimers from '@sinonjs/fake-timers';
import assert from 'assert';
import { parseUpsThresholds, thresholdEvents } from '../../lib/events/ups-thresholds';
import { UpsWatch } from '../../lib/events/ups-watch';
import type { DeviceEvent } from '../../lib/types';

// Thresholds on a UPS's NUT variables, with pdu-status's timing (fake clock): alarm at once,
// repeat while it lasts, normal only after a whole quiet period within the limits.

const vars = (charge: string, voltage = '230.4'): Record<string, string> => ({
  'ups.status': 'OL', 'battery.charge': charge, 'input.voltage': voltage, 'ups.serial': '0012345',
});

describe('UPS thresholds on NUT variables (fake clock)', function () {
  let clock: ReturnType<typeof FakeTimers.install>;
  let later: DeviceEvent[];
  let problems: string[];
  let watch: UpsWatch;

  beforeEach(function () {
    clock = FakeTimers.install({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    later = [];
    problems = [];
    watch = new UpsWatch({
      device: 'ups1@srv',
      nocommTime: 0,
      thresholds: parseUpsThresholds([
        { variable: 'battery.charge', low: '50', severity: 'critical' },
        { variable: 'input.voltage', low: '207', high: '253' },
        { variable: 'ups.temperature', high: '40' },
        { variable: 'ups.serial', high: '5' },
      ]),
      repeat: 30,
      emit: (event) => later.push(event),
      onProblem: (text) => problems.push(text),
      clock: { setTimeout, clearTimeout, now: () => Date.now() },
    });
  });

  afterEach(function () {
    watch.stop();
    clock.uninstall();
  });

  it('alarms at once with the reading\'s events, in the shared event shape', function () {
    const events = watch.update(vars('42'));
    assert.deepStrictEqual(events, [{
      event: 'battery.charge:low', severity: 'critical', device: 'ups1@srv', source: 'nut',
      sensor: { name: 'battery.charge', type: 'nut' }, value: 42, threshold: 50,
      text: 'UPS ups1@srv: battery.charge below 50 %: 42 %',
      raw: { ups: 'ups1', server: 'srv', variable: 'battery.charge', limit: 'low' },
    }]);
    assert.deepStrictEqual(later, []);
  });

  it('repeats while it lasts, with the latest value, and sends normal after a whole quiet period', function () {
    watch.update(vars('42'));
    clock.tick(29_999);
    watch.update(vars('40'));
    clock.tick(1);
    assert.deepStrictEqual(later.map((e) => [e.event, e.value]), [['battery.charge:low', 40]]);
    watch.update(vars('60'));
    clock.tick(29_999);
    assert.strictEqual(later.length, 1, 'no repeat and no normal inside the quiet period');
    clock.tick(1);
    assert.deepStrictEqual(later.map((e) => [e.event, e.severity]), [['battery.charge:low', 'critical'], ['battery.charge:normal', 'info']]);
    assert.strictEqual(later[1].text, 'UPS ups1@srv: battery.charge back within its limits: 60 %');
    clock.tick(600_000);
    assert.strictEqual(later.length, 2, 'nothing after normal');
  });

  it('watches both limits of a variable: high, then straight to low', function () {
    assert.deepStrictEqual(watch.update(vars('90', '260.1')).map((e) => [e.event, e.severity, e.threshold]), [['input.voltage:high', 'warning', 253]]);
    assert.deepStrictEqual(watch.update(vars('90', '190')).map((e) => [e.event, e.threshold]), [['input.voltage:low', 207]]);
    assert.strictEqual(watch.active.alarms, 1);
  });

  it('reports a variable the UPS lacks, or one that is no number, once and not every poll', function () {
    for (let i = 0; i < 5; i += 1) watch.update(vars('90'));
    assert.deepStrictEqual(problems, [
      'UPS ups1@srv has no variable ups.temperature: its threshold watches nothing (list mode shows the UPS\'s variables)',
      'UPS ups1@srv: ups.serial is "0012345", not a number: its threshold cannot apply',
    ]);
  });

  it('says nothing of missing variables while the driver is still starting (WAIT)', function () {
    watch.update({ 'ups.status': 'WAIT' });
    assert.deepStrictEqual(problems, []);
    watch.update(vars('42'));
    assert.strictEqual(problems.length, 2, 'once the UPS answers, the missing one is reported');
  });

  it('sends nothing after stop, not even for a reading that was on its way', function () {
    watch.update(vars('42'));
    watch.stop();
    assert.deepStrictEqual(watch.update(vars('10')), []);
    clock.tick(600_000);
    assert.deepStrictEqual(later, []);
  });
});

describe('UPS threshold rows from the editor', function () {
  it('converts numbers, defaults the severity to warning, and names the events each row raises', function () {
    const rules = parseUpsThresholds([{ variable: ' battery.runtime ', low: '300' }, { variable: 'ups.load', high: 80, severity: 'critical' }]);
    assert.deepStrictEqual(rules, [
      { variable: 'battery.runtime', low: 300, high: undefined, severity: 'warning' },
      { variable: 'ups.load', high: 80, low: undefined, severity: 'critical' },
    ]);
    assert.deepStrictEqual(thresholdEvents(rules), ['battery.runtime:low', 'battery.runtime:normal', 'ups.load:high', 'ups.load:normal']);
  });

  const bad: Array<[string, Record<string, unknown>, RegExp]> = [
    ['no variable', { low: '10' }, /^threshold 1: name the NUT variable to watch, e.g\. battery\.charge$/],
    ['a name NUT would refuse', { variable: 'battery charge', low: '10' }, /^threshold 1: the variable "battery charge" is not a NUT name/],
    ['no limit', { variable: 'ups.load' }, /^threshold 1: ups\.load needs a low or a high limit$/],
    ['a limit that is no number', { variable: 'ups.load', high: 'lots' }, /^threshold 1: ups\.load high limit "lots" is not a number$/],
    ['low above high', { variable: 'ups.load', low: 90, high: 80 }, /^threshold 1: ups\.load: the low limit must be below the high limit$/],
    ['an unknown severity', { variable: 'ups.load', high: 80, severity: 'panic' }, /^threshold 1: severity "panic" is not one of critical, warning, info$/],
  ];
  for (const [what, row, expected] of bad) {
    it(`refuses ${what} with a clear error`, function () {
      assert.throws(() => parseUpsThresholds([row]), { message: expected });
    });
  }
});
