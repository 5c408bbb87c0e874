import assert from 'assert';
import { parseAction } from '../../lib/device/actions';
import { parseGroups } from '../../lib/device/config';
import { deviceSettings } from '../../lib/transports';
import { DeviceConfigError } from '../../lib/device/errors';

describe('action from msg.payload', function () {
  it('reads words, booleans and 1/0', function () {
    assert.strictEqual(parseAction('ON', 'msg'), 'on');
    assert.strictEqual(parseAction(' off ', 'msg'), 'off');
    assert.strictEqual(parseAction('cycle', 'msg'), 'reboot');
    assert.strictEqual(parseAction(false, 'reboot'), 'off');
    assert.strictEqual(parseAction(1, 'msg'), 'on');
    assert.strictEqual(parseAction('0', 'msg'), 'off');
  });

  it('falls back to the node\'s action for plain triggers only', function () {
    assert.strictEqual(parseAction(1732233600000, 'reboot'), 'reboot');
    assert.strictEqual(parseAction(undefined, 'off'), 'off');
    assert.strictEqual(parseAction('', 'on'), 'on');
  });

  it('refuses what it cannot read, rather than guess', function () {
    assert.throws(() => parseAction('of', 'reboot'), /unknown action "of"/);
    assert.throws(() => parseAction({ state: 'on' }, 'on'), /not an object/);
    assert.throws(() => parseAction(1732233600000, 'msg'), /no action/);
    assert.throws(() => parseAction(undefined, undefined), /no action/);
  });

  it('takes no word from the object prototype as an action', function () {
    for (const word of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) {
      assert.throws(() => parseAction(word, 'msg'), new RegExp(`unknown action "${word}"`));
    }
    // A node action read from a hand-edited flow is checked the same way.
    assert.throws(() => parseAction(undefined, 'constructor'), /no action/);
  });
});

describe('device config', function () {
  it('fills defaults per transport and checks numbers', function () {
    const settings = deviceSettings({ transport: 'snmp', host: ' 10.0.0.5 ' }, { readCommunity: 'r' });
    assert.strictEqual(settings.driver.host, '10.0.0.5');
    assert.strictEqual(settings.driver.port, 161);
    assert.strictEqual(settings.driver.timeout, 2000);
    assert.strictEqual(settings.driver.retries, 1);
    assert.strictEqual(settings.driver.profile, 'auto');
    assert.strictEqual(deviceSettings({ transport: 'telnet', host: 'pm', profile: 'sentry-cli' }).driver.port, 2001);
    assert.throws(() => deviceSettings({ transport: 'telnet', host: 'pm' }), /choose the command-line dialect/);
    assert.throws(() => deviceSettings({ host: 'x', port: '70000' }), /port must be a whole number from 0 to 65535, not "70000"/);
    assert.throws(() => deviceSettings({ host: 'x', retries: 'two' }), /retries must be a whole number/);
    assert.throws(() => deviceSettings({ host: '' }), (error: Error) => error instanceof DeviceConfigError && /no host set/.test(error.message));
    assert.throws(() => deviceSettings({ host: 'x', snmpVersion: '4' }), /unknown SNMP version "4"/);
    assert.throws(() => deviceSettings({ host: 'x', minOffTime: '-1' }), /minimum off time must be a number of seconds/);
  });

  it('reads groups from the editor list, an object or text lines', function () {
    const groups = (value: unknown) => ({ ...parseGroups(value) });
    assert.deepStrictEqual(groups([{ name: 'web', outlets: '1,2' }, { name: ' ', outlets: '3' }]), { web: '1,2' });
    assert.deepStrictEqual(groups({ db: [3, 'db-01'] }), { db: [3, 'db-01'] });
    assert.deepStrictEqual(groups('web: 1, 2\ndb: .A3'), { web: ' 1, 2', db: ' .A3' });
    assert.throws(() => parseGroups([{ name: 'All', outlets: '1' }]), /a group cannot be called "all"/);
    assert.throws(() => parseGroups('web: 1\nweb: 2'), /the group "web" is defined twice/);
  });

  it('keeps a group called __proto__ or constructor as a group, never dropped', function () {
    const fromList = parseGroups([{ name: '__proto__', outlets: '1' }, { name: 'constructor', outlets: '2' }]);
    assert.deepStrictEqual(Object.keys(fromList), ['__proto__', 'constructor']);
    assert.strictEqual(fromList.__proto__, '1');
    const fromJson = parseGroups(JSON.parse('{"__proto__": "3"}'));
    assert.deepStrictEqual(Object.entries(fromJson), [['__proto__', '3']]);
    assert.deepStrictEqual(Object.entries(parseGroups('__proto__: 4')), [['__proto__', ' 4']]);
  });
});
