import assert from 'assert';
import type { Device } from '../../../lib/device/device';
import { DeviceCommandError, DeviceUnreachableError } from '../../../lib/device/errors';
import { sentryCli } from '../../../lib/profiles/cli/sentry-cli';
import { CliSession } from '../../../lib/transports/cli/session';
import { TelnetChannel } from '../../../lib/transports/cli/telnet';
import type { CliSimDevice } from '../../../sim/cli/index';
import { cliOptions, deviceFor, powerManagerSim } from '../../helpers/cli';
import { startLoadProbe, within } from '../../helpers/load-probe';
import { startSerialLine } from '../../peers/socat';

// Devices that talk too much: a 10 MB line where an answer belongs, output that never ends
// while we wait for the prompt (over Telnet and over a socat serial line), and answers
// trickled a byte at a time. Errors stay short, memory and the event loop stay free, and every
// wait has an end.

const TEN_MB = 10 * 1024 * 1024;

describe('CLI transport against a device that talks too much (power-manager simulator faults)', function () {
  this.timeout(30000);
  let device: Device | undefined;
  /** Undone after each test, last first: the device, the serial line, the simulator. */
  let undo: Array<() => Promise<void>> = [];

  afterEach(async function () {
    await device?.close();
    device = undefined;
    for (const step of undo.reverse()) await step();
    undo = [];
  });

  async function startSim(): Promise<CliSimDevice> {
    const sim = await powerManagerSim();
    undo.push(() => sim.stop());
    return sim;
  }

  it('quotes only a short tail of a 10 MB line where an answer belongs', async function () {
    const sim = await startSim();
    sim.console.faults.answer = { command: /^STATUS ALL$/, text: `${'x'.repeat(TEN_MB)}\r\n` };
    device = deviceFor(cliOptions(sim));
    await assert.rejects(device.describe(), (error: Error) => {
      assert.ok(error instanceof DeviceUnreachableError, error.message.slice(0, 300));
      assert.ok(error.message.length < 600, `the message has ${error.message.length} characters`);
      assert.match(error.message, /^127\.0\.0\.1:\d+ sent more than 1024 KiB \(\d+ characters\) without the prompt after "STATUS ALL": the session is closed; last output: "…x{160}"$/);
      return true;
    });
  });

  it('quotes only a short tail of an answer it cannot read or a refusal, saying how long it was', async function () {
    const sim = await startSim();
    const long = 'y'.repeat(300000);
    device = deviceFor(cliOptions(sim));
    sim.console.faults.answer = { command: /^STATUS ALL$/, text: `${long}\r\n` };
    await assert.rejects(device.describe(), (error: Error) => {
      assert.ok(error instanceof DeviceCommandError, error.message.slice(0, 300));
      assert.match(error.message, /gave an answer we cannot read for "STATUS ALL": "…y{200}" \(300000 characters, last 200 shown\)$/);
      return true;
    });
    sim.console.faults.answer = undefined;
    await device.describe();
    sim.console.faults.answer = { command: /^OFF/, text: `Sorry, ${long}\r\n` };
    await assert.rejects(device.switch({ targets: 1, action: 'off', verify: false }), (error: Error) => {
      assert.ok(error instanceof DeviceCommandError, error.message.slice(0, 300));
      assert.match(error.message, /refused "OFF \.A1": …y{200} \(300007 characters, last 200 shown\)/);
      assert.ok(error.message.length < 600, `the message has ${error.message.length} characters`);
      return true;
    });
  });

  it('fails a command whose answer never ends, with memory and event loop free, and works again after', async function () {
    const sim = await startSim();
    device = deviceFor(cliOptions(sim));
    sim.console.faults.babble = { at: /^STATUS ALL$/, ms: 6000, chunk: 65536, every: 0 };
    await describeThroughFlood(device, 'Telnet', 3000);
    sim.console.faults.babble = undefined;
    assert.strictEqual((await device.describe()).outlets.length, 8);
  });

  it('fails a login drowned in one endless line, with the event loop free', async function () {
    const sim = await startSim();
    // One line without end is the costliest text for the busy pattern, `[^\r\n]*another session is active[^\r\n]*`.
    sim.console.faults.babble = { at: 'login', ms: 6000, chunk: 65536, every: 0, text: 'x' };
    device = deviceFor(cliOptions(sim));
    await describeThroughFlood(device, 'login', 4000, 'login prompt');
  });

  it('fails a command over a serial line once the answer passes the limit, with memory and event loop free', async function () {
    const sim = await startSim();
    const line = await startSerialLine();
    undo.push(() => line.stop());
    const detach = await sim.attachSerial(line.device, 115200);
    undo.push(detach);
    device = deviceFor(cliOptions({ serialPath: line.host }, { baudRate: 115200 }));
    sim.console.faults.babble = { at: /^STATUS ALL$/, ms: 6000, chunk: 4096, every: 0 };
    await describeThroughFlood(device, 'serial', 4000);
  });

  it('stops answering a pager that never ends once the pages pass the answer limit', async function () {
    const sim = await startSim();
    const page = `${'Port .A1 On\r\n'.repeat(1200)}Press: N)ext, Q)uit: `;
    sim.console.faults.babble = { at: /^STATUS ALL$/, ms: 8000, chunk: page.length, every: 5, text: page };
    device = deviceFor(cliOptions(sim));
    const started = Date.now();
    await assert.rejects(within(device.describe(), 10000, 'describe'), (error: Error) => {
      assert.ok(error instanceof DeviceUnreachableError, error.message.slice(0, 300));
      assert.match(error.message, /^127\.0\.0\.1:\d+ kept paging its answer to "STATUS ALL" past 1024 KiB \(\d+ characters\): the session is closed$/);
      return true;
    });
    assert.ok(Date.now() - started < 4000, `gave up after ${Date.now() - started} ms, while the device was still paging`);
  });

  it('gives up a login the device trickles for ever, at the login timeout', async function () {
    const sim = await startSim();
    sim.console.faults.babble = { at: 'login', ms: 10000, chunk: 1, every: 50 };
    device = deviceFor(cliOptions(sim, { extra: { loginTimeout: 1.5 } }));
    const started = Date.now();
    await assert.rejects(within(device.describe(), 5000, 'describe'), (error: Error) => {
      assert.ok(error instanceof DeviceUnreachableError, error.message);
      assert.match(error.message, /^no login prompt from 127\.0\.0\.1:\d+ within 1500 ms \(Enter sent every second\); last output: "Port/);
      return true;
    });
    assert.ok(Date.now() - started < 2500, `gave up after ${Date.now() - started} ms`);
  });

  it('gives up a command answer trickled for ever at its deadline, not at the next silence', async function () {
    const sim = await startSim();
    const session = new CliSession({
      dialect: sentryCli, channel: () => new TelnetChannel('127.0.0.1', sim.port), username: 'admn', password: 'admn',
      timeout: 500, loginTimeout: 3000, idleTime: 5000, answerTime: 1500,
    });
    try {
      await session.run((io) => io.command('VERS'));
      sim.console.faults.babble = { at: /^STATUS/, ms: 10000, chunk: 1, every: 50 };
      const started = Date.now();
      await assert.rejects(within(session.run((io) => io.command('STATUS ALL')), 5000, 'the command'), (error: Error) => {
        assert.ok(error instanceof DeviceUnreachableError, error.message);
        assert.match(error.message, /^no prompt after "STATUS ALL" from 127\.0\.0\.1:\d+ after \d+ ms in all; last output: ".*Port/);
        return true;
      });
      assert.ok(Date.now() - started < 2500, `gave up after ${Date.now() - started} ms`);
    } finally {
      await session.close();
    }
  });

  it('closes a session whose goodbye the device trickles for ever', async function () {
    const sim = await startSim();
    device = deviceFor(cliOptions(sim));
    await device.describe();
    sim.console.faults.babble = { at: /^QUIT$/, ms: 10000, chunk: 1, every: 50 };
    const started = Date.now();
    await within(device.close(), 5000, 'close');
    device = undefined;
    assert.ok(Date.now() - started < 2500, `closed after ${Date.now() - started} ms`);
  });
});

/**
 * Ask for the outlets while the device floods the line in answer to STATUS ALL: the command
 * must fail at the answer limit, long before the device stops, with the event loop and the
 * memory free all along.
 */
async function describeThroughFlood(device: Device, line: string, failWithin: number, waitingFor = 'prompt after "STATUS ALL"'): Promise<void> {
  const probe = startLoadProbe();
  const started = Date.now();
  const failure = await within(device.describe(), 8000, 'describe').then(() => undefined, (error: Error) => error);
  const failedAfter = Date.now() - started;
  const load = probe.stop();
  console.log(`      endless ${line} output: failed after ${failedAfter} ms, max lag ${load.maxLagMs.toFixed(1)} ms, growth ${load.growthMiB.toFixed(1)} MiB`);
  assert.ok(failure instanceof DeviceUnreachableError, String(failure?.message).slice(0, 300));
  assert.ok(failure.message.includes(`without the ${waitingFor}: the session is closed`), failure.message);
  assert.match(failure.message, /sent more than 1024 KiB \(\d+ characters\) without/);
  assert.ok(failedAfter < failWithin, `failed after ${failedAfter} ms, while the device was still talking`);
  assert.ok(load.maxLagMs < 100, `event loop held up ${load.maxLagMs.toFixed(1)} ms`);
  assert.ok(load.growthMiB < 64, `memory grew ${load.growthMiB.toFixed(1)} MiB`);
}
