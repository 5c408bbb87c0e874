import assert from 'assert';
import type { Device } from '../../../lib/device/device';
import { DeviceConfigError } from '../../../lib/device/errors';
import type { CliSimDevice } from '../../../sim/cli/index';
import { cliOptions, deviceFor, powerManagerSim } from '../../helpers/cli';

// A command line may say back what it was sent: a power manager whose failed-login message quotes
// the password it refused. The error quotes the device's message, so the password must be masked
// there before it reaches the Device status, a Catch node or the log.

const PASSWORD = 'Pw-Hidden-5511';

describe('CLI errors carry no password (power-manager simulator over Telnet)', function () {
  let sim: CliSimDevice;
  let device: Device | undefined;

  afterEach(async function () {
    await device?.close();
    device = undefined;
    await sim?.stop();
  });

  it('masks the password a refusing device quotes back, in the error and the Device status', async function () {
    sim = await powerManagerSim();
    sim.console.faults.quotePassword = true;
    device = deviceFor(cliOptions(sim, { credentials: { username: 'admn', password: PASSWORD } }));
    let caught: Error | undefined;
    await device.describe().catch((error: Error) => { caught = error; });
    assert.ok(caught instanceof DeviceConfigError, String(caught));
    assert.match(caught.message, /refused the login for user "admn": "Sorry, a username\/Password "\*\*\*" a user has entered is NOT valid!"/);
    assert.ok(!caught.message.includes(PASSWORD), caught.message);
    assert.ok(!String(caught.stack).includes(PASSWORD), 'password in the stack');
    assert.ok(!device.connection.text.includes(PASSWORD), device.connection.text);
  });
});
