import assert from 'assert';
import { execFileSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import type { DeviceDriver } from '../../../lib/device/driver';
import { DeviceCommandError, DeviceConfigError, DeviceUnreachableError } from '../../../lib/device/errors';
import { HttpDriver } from '../../../lib/transports/http/driver';
import { dliRest } from '../../../lib/profiles/http/dli-rest';
import { startDliSim, startNetioSim, type HttpSimDevice } from '../../../sim/http/index';
import { driverFor } from '../../helpers/drivers';
import { httpConfig, httpDevice } from '../../helpers/http';
import { startLoadProbe, within } from '../../helpers/load-probe';
import { driverOptions } from '../../helpers/drivers';

// The HTTP transport's faults against real Node HTTP servers: Digest challenges and stale
// nonces, a wrong password, a missing CSRF header, a busy device, a server that never answers
// or never ends its answer, HTTPS certificates, and close() in the middle of a request.

const PASSWORD = 'Pw-Secret-7781';
/** A request handled in slices never holds the loop this long, even on a shared, loaded machine. */
const LAG_BOUND_MS = 250;

async function failure(work: Promise<unknown>): Promise<Error> {
  try {
    await work;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

describe('HTTP transport faults', function () {
  this.timeout(20000);
  let sim: HttpSimDevice | undefined;
  let driver: DeviceDriver | undefined;

  afterEach(async function () {
    await driver?.close();
    driver = undefined;
    await sim?.stop();
    sim = undefined;
  });

  it('answers the Digest challenge (SHA-256 preferred), counts nc, and re-answers a stale nonce', async function () {
    sim = await startDliSim({ outlets: 2, users: { admin: PASSWORD }, algorithms: ['SHA-256', 'MD5'] });
    driver = driverFor(httpConfig(sim, 'dli-rest', {}, { username: 'admin', password: PASSWORD }));
    const description = await driver.describe();
    await driver.readStates(description, description.outlets);
    // First request challenged, then answered; the second reuses the nonce with nc=2.
    assert.deepStrictEqual(sim.requests.map((request) => request.user), [undefined, 'admin', 'admin']);
    sim.expireNonces();
    await driver.command(description, [description.outlets[0]], 'off');
    assert.deepStrictEqual(sim.requests.slice(3).map((request) => [request.method, request.user]), [['PUT', undefined], ['PUT', 'admin']]);
    assert.strictEqual(sim.model.outlet(1)!.on, false);
  });

  it('says a wrong password refused the user by name, never the password', async function () {
    sim = await startDliSim({ outlets: 2, users: { admin: 'right-one' } });
    driver = driverFor(httpConfig(sim, 'dli-rest', {}, { username: 'admin', password: PASSWORD }));
    const error = await failure(driver.describe());
    assert.ok(error instanceof DeviceConfigError, String(error));
    assert.match(error.message, /refused the user "admin" \(HTTP 401 Unauthorized\): check the user and password/);
    assert.ok(!error.message.includes(PASSWORD) && !String(error.stack).includes(PASSWORD));
    // Challenged, answered once with the wrong password, and no more.
    assert.strictEqual(sim.requests.length, 2);
  });

  it('names the CSRF header when the device refuses a write without it (403)', async function () {
    sim = await startDliSim({ outlets: 2 });
    const options = driverOptions(httpConfig(sim, 'dli-rest'));
    driver = new HttpDriver(options as never, { ...dliRest, writeHeaders: { Accept: 'application/json' } });
    const description = await driver.describe();
    const error = await failure(driver.command(description, [description.outlets[0]], 'off'));
    assert.ok(error instanceof DeviceCommandError, String(error));
    assert.match(error.message, /PUT http:\/\/127\.0\.0\.1:\d+\/restapi\/relay\/outlets\/0\/state\/ refused the request \(HTTP 403 Forbidden\): the device may want a CSRF header \(none sent\)/);
    assert.match(error.message, /"Forbidden: missing or wrong X-CSRF header"/);
    assert.strictEqual(sim.model.outlet(1)!.on, true);
  });

  it('names the CSRF header it sent when the device refuses a write with a wrong one (403)', async function () {
    sim = await startDliSim({ outlets: 2 });
    const options = driverOptions(httpConfig(sim, 'dli-rest'));
    driver = new HttpDriver(options as never, { ...dliRest, writeHeaders: { 'X-CSRF': 'not-x', Accept: 'application/json' } });
    const description = await driver.describe();
    const error = await failure(driver.command(description, [description.outlets[0]], 'off'));
    assert.ok(error instanceof DeviceCommandError, String(error));
    assert.match(error.message, /refused the request \(HTTP 403 Forbidden\): the device wants its CSRF header on state-changing requests \(sent: "X-CSRF: not-x"\)/);
    assert.strictEqual(sim.model.outlet(1)!.on, true);
  });

  it('reports a busy device as busy with its words (at most 200 characters), and the switch as read back', async function () {
    sim = await startNetioSim({ outlets: 2 });
    const device = httpDevice(httpConfig(sim, 'netio-json'));
    try {
      await device.describe();
      sim.faults.busy = { status: 503, text: `Device busy: firmware update in progress ${'x'.repeat(400)}`, writes: true };
      const error = await failure(device.switch({ targets: 1, action: 'off' }));
      assert.match(error.message, /POST http:\/\/127\.0\.0\.1:\d+\/netio\.json: the device is busy \(HTTP 503 Service Unavailable\): "…x+" \(441 characters, last 200 shown\); try again later/);
      assert.match(error.message, /read back after the failure: outlet 1 \(server-01\) is on/);
    } finally {
      await device.close();
    }
  });

  it('gives up on a server that never answers within the timeout, the event loop free', async function () {
    sim = await startDliSim({ outlets: 2 });
    driver = driverFor(httpConfig(sim, 'dli-rest', { timeout: '500' }));
    sim.faults.silent = true;
    const probe = startLoadProbe();
    const started = Date.now();
    const error = await within(failure(driver.describe()), 3000, 'describe');
    const load = probe.stop();
    assert.ok(error instanceof DeviceUnreachableError, String(error));
    assert.match(error.message, /no complete answer from GET http:\/\/127\.0\.0\.1:\d+\/restapi\/relay\/outlets\/ within 500 ms/);
    assert.ok(Date.now() - started < 1500, `took ${Date.now() - started} ms`);
    assert.ok(load.maxLagMs < LAG_BOUND_MS, `event loop held ${load.maxLagMs} ms`);
  });

  it('cuts an answer that never ends at 1 MiB, long before the timeout, memory and event loop bounded', async function () {
    sim = await startDliSim({ outlets: 2 });
    driver = driverFor(httpConfig(sim, 'dli-rest', { timeout: '10000' }));
    sim.faults.endless = true;
    const probe = startLoadProbe();
    const started = Date.now();
    const error = await within(failure(driver.describe()), 12000, 'describe');
    const load = probe.stop();
    assert.match(error.message, /answered more than 1048576 bytes: not an answer this device gives, cut off/);
    assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
    assert.ok(load.growthMiB < 32, `memory grew ${load.growthMiB.toFixed(1)} MiB`);
    assert.ok(load.maxLagMs < LAG_BOUND_MS, `event loop held ${load.maxLagMs} ms`);
    console.log(`      endless answer: ${error.message.slice(0, 60)}..., lag ${load.maxLagMs.toFixed(1)} ms, growth ${load.growthMiB.toFixed(1)} MiB`);
  });

  it('close() aborts a request in flight at once', async function () {
    sim = await startDliSim({ outlets: 2 });
    driver = driverFor(httpConfig(sim, 'dli-rest', { timeout: '10000' }));
    const description = await driver.describe();
    sim.faults.silent = true;
    const command = failure(driver.command(description, [description.outlets[0]], 'off'));
    await new Promise((resolve) => { setTimeout(resolve, 100); });
    const started = Date.now();
    await driver.close();
    const error = await within(command, 1000, 'command after close');
    assert.match(error.message, /cancelled \(closing\), its outcome is unknown/);
    assert.ok(Date.now() - started < 500);
  });

  describe('HTTPS', function () {
    let dir: string;
    let tls: { key: Buffer; cert: Buffer };

    before(function () {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rack-power-https-'));
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1',
        '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });
      tls = { key: fs.readFileSync(path.join(dir, 'key.pem')), cert: fs.readFileSync(path.join(dir, 'cert.pem')) };
    });

    after(function () {
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('refuses a self-signed certificate by default, with what to do', async function () {
      sim = await startDliSim({ outlets: 2, tls });
      driver = driverFor(httpConfig(sim, 'dli-rest', { httpsOn: true }));
      const error = await failure(driver.describe());
      assert.ok(error instanceof DeviceConfigError, String(error));
      assert.match(error.message, /https:\/\/127\.0\.0\.1:\d+.*certificate is not trusted \(DEPTH_ZERO_SELF_SIGNED_CERT\).*CA file.*insecure/);
      assert.strictEqual(sim.requests.length, 0);
    });

    it('accepts it with its CA file, or with the insecure opt-out', async function () {
      sim = await startDliSim({ outlets: 2, tls });
      driver = driverFor(httpConfig(sim, 'dli-rest', { httpsOn: true, httpCaFile: path.join(dir, 'cert.pem') }));
      assert.strictEqual((await driver.describe()).outlets.length, 2);
      await driver.close();
      driver = driverFor(httpConfig(sim, 'dli-rest', { httpsOn: 'true', httpInsecure: 'true' }));
      assert.strictEqual((await driver.describe()).outlets.length, 2);
    });

    it('defaults to port 443 for HTTPS and checks the settings', function () {
      assert.match(driverFor({ transport: 'http', host: 'pdu', profile: 'dli-rest', httpsOn: true }).address, /^https:\/\/pdu:443$/);
      assert.match(driverFor({ transport: 'http', host: 'pdu', profile: 'dli-rest' }).address, /^http:\/\/pdu:80$/);
      assert.throws(() => driverFor({ transport: 'http', host: 'pdu', profile: 'dli-rest', httpInsecure: true }), /HTTPS is off/);
      assert.throws(() => driverFor({ transport: 'http', host: 'pdu', profile: 'auto' }), /choose the device's HTTP API/);
    });
  });
});
