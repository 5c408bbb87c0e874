import assert from 'assert';
import type { Device } from '../../../lib/device/device';
import { DeviceConfigError, DeviceUnreachableError } from '../../../lib/device/errors';
import { deviceFor } from '../../helpers/cli';
import type { DriverConfig } from '../../helpers/drivers';
import { waitFor as until } from '../../peers/ports';
import { startSshd, sshdPasswordProblem, sshdTerminalProblem, type Sshd, type SshdOptions } from '../../peers/sshd';

// The Sentry power manager's command line over SSH: OpenSSH's sshd on a loopback port whose
// every session is the power-manager simulator (ForceCommand), through the Device as pdu-config
// uses it. Logins by password, key and keyboard-interactive; the host key pinned or trusted on
// first use; a server that dies, a redeploy and the idle time in the middle of the work.

const WRONG_PASSWORD = 'not-the-password-93';

/** A pdu-config for the command line over SSH to this sshd. */
function sshOptions(sshd: Sshd, overrides: Partial<DriverConfig> = {}): DriverConfig {
  return {
    transport: 'ssh',
    host: '127.0.0.1',
    port: sshd.port,
    profile: 'sentry-cli',
    timeout: 2000,
    retries: 1,
    credentials: { username: sshd.user, password: sshd.password },
    ...overrides,
    extra: { loginTimeout: 8, ...(overrides.extra as Record<string, unknown> ?? {}) },
  };
}

/** Another valid fingerprint than the server's. */
const OTHER_KEY = `SHA256:${'A'.repeat(42)}E`;

