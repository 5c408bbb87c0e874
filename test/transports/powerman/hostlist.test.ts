import assert from 'assert';
import { DeviceConfigError } from '../../../lib/device/errors';
import { expandHostlist } from '../../../lib/transports/powerman/hostlist';

describe('PowerMan host lists', function () {
  it('expands ranges and lists; each range keeps its own zero padding, as pdsh does', function () {
    assert.deepStrictEqual(expandHostlist('t[0-3]'), ['t0', 't1', 't2', 't3']);
    assert.deepStrictEqual(expandHostlist('web[01-03,7],db1 b[9]x'), ['web01', 'web02', 'web03', 'web7', 'db1', 'b9x']);
  });

  it('refuses what it cannot read', function () {
    assert.throws(() => expandHostlist('t[3-1]'), DeviceConfigError);
    assert.throws(() => expandHostlist('t[a-b]'), DeviceConfigError);
    assert.throws(() => expandHostlist('t[1-2]][3]'), DeviceConfigError);
  });

  it('refuses a list naming more hosts than any installation has, however it is split', function () {
    const ranges = Array.from({ length: 20 }, (_, n) => `r${n}[1-9999]`).join(',');
    assert.throws(() => expandHostlist(ranges), (error: Error) => error instanceof DeviceConfigError
      && /^the host list "….{200}" \(\d+ characters, last 200 shown\) names more than 100000 hosts$/.test(error.message));
    assert.strictEqual(expandHostlist('n[1-100000]').length, 100000);
  });
});
