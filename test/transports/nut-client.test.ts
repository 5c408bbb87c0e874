import assert from 'assert';
import { NutClient, type NutClientOptions } from '../../lib/transports/nut/client';
import { NutCommandError, NutConfigError, NutUnreachableError } from '../../lib/transports/nut/errors';
import { ODD_PASSWORD, startUpsd, type Upsd } from '../peers/upsd';

// The client against the real upsd 2.8 with dummy-ups drivers (Debian's nut-server).

const UPS_DEV = `ups.status: OL CHRG
battery.charge: 90
battery.runtime: 1800
input.voltage: 230.4
ups.mfr: ACME
ups.model: Smart 1500
ups.id: rack12
device.type: ups
`;
const DESC = 'Rack "A" C:\\ups 1';

describe('NUT client against upsd + dummy-ups', function () {
  this.timeout(30000);
  let upsd: Upsd;
  const clients: NutClient[] = [];

  before(async function () {
    upsd = await startUpsd({ upses: { ups1: { dev: UPS_DEV, desc: DESC }, ups2: { dev: UPS_DEV.replace('rack12', 'rack13') } } });
  });

  after(async function () {
    await upsd?.stop();
  });

  afterEach(async function () {
    await Promise.all(clients.splice(0).map((client) => client.close()));
  });

  function client(options: Partial<NutClientOptions> = {}): NutClient {
    const made = new NutClient({ host: '127.0.0.1', port: upsd.port, timeout: 2000, ...options });
    clients.push(made);
    return made;
  }

  it('reads the server, its UPSes and their variables, types and descriptions', async function () {
    const nut = client();
    // Quotes and backslashes in a value come back as written (DESC has both).
    assert.deepStrictEqual(await nut.listUps(), [{ name: 'ups1', description: DESC }, { name: 'ups2', description: 'Description unavailable' }]);
    const vars = await nut.listVar('ups1');
    assert.strictEqual(vars['ups.status'], 'OL CHRG');
    assert.strictEqual(vars['battery.charge'], '90');
    assert.strictEqual(vars['driver.name'], 'dummy-ups');
    assert.deepStrictEqual(await nut.readAll('ups1'), vars);
    assert.strictEqual(await nut.getVar('ups1', 'input.voltage'), '230.4');
    assert.deepStrictEqual(await nut.getVars('ups1', ['ups.id', 'no.such.var', 'battery.charge']), { 'ups.id': 'rack12', 'battery.charge': '90' });
    const type = await nut.getType('ups1', 'ups.status');
    assert.deepStrictEqual([type.rw, type.string], [true, 32]);
    assert.strictEqual((await nut.getType('ups1', 'battery.charge')).number, true);
    assert.strictEqual(await nut.getDescription('ups1', 'battery.charge'), 'Battery charge (percent of full)');
    assert.deepStrictEqual(await nut.listCmd('ups1'), ['load.off']);
    assert.strictEqual(await nut.getCommandDescription('ups1', 'load.off'), 'Turn off the load immediately');
    assert.strictEqual((await nut.listRw('ups1'))['ups.id'], 'rack12');
    assert.deepStrictEqual(await nut.listEnum('ups1', 'ups.status'), []);
    assert.deepStrictEqual(await nut.listRange('ups1', 'battery.charge'), []);
    const writable = await nut.writable('ups1');
    assert.deepStrictEqual(writable.find((entry) => entry.name === 'battery.charge')?.type.number, true);
  });

  it('matches 60 pipelined answers to their requests, in one connection', async function () {
    const nut = client();
    const asks = Array.from({ length: 60 }, (_, i) => (i % 2 ? nut.getVar('ups2', 'ups.id') : nut.getVar('ups1', 'battery.charge')));
    const answers = await Promise.all(asks);
    assert.ok(answers.every((answer, i) => answer === (i % 2 ? 'rack13' : '90')));
  });

  it('maps ERR answers to typed errors with clear messages', async function () {
    const nut = client();
    await assert.rejects(nut.getVar('nope', 'ups.status'), (error: NutConfigError) => error instanceof NutConfigError
      && error.token === 'UNKNOWN-UPS' && /upsd at 127\.0\.0\.1:\d+ has no UPS "nope"/.test(error.message));
    await assert.rejects(nut.getVar('ups1', 'no.such'), (error: NutCommandError) => error instanceof NutCommandError
      && error.token === 'VAR-NOT-SUPPORTED' && /GET VAR ups1 no\.such: UPS "ups1" has no such variable/.test(error.message));
    await assert.rejects(nut.instcmd('ups1', 'load.off'), (error: NutConfigError) => error instanceof NutConfigError
      && error.token === 'USERNAME-REQUIRED' && /set User and Password on the device config/.test(error.message));
    await assert.rejects(nut.getVar('ups1', 'bad name'), /is not a NUT name/);
  });

  describe('authentication and commands', function () {
    it('sets a variable with the right password, confirmed through TRACKING; values with spaces round-trip', async function () {
      const nut = client({ username: 'admin', password: 'secret' });
      const outcome = await nut.setVar('ups1', 'ups.id', 'rack 12 left');
      assert.strictEqual(outcome.result, 'SUCCESS');
      assert.match(outcome.tracking ?? '', /^[0-9A-F-]{36}$/);
      assert.strictEqual(await nut.getVar('ups1', 'ups.id'), 'rack 12 left');
    });

    it('logs in with a password that needs quoting', async function () {
      const nut = client({ username: 'odd', password: ODD_PASSWORD });
      assert.strictEqual((await nut.setVar('ups2', 'ups.id', 'odd-user')).result, 'SUCCESS');
    });

    it('refuses a wrong password, and never puts it in the message', async function () {
      const nut = client({ username: 'admin', password: 'wrong-pw' });
      await assert.rejects(nut.setVar('ups1', 'ups.id', 'x'), (error: NutConfigError) => error instanceof NutConfigError
        && error.token === 'ACCESS-DENIED' && /access denied for user "admin"/.test(error.message) && !/wrong-pw/.test(error.message));
    });

    it('refuses a user without rights and a missing user', async function () {
      await assert.rejects(client({ username: 'viewer', password: 'look' }).instcmd('ups1', 'load.off'), { token: 'ACCESS-DENIED' });
      await assert.rejects(client({ username: 'ghost', password: 'x' }).instcmd('ups1', 'load.off'), { token: 'ACCESS-DENIED' });
      await assert.rejects(client().setVar('ups1', 'ups.id', 'x'), { token: 'USERNAME-REQUIRED' });
    });

    it('gives each command and SET error its own token', async function () {
      const nut = client({ username: 'admin', password: 'secret' });
      await assert.rejects(nut.instcmd('ups1', 'beeper.enable'), (error: NutCommandError) => error instanceof NutCommandError
        && error.token === 'CMD-NOT-SUPPORTED' && /INSTCMD ups1 beeper\.enable: UPS "ups1" does not support this instant command/.test(error.message));
      await assert.rejects(nut.instcmd('nope', 'load.off'), { token: 'UNKNOWN-UPS' });
      await assert.rejects(nut.setVar('ups1', 'driver.name', 'x'), { token: 'READONLY', name: 'NutCommandError' });
      await assert.rejects(nut.setVar('nope', 'ups.id', 'x'), { token: 'UNKNOWN-UPS' });
      await assert.rejects(nut.setVar('ups1', 'ups.status', 'x'.repeat(40)), { token: 'TOO-LONG' });
      // dummy-ups registers load.off but cannot run it: upsd's tracking reports the driver's refusal.
      await assert.rejects(nut.instcmd('ups1', 'load.off', '5'), (error: NutCommandError) => error.token === 'UNKNOWN'
        && /INSTCMD ups1 load\.off 5: the driver of "ups1" did not handle it/.test(error.message));
    });
  });
});