describe('CLI transport over SSH (sentry-cli behind a real OpenSSH sshd)', function () {
  this.timeout(30000);
  let sshd: Sshd | undefined;
  let device: Device | undefined;
  const logs: string[] = [];
  const log = { info: (text: string) => logs.push(text), warn: (text: string) => logs.push(text) };

  async function start(options: SshdOptions = {}): Promise<Sshd> {
    sshd = await startSshd(options);
    return sshd;
  }

  /** Skipped where this sshd cannot do it (not root), the reason in the test's title. */
  function needs(context: Mocha.Context, ...problems: Array<string | undefined>): void {
    const problem = problems.find(Boolean);
    if (!problem) return;
    context.test!.title += ` (skipped: ${problem})`;
    context.skip();
  }
  const passwords = (): string | undefined => sshdPasswordProblem();
  const terminal = (): string | undefined => sshdTerminalProblem();

  afterEach(async function () {
    await device?.close();
    device = undefined;
    await sshd?.stop();
    sshd = undefined;
    logs.length = 0;
  });

  it('logs in by password, switches an outlet, verified, and reads the status in one session', async function () {
    needs(this, passwords(), terminal());
    const server = await start({ methods: 'password' });
    device = deviceFor(sshOptions(server), { log });
    const off = await device.switch({ targets: '.A2', action: 'off' });
    assert.deepStrictEqual(off.outlets, [{ index: 2, id: '.A2', name: 'switch', before: 'on', after: 'off', verified: true }]);
    const snapshot = await device.read();
    assert.deepStrictEqual(snapshot.outlets.map((o) => o.state), ['on', 'off', 'on', 'on', 'on', 'on', 'on', 'on']);
    const status = server.simStatus()!;
    assert.deepStrictEqual(status.outlets, [true, false, true, true, true, true, true, true], 'the simulated hardware switched');
    assert.ok(status.commands.includes('OFF .A2'));
    assert.strictEqual(status.logins, 1, 'the CLI asked for its own login once, after the SSH login');
  });

  it('runs the Switched CDU dialect (sentry-cdu-cli) and a user-defined one (custom-cli) over SSH, through its pager', async function () {
    needs(this, passwords(), terminal());
    const server = await start({ methods: 'password', sim: { kind: 'switched-cdu' } });
    device = deviceFor(sshOptions(server, { profile: 'sentry-cdu-cli' }));
    assert.strictEqual((await device.describe()).outlets.length, 24, 'every page of the status read');
    const off = await device.switch({ targets: '.AC3', action: 'off' });
    assert.deepStrictEqual(off.outlets.map((o) => [o.id, o.after, o.verified]), [['.AC3', 'off', true]]);
    assert.strictEqual(server.simStatus()!.outlets[18], false, 'the simulated CDU switched');
    await device.close();
    device = deviceFor(sshOptions(server, {
      profile: 'custom-cli',
      extra: {
        cliUsernamePrompt: 'Username: $', cliPasswordPrompt: 'Password: $', cliLoginFailed: 'Access denied',
        cliPrompt: 'Switched CDU: $', cliStatus: 'status',
        cliStatusLine: '^\\s+(?<id>\\.A[A-Z]\\d)\\s+(?<name>\\S+)\\s+(?<state>On|Off)\\b',
        cliOn: 'on {outlet}', cliOff: 'off {outlet}', cliPager: 'More \\(Y/es N/o\\): $', cliPagerAnswer: 'y', cliLogout: 'logout',
      },
    }));
    const result = await device.switch({ targets: 'server-24', action: 'off' });
    assert.deepStrictEqual(result.outlets.map((o) => [o.id, o.after, o.verified]), [['.AC8', 'off', true]]);
    assert.strictEqual(server.simStatus()!.outlets[23], false);
  });

  it('shows the host key on the first connection (trusted on first use) so that it can be pinned', async function () {
    needs(this, terminal());
    const server = await start({ methods: 'publickey' });
    device = deviceFor(sshOptions(server, { credentials: { username: server.user, password: server.password, privateKey: server.clientKey } }), { log });
    const description = await device.describe();
    assert.deepStrictEqual(description.hostKey, { fingerprint: server.fingerprint, pinned: false });
    assert.ok(logs.some((line) => line.includes(`SSH host key ${server.fingerprint} (not pinned: trusted on first use; pin it`)), logs.join('\n'));
  });

  it('logs in by private key against a pinned host key; the CLI login is the SSH login', async function () {
    needs(this, terminal());
    const server = await start({ methods: 'publickey' });
    server.setSim({ loginAs: server.user });
    device = deviceFor(sshOptions(server, { hostKey: server.fingerprint, credentials: { username: server.user, password: server.password, privateKey: server.clientKey } }));
    const description = await device.describe();
    assert.deepStrictEqual(description.hostKey, { fingerprint: server.fingerprint, pinned: true });
    assert.strictEqual(description.outlets.length, 8);
    const result = await device.switch({ targets: 'nas', action: 'off' });
    assert.strictEqual(result.outlets[0].verified, true);
    assert.strictEqual(server.simStatus()!.outlets[3], false);
  });

  it('logs in with a passphrase-protected key, and says so clearly when the passphrase is wrong, quoting no secret', async function () {
    needs(this, terminal());
    const server = await start({ methods: 'publickey' });
    device = deviceFor(sshOptions(server, {
      credentials: { username: server.user, password: server.password, privateKey: server.encryptedKey, passphrase: server.passphrase },
    }));
    assert.strictEqual((await device.describe()).outlets.length, 8);
    await device.close();
    for (const passphrase of ['wrong-passphrase-5', undefined]) {
      device = deviceFor(sshOptions(server, { credentials: { username: server.user, password: server.password, privateKey: server.encryptedKey, passphrase } }));
      await assert.rejects(device.describe(), (error: Error) => {
        assert.ok(error instanceof DeviceConfigError, error.message);
        assert.match(error.message, passphrase ? /SSH private key in the device config cannot be used: wrong passphrase/
          : /it is encrypted and no passphrase is set/);
        assertNoSecret(error.message + device!.connection.text, [passphrase, server.passphrase, server.encryptedKey]);
        return true;
      });
      await device.close();
    }
    device = undefined;
  });

  it('answers keyboard-interactive with the password', async function () {
    needs(this, passwords(), terminal());
    const server = await start({ methods: 'keyboard-interactive' });
    device = deviceFor(sshOptions(server));
    const result = await device.switch({ targets: '.B1', action: 'off' });
    assert.strictEqual(result.outlets[0].verified, true);
    assert.strictEqual(server.simStatus()!.outlets[4], false);
  });

  it('refuses a wrong password with a clear error that does not contain it', async function () {
    needs(this, passwords());
    const server = await start({ methods: 'password' });
    for (const methods of ['password', 'keyboard-interactive']) {
      await server.restart();
      device = deviceFor(sshOptions(server, { credentials: { username: server.user, password: WRONG_PASSWORD } }));
      await assert.rejects(device.describe(), (error: Error) => {
        assert.ok(error instanceof DeviceConfigError, `${methods}: ${error.message}`);
        assert.match(error.message, new RegExp(`refused the SSH login for user "${server.user}" \\(tried password\\): check the username`));
        assertNoSecret(`${error.message} ${error.stack} ${device!.connection.text}`, [WRONG_PASSWORD]);
        return true;
      });
      await device.close();
      device = undefined;
    }
  });

  it('refuses a host key other than the pinned one, naming both fingerprints, and sends no credential', async function () {
    const server = await start({ methods: 'publickey' });
    device = deviceFor(sshOptions(server, { hostKey: OTHER_KEY, credentials: { username: server.user, password: server.password, privateKey: server.clientKey } }));
    await assert.rejects(device.describe(), (error: Error) => {
      assert.ok(error instanceof DeviceConfigError, error.message);
      assert.strictEqual(error.message, `127.0.0.1:${server.port}: SSH host key changed: expected ${OTHER_KEY}, got ${server.fingerprint}; `
        + 'if the device was replaced, clear or update the pinned key');
      return true;
    });
    assert.strictEqual(server.simStatus(), undefined, 'no session was started');
  });

  it('refuses a changed host key on reconnect after trusting the first one', async function () {
    needs(this, terminal());
    const first = await start({ methods: 'publickey' });
    const credentials = { username: first.user, password: first.password, privateKey: first.clientKey };
    device = deviceFor(sshOptions(first, { credentials }));
    await device.describe();
    const port = first.port;
    const firstKey = first.fingerprint;
    await first.stop();
    // Another server (another host key) at the same address, authorizing the same client key.
    const second = await start({ methods: 'publickey', port, clientKeyFrom: first });
    await until(() => device!.connection.state !== 'connected', 10000, 'the loss noticed');
    await assert.rejects(device.read(), (error: Error) => {
      assert.match(error.message, new RegExp(`SSH host key changed: expected ${escape(firstKey)}, got ${escape(second.fingerprint)}; `
        + 'if the device was replaced, clear or update the pinned key \\(the key was learned on the first connection'));
      return true;
    });
  });

  it('fails clearly when the server dies mid-command, without hanging, and reconnects once it is back', async function () {
    needs(this, terminal());
    const server = await start({ methods: 'publickey', sim: { hang: '^OFF' } });
    const credentials = { username: server.user, password: server.password, privateKey: server.clientKey };
    device = deviceFor(sshOptions(server, { timeout: 10000, credentials }));
    await device.describe();
    const started = Date.now();
    const pending = device.switch({ targets: '.A3', action: 'off' });
    await until(() => Boolean(server.simStatus()?.commands.includes('OFF .A3')), 5000, 'the command on the device');
    server.kill();
    await assert.rejects(pending, (error: Error) => {
      assert.ok(error instanceof DeviceUnreachableError, error.message);
      assert.match(error.message, /SSH connection to 127\.0\.0\.1:\d+ lost|closed the SSH connection/);
      assert.match(error.message, /while waiting for the prompt after "OFF \.A3"/);
      // The outcome is not known: the outlet could not be read back either, and the message says so.
      assert.match(error.message, /the outlets' state is unknown: reading them back failed too \(127\.0\.0\.1:\d+ refused the connection/);
      return true;
    });
    assert.ok(Date.now() - started < 5000, `failed after ${Date.now() - started} ms, not after the 10 s timeout`);
    server.setSim({});
    await server.restart();
    const result = await device.switch({ targets: '.A3', action: 'off' });
    assert.strictEqual(result.outlets[0].verified, true);
  });

  it('cuts a command the device never answers when the node closes (redeploy), instead of waiting for the timeout', async function () {
    needs(this, terminal());
    const server = await start({ methods: 'publickey', sim: { hang: '^OFF' } });
    const credentials = { username: server.user, password: server.password, privateKey: server.clientKey };
    device = deviceFor(sshOptions(server, { timeout: 20000, credentials }), { closeGrace: 200 });
    await device.describe();
    const pending = device.switch({ targets: '.A4', action: 'off' });
    const outcome = pending.then(() => 'done', (error: Error) => error);
    await until(() => Boolean(server.simStatus()?.commands.includes('OFF .A4')), 5000, 'the command on the device');
    const started = Date.now();
    await device.close();
    const took = Date.now() - started;
    assert.ok(took < 2000, `close took ${took} ms`);
    const error = await outcome;
    assert.ok(error instanceof Error, 'the cut command fails');
    assert.match(error.message, /was closed \(the node is closing\) while waiting for the prompt after "OFF \.A4"/);
    device = undefined;
  });

  it('logs out after its idle time without calling the device lost, and logs in again for the next command', async function () {
    needs(this, terminal());
    const server = await start({ methods: 'publickey' });
    const credentials = { username: server.user, password: server.password, privateKey: server.clientKey };
    device = deviceFor(sshOptions(server, { credentials, extra: { idleTime: 0.5 } }));
    const states: string[] = [];
    device.on('connection', (state: { state: string }) => states.push(state.state));
    await device.describe();
    const first = server.simStatus()!;
    await until(() => !alive(first.pid), 5000, 'the session ended by our QUIT');
    assert.ok(first.commands.includes('QUIT') || server.simStatus()!.commands.includes('QUIT'), 'logged out, not dropped');
    assert.strictEqual(device.connection.state, 'connected', 'an idle logout is not a lost device');
    await device.read();
    const second = server.simStatus()!;
    assert.notStrictEqual(second.pid, first.pid, 'a new session');
    assert.strictEqual(second.logins, 1);
  });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function assertNoSecret(text: string, secrets: Array<string | undefined>): void {
  for (const secret of secrets) {
    if (!secret) continue;
    assert.ok(!text.includes(secret), `a secret in: ${text}`);
    for (const line of secret.split('\n').filter((part) => part.length >= 16 && !part.startsWith('-----'))) {
      assert.ok(!text.includes(line), `a line of the key in: ${text}`);
    }
  }
}
