import assert from 'assert';
import { deviceSettings } from '../../lib/transports';
import { DeviceConfigError } from '../../lib/device/errors';
import { profileCatalog } from '../../lib/profiles/catalog';
import { cliDialect, cliDialects } from '../../lib/profiles/cli';
import type { CliDialect } from '../../lib/profiles/cli/dialect';

// Command-line dialects are data: every pattern must compile, and a user-defined dialect with a
// mistake must be refused when the flow is deployed, not time out later.

function patterns(dialect: CliDialect): string[] {
  const found: string[] = [];
  const visit = (value: unknown, key: string): void => {
    if (typeof value === 'string' && /prompt|username|password|failed|gaveUp|timeUp|sessionEnded|busy|refused|line|count|answer|end|pages|locked|^on$|^off$/.test(key)) {
      found.push(value);
    } else if (value && typeof value === 'object') {
      for (const [inner, item] of Object.entries(value)) visit(item, Array.isArray(value) ? key : inner);
    }
  };
  visit(dialect, '');
  return found;
}

describe('command-line dialects', function () {
  for (const dialect of cliDialects) {
    it(`${dialect.id}: every pattern compiles, commands name their outlets`, function () {
      for (const source of patterns(dialect)) assert.doesNotThrow(() => new RegExp(source), `${dialect.id}: ${source}`);
      for (const action of ['on', 'off', 'reboot'] as const) {
        const template = dialect.switch[action];
        if (template) assert.match(template, /\{outlets?\}/, `${dialect.id} ${action}`);
      }
    });
  }

  it('the editor lists the dialects for Telnet, SSH and serial, and PowerMan for its transport', function () {
    const catalog = profileCatalog();
    for (const id of ['sentry-cli', 'sentry-cdu-cli', 'vpc-cli', 'custom-cli']) {
      assert.deepStrictEqual(catalog.find((entry) => entry.id === id)?.transports, ['telnet', 'ssh', 'serial'], id);
    }
    assert.deepStrictEqual(catalog.find((entry) => entry.id === 'powerman')?.transports, ['powerman']);
  });

  const complete = {
    cliPrompt: 'NPS> $', cliStatus: '/s', cliStatusLine: '^\\s*(?<id>\\d+)\\s+(?<name>\\S*)\\s+(?<state>ON|OFF)', cliOn: '/on {outlet}', cliOff: '/off {outlet}',
  };

  it('builds a user-defined dialect from the config fields', function () {
    const dialect = cliDialect('custom-cli', { ...complete, cliEol: 'cr', cliWake: true, cliPager: '--More--', cliReboot: '/boot {outlet}' });
    assert.strictEqual(dialect.eol, '\r');
    assert.deepStrictEqual(dialect.wake, { text: '\r' });
    assert.deepStrictEqual(dialect.pagers, [{ prompt: '--More--', answer: ' ' }]);
    assert.strictEqual(dialect.switch.reboot, '/boot {outlet}');
  });

  const mistakes: Array<[string, Record<string, unknown>, RegExp]> = [
    ['no prompt', { ...complete, cliPrompt: '' }, /set the command prompt/],
    ['a broken regex', { ...complete, cliStatusLine: '(?<id>\\d+' }, /the status line is not a valid regular expression/],
    ['no named groups', { ...complete, cliStatusLine: '^(\\d+) (ON|OFF)' }, /needs the named groups \(\?<id>\.\.\.\) and \(\?<state>\.\.\.\)/],
    ['a command without {outlet}', { ...complete, cliOn: '/on' }, /the on command must contain \{outlet\}/],
    ['an unknown line end', { ...complete, cliEol: 'crcr' }, /line end "crcr" must be crlf, cr or lf/],
  ];
  for (const [what, fields, expected] of mistakes) {
    it(`refuses a user-defined dialect with ${what} at deploy time`, function () {
      assert.throws(() => deviceSettings({ transport: 'telnet', host: '10.0.0.5', profile: 'custom-cli', extra: fields }),
        (error: Error) => error instanceof DeviceConfigError && expected.test(error.message));
    });
  }

  it('refuses, at deploy time, an idle time the device would beat, a baud rate no console uses, and a bad node list', function () {
    assert.throws(() => deviceSettings({ transport: 'telnet', host: 'pm', profile: 'sentry-cli', extra: { idleTime: 300 } }),
      /idle time 300 s must be shorter than the device's own 300 s/);
    assert.throws(() => deviceSettings({ transport: 'serial', serialPath: '/dev/ttyS0', profile: 'sentry-cli', baudRate: 14400 }),
      /baud rate 14400 is not one a serial console uses/);
    assert.throws(() => deviceSettings({ transport: 'powerman', host: 'pm', extra: { nodes: 'web[9-1]' } }),
      /the range "9-1" in "web\[9-1\]" is not usable/);
    const serial = deviceSettings({ transport: 'serial', serialPath: '/dev/ttyS0', profile: 'sentry-cli', baudRate: '38400', extra: { idleTime: '120' } });
    assert.strictEqual((serial.driver.settings as { baudRate: number }).baudRate, 38400);
  });

  it('asks for a dialect when a Telnet or serial config has none', function () {
    assert.throws(() => deviceSettings({ transport: 'serial', serialPath: '/dev/ttyS0', profile: 'auto' }),
      /choose the command-line dialect of the device/);
    assert.throws(() => deviceSettings({ transport: 'telnet', host: 'pm', profile: 'nope' }), /unknown command-line dialect "nope"/);
    assert.strictEqual(deviceSettings({ transport: 'telnet', host: 'pm', profile: 'sentry-cli' }).driver.port, 2001);
  });
});