describe('NUT client link loss (upsd killed and started again)', function () {
  this.timeout(30000);
  let upsd: Upsd;
  let nut: NutClient;

  before(async function () {
    upsd = await startUpsd({ upses: { ups1: { dev: UPS_DEV } } });
  });

  after(async function () {
    await nut?.close();
    await upsd?.stop();
  });

  it('reports a lost link, fails fast while upsd is down, and comes back by itself', async function () {
    nut = new NutClient({ host: '127.0.0.1', port: upsd.port, timeout: 2000, reconnectMin: 100, reconnectMax: 400 });
    const events: string[] = [];
    nut.on('connected', () => events.push('connected'));
    nut.on('disconnected', () => events.push('disconnected'));
    assert.strictEqual(await nut.getVar('ups1', 'battery.charge'), '90');
    await upsd.killUpsd();
    await assert.rejects(nut.getVar('ups1', 'battery.charge'), (error: Error) => error instanceof NutUnreachableError
      && /refused the connection|closed the connection/.test(error.message));
    assert.deepStrictEqual(events, ['connected', 'disconnected']);
    await upsd.startUpsd();
    const deadline = Date.now() + 5000;
    while (events.length < 3 && Date.now() < deadline) await new Promise((resolve) => { setTimeout(resolve, 50); });
    assert.deepStrictEqual(events, ['connected', 'disconnected', 'connected'], 'reconnected without a request');
    assert.strictEqual(await nut.getVar('ups1', 'battery.charge'), '90');
  });
});

