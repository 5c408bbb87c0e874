import assert from 'assert';
import { NUT_ERRORS, NutCommandError, NutConfigError, NutUnreachableError, nutError } from '../../lib/transports/nut/errors';
import { checkName, parseError, quote, requestLine, splitWords } from '../../lib/transports/nut/protocol';

describe('NUT protocol text', function () {
  const tricky = ['plain', 'two words', 'say "hi"', 'C:\\dir\\', '\\"', '', ' lead and trail ', 'ünïcode ✓'];

  for (const value of tricky) {
    it(`quotes and splits ${JSON.stringify(value)} back to itself`, function () {
      assert.deepStrictEqual(splitWords(`VAR ups x ${quote(value)}`), ['VAR', 'ups', 'x', value]);
    });
  }

  it('writes names bare and values quoted, and refuses line breaks and odd names', function () {
    assert.strictEqual(requestLine(['SET', 'VAR', 'ups', 'ups.id', { value: 'a "b" \\c' }]), 'SET VAR ups ups.id "a \\"b\\" \\\\c"');
    assert.throws(() => requestLine(['SET', 'VAR', 'ups', 'x', { value: 'a\nLOGOUT' }]), /line break/);
    assert.throws(() => checkName('ups1; LOGOUT', 'UPS'), /is not a NUT name/);
    assert.strictEqual(checkName('outlet.1.load.on', 'command'), 'outlet.1.load.on');
  });

  it('parses ERR lines and maps every documented token to a kind and a message', function () {
    assert.deepStrictEqual(parseError('ERR ACCESS-DENIED'), { token: 'ACCESS-DENIED', extra: '' });
    assert.deepStrictEqual(parseError('ERR INVALID-ARGUMENT extra words'), { token: 'INVALID-ARGUMENT', extra: 'extra words' });
    assert.strictEqual(parseError('OK'), undefined);
    const documented = ['ACCESS-DENIED', 'UNKNOWN-UPS', 'VAR-NOT-SUPPORTED', 'CMD-NOT-SUPPORTED', 'INVALID-ARGUMENT',
      'INSTCMD-FAILED', 'SET-FAILED', 'READONLY', 'TOO-LONG', 'FEATURE-NOT-SUPPORTED', 'FEATURE-NOT-CONFIGURED',
      'ALREADY-SSL-MODE', 'DRIVER-NOT-CONNECTED', 'DATA-STALE', 'ALREADY-LOGGED-IN', 'INVALID-PASSWORD',
      'ALREADY-SET-PASSWORD', 'INVALID-USERNAME', 'ALREADY-SET-USERNAME', 'USERNAME-REQUIRED', 'PASSWORD-REQUIRED',
      'UNKNOWN-COMMAND', 'INVALID-VALUE', 'VAR-UNKNOWN', 'UNKNOWN-TYPE', 'UNKNOWN-INSTCMD', 'MISSING-ARGUMENT'];
    const context = { request: 'GET VAR ups1 x', ups: 'ups1', address: '10.0.0.5:3493', username: 'admin' };
    for (const token of documented) {
      assert.ok(NUT_ERRORS[token], token);
      const error = nutError(token, '', context);
      assert.strictEqual(error.token, token);
      assert.match(error.message, new RegExp(`^GET VAR ups1 x: .+ \\[${token}\\]$`));
    }
    assert.ok(nutError('ACCESS-DENIED', '', context) instanceof NutConfigError);
    assert.ok(nutError('DATA-STALE', '', context) instanceof NutUnreachableError);
    assert.ok(nutError('READONLY', '', context) instanceof NutCommandError);
    const unknown = nutError('SOMETHING-NEW', 'x', context);
    assert.ok(unknown instanceof NutCommandError);
    assert.strictEqual(unknown.message, 'GET VAR ups1 x: upsd answered ERR SOMETHING-NEW (x) [SOMETHING-NEW]');
  });
});
