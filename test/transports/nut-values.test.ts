import assert from 'assert';
import { describeOutlets, outletSwitchable, snapshot } from '../../lib/transports/nut/outlets';
import { nutValue } from '../../lib/transports/nut/values';

// How NUT variables are read, for the namings no dump in shared/realdata shows (three phases,
// line-to-line voltages); the real devices are in test/nodes/nut-realdata.test.ts.

const inputsOf = (vars: Record<string, string>) => snapshot(vars, describeOutlets(vars)).inputs;

describe('NUT values', function () {
  it('reads zero-padded numbers as numbers, and keeps identifiers as text', function () {
    assert.strictEqual(nutValue('ups.temperature', '046.8'), 46.8);
    assert.strictEqual(nutValue('ups.delay.shutdown', '020'), 20);
    assert.strictEqual(nutValue('ups.load', '000.0'), 0);
    assert.strictEqual(nutValue('ups.timer.shutdown', '-60'), -60);
    for (const [name, value] of [['ups.serial', '0012345'], ['ups.productid', '0002'], ['ups.firmware', '06'],
      ['device.part', '0123'], ['device.revision', '01'], ['ups.id', '007'], ['driver.version.internal', '0.41']]) {
      assert.strictEqual(nutValue(name, value), value, name);
    }
    assert.strictEqual(nutValue('battery.date', '09/20/13'), '09/20/13');
    assert.strictEqual(nutValue('driver.parameter.port', '166.99.250.7'), '166.99.250.7');
  });

  it('reads outlet.n.switchable as yes/no or as a number (older snmp-ups)', function () {
    assert.deepStrictEqual(['yes', 'no', '1.00', '0.00', '1', '0', ' YES ', '', undefined, '2.00', 'maybe'].map(outletSwitchable),
      [true, false, true, false, true, false, true, undefined, undefined, undefined, undefined]);
  });

  it('gives numeric outlet ids (`1.00`) as the number they are', function () {
    assert.deepStrictEqual(describeOutlets({ 'outlet.count': '2.00', 'outlet.1.id': '1.00', 'outlet.2.id': 'A2' }).map((o) => o.id), ['1', 'A2']);
  });

  describe('inputs and phases', function () {
    it('one phase: input.L1.* fills what input.* lacks, and L1 is not a second input', function () {
      assert.deepStrictEqual(inputsOf({ 'input.phases': '1.00', 'input.L1.voltage': '230.5', 'input.L1.current': '2.5', 'input.L1.realpower': '500' }),
        [{ index: 1, name: 'Input', current: 2.5, power: 500, voltage: 230.5 }]);
      assert.deepStrictEqual(inputsOf({ 'input.phases': '1', 'input.L1-N.voltage': '231', 'input.power': '600' }),
        [{ index: 1, name: 'Input', power: 600, voltage: 231 }], 'input.power (VA) when there is no input.realpower');
    });

    it('three phases: each phase with its current, power and voltage to neutral (L1-N or L1)', function () {
      assert.deepStrictEqual(inputsOf({
        'input.phases': '3', 'input.realpower': '3000',
        'input.L1-N.voltage': '230', 'input.L1.current': '4', 'input.L1.realpower': '900',
        'input.L2.voltage': '231', 'input.L2.current': '5', 'input.L2.power': '1200',
        'input.L3-N.voltage': '229', 'input.L3.current': '6', 'input.L3.realpower': '1100',
      }), [
        { index: 1, name: 'Input', power: 3000 },
        { index: 2, name: 'L1', current: 4, power: 900, voltage: 230 },
        { index: 3, name: 'L2', current: 5, power: 1200, voltage: 231 },
        { index: 4, name: 'L3', current: 6, power: 1100, voltage: 229 },
      ]);
    });

    it('three phases in delta: the line-to-line voltages L1-L2, L2-L3, L3-L1', function () {
      assert.deepStrictEqual(inputsOf({
        'input.phases': '3.00', 'input.L1-L2.voltage': '400', 'input.L2-L3.voltage': '401', 'input.L3-L1.voltage': '399',
      }), [
        { index: 1, name: 'L1', voltage: 400 },
        { index: 2, name: 'L2', voltage: 401 },
        { index: 3, name: 'L3', voltage: 399 },
      ]);
    });

    it('without input.phases: the unit and every phase that has values', function () {
      assert.deepStrictEqual(inputsOf({ 'input.voltage': '229.8', 'input.current': '1.4' }), [{ index: 1, name: 'Input', current: 1.4, voltage: 229.8 }]);
      assert.deepStrictEqual(inputsOf({ 'input.L1.voltage': '230', 'input.L2.voltage': '231' }),
        [{ index: 1, name: 'L1', voltage: 230 }, { index: 2, name: 'L2', voltage: 231 }]);
    });
  });
});