describe('NUT client STARTTLS against upsd', function () {
  this.timeout(30000);
  let secure: Upsd;
  let plain: Upsd;
  const clients: NutClient[] = [];

  before(async function () {
    secure = await startUpsd({ upses: { ups1: { dev: UPS_DEV } }, tls: true });
    plain = await startUpsd({ upses: { ups1: { dev: UPS_DEV } } });
  });

  after(async function () {
    await Promise.all(clients.map((client) => client.close()));
    await secure?.stop();
    await plain?.stop();
  });

  const client = (port: number, options: Partial<NutClientOptions>): NutClient => {
    const made = new NutClient({ host: '127.0.0.1', port, timeout: 3000, ...options });
    clients.push(made);
    return made;
  };

  it('upgrades with STARTTLS, verifies the certificate against the CA file, and logs in inside TLS', async function () {
    const nut = client(secure.port, { tls: { starttls: true, caFile: secure.caFile }, username: 'admin', password: 'secret' });
    assert.strictEqual(await nut.getVar('ups1', 'ups.status'), 'OL CHRG');
    assert.strictEqual(nut.connection.encrypted, true);
    assert.strictEqual((await nut.setVar('ups1', 'ups.id', 'over tls')).result, 'SUCCESS');
  });

  it('refuses a server whose certificate the CA file does not vouch for', async function () {
    const nut = client(secure.port, { tls: { starttls: true, caFile: plain.dir + '/no-such-ca.pem' } });
    await assert.rejects(nut.getVar('ups1', 'ups.status'), /cannot read the CA file ".*no-such-ca\.pem" \(ENOENT\)/);
    const untrusting = client(secure.port, { tls: { starttls: true } });
    await assert.rejects(untrusting.getVar('ups1', 'ups.status'), (error: NutConfigError) => error instanceof NutConfigError
      && error.token === 'TLS' && /TLS with upsd at 127\.0\.0\.1:\d+ failed: .*(self-signed|unable to verify|local issuer)/i.test(error.message));
  });

  it('says clearly when the server does not offer STARTTLS, and sends nothing in clear text', async function () {
    const nut = client(plain.port, { tls: { starttls: true, caFile: secure.caFile }, username: 'admin', password: 'secret' });
    await assert.rejects(nut.getVar('ups1', 'ups.status'), (error: NutConfigError) => error instanceof NutConfigError
      && error.token === 'STARTTLS-REFUSED' && /does not offer STARTTLS \(ERR FEATURE-NOT-CONFIGURED: no certificate configured/.test(error.message));
  });
});
