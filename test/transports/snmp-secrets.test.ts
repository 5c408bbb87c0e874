import assert from 'assert';
import * as snmp from 'net-snmp';
import { Device } from '../../lib/device/device';
import type { DriverConfig } from '../helpers/drivers';
import { driverFor } from '../helpers/drivers';
import { DeviceConfigError, DeviceUnreachableError } from '../../lib/device/errors';
import { SnmpClient } from '../../lib/transports/snmp/client';
import type { SimDevice } from '../../sim';
import { collect, helper, loadFlow, until } from '../helpers/red';
import { simDevice } from '../helpers/sim';
import { startSnmpd, type RunningSnmpd } from '../peers/snmpd';

// No community, password or key in any error a transport gives, whatever path it takes: an agent
// answering with another community (net-snmp's text names both), a SET with the wrong write
// community, SNMPv3 with a wrong user or key. Checked on the thrown error, the Device status,
// and in a flow on the Catch message, the node status and the editor's outlet list.

const SECRETS = {
  readCommunity: 'Rd-Hidden-4471',
  writeCommunity: 'Wr-Hidden-4472',
  trapCommunity: 'Tr-Hidden-4473',
  password: 'Pw-Hidden-4474',
  authKey: 'Auth-Hidden-4475',
  privKey: 'Priv-Hidden-4476',
};
/** The community a misbehaving agent puts in its answers: a device's own secret, shown nowhere either. */
const AGENT_COMMUNITY = 'Agent-Own-4477';

function assertClean(text: string | undefined, where: string): void {
  for (const secret of [...Object.values(SECRETS), AGENT_COMMUNITY]) {
    assert.ok(!String(text).includes(secret), `${secret} in ${where}: ${text}`);
  }
}

function assertCleanError(error: unknown, where: string): Error {
  assert.ok(error instanceof Error, `${where}: an Error`);
  assertClean(error.message, `${where} message`);
  assertClean(error.stack, `${where} stack`);
  assertClean(String((error as Error & { cause?: Error }).cause?.message), `${where} cause`);
  assertClean(String((error as Error & { cause?: Error }).cause?.stack), `${where} cause stack`);
  return error;
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

function snmpDevice(port: number, extra: Partial<DriverConfig> = {}): Device {
  return new Device({
    name: 'secretive',
    verifyInterval: 50,
    driver: driverFor({
      transport: 'snmp', host: '127.0.0.1', port, profile: 'sentry2', timeout: 300, retries: 0, snmpVersion: '2c',
      credentials: { ...SECRETS }, ...extra,
    }),
  });
}

describe('SNMP errors carry no secrets', function () {
  describe('an agent that answers with another community (Sentry2 simulator)', function () {
    let sim: SimDevice;
    beforeEach(async function () {
      sim = await simDevice('sentry2', {
        readCommunity: SECRETS.readCommunity, writeCommunity: SECRETS.writeCommunity, answerCommunity: AGENT_COMMUNITY,
      });
    });
    afterEach(async function () { await sim.stop(); });

    it('says so in words of its own on a read, in the error and the Device status', async function () {
      const device = snmpDevice(sim.port);
      try {
        const error = assertCleanError(await rejection(device.read()), 'read error');
        assert.ok(error instanceof DeviceConfigError, error.message);
        assert.match(error.message, new RegExp(`127\\.0\\.0\\.1:${sim.port} answered the GET with a different community `
          + 'than the one configured \\(check the read community\\)'));
        assertClean(device.connection.text, 'Device status');
        assert.match(device.connection.text, /different community/);
      } finally {
        await device.close();
      }
    });

    it('names the write community on a SET', async function () {
      const client = new SnmpClient({
        host: '127.0.0.1', port: sim.port, version: '2c', timeout: 300, retries: 0,
        readCommunity: SECRETS.readCommunity, writeCommunity: SECRETS.writeCommunity,
      });
      try {
        const error = assertCleanError(await rejection(client.set([{ oid: '1.3.6.1.4.1.1718.2.1.4.1.2.65.49', type: snmp.ObjectType.Integer, value: 2 }])), 'SET error');
        assert.match(error.message, /answered the SET with a different community than the one configured \(check the write community\)/);
      } finally {
        client.close();
      }
    });

    it('keeps them out of the Catch message, the node status and the editor\'s outlet list', async function () {
      await loadFlow([
        {
          id: 'cfg', type: 'pdu-config', name: 'secretive', transport: 'snmp', host: '127.0.0.1', port: String(sim.port),
          profile: 'sentry2', snmpVersion: '2c', timeout: '300', retries: '0',
        },
        { id: 'out', type: 'pdu-outlet', device: 'cfg', outlet: '2', action: 'msg', verify: true, wires: [['result']] },
        { id: 'result', type: 'helper' },
        { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
        { id: 'caught', type: 'helper' },
      ], { cfg: { ...SECRETS, username: 'v3-user' } });
      try {
        const out = helper.getNode('out');
        const statuses: unknown[] = [];
        (out as unknown as { on(event: string, fn: (call: { args: unknown[] }) => void): void })
          .on('call:status', (call) => statuses.push(call.args[0]));
        const caught = collect<Record<string, unknown>>(helper.getNode('caught'));
        out.receive({ payload: 'off' });
        const [msg] = await until(() => caught.length > 0 && caught, 5000, 'the caught error');
        assert.match(JSON.stringify(msg), /different community/);
        assertClean(JSON.stringify(msg), 'the Catch message');
        assertClean(String((msg.error as { stack?: string }).stack), 'the Catch message stack');
        assert.ok(statuses.length > 0, 'a status shown');
        assertClean(JSON.stringify(statuses), 'the node status');
        const answer = await helper.request().get('/rack-power/devices/cfg/outlets');
        assert.strictEqual(answer.status, 502);
        assert.match(answer.text, /different community/);
        assertClean(answer.text, 'the outlet list endpoint');
        assert.strictEqual(sim.model.outlet(2)!.on, true);
      } finally {
        await helper.unload();
      }
    });
  });

  it('a SET with the wrong write community: the error and the status name neither community', async function () {
    const sim = await simDevice('sentry2', { readCommunity: SECRETS.readCommunity, writeCommunity: 'Wr-Real-4478' });
    const device = snmpDevice(sim.port);
    try {
      const error = assertCleanError(await rejection(device.switch({ targets: 1, action: 'off' })), 'SET error');
      assert.ok(error instanceof DeviceUnreachableError, error.message);
      assert.match(error.message, /SET; check the address, the write community/);
      assert.ok(!error.message.includes('Wr-Real-4478'));
      assertClean(device.connection.text, 'Device status');
      assert.strictEqual(sim.model.outlet(1)!.on, true);
    } finally {
      await device.close();
      await sim.stop();
    }
  });

  describe('SNMPv3 with a wrong user or key (real snmpd)', function () {
    let snmpd: RunningSnmpd;
    before(async function () {
      snmpd = await startSnmpd([
        { name: 'ops', auth: { protocol: 'SHA-256', key: 'Auth-Real-4479' }, priv: { protocol: 'AES', key: 'Priv-Real-4480' } },
      ]);
    });
    after(async function () { await snmpd?.stop(); });

    const cases: Array<[string, string, RegExp]> = [
      ['a wrong auth key', 'ops', /Wrong Digest.*check the auth key/],
      ['an unknown user', 'Pw-Hidden-4474-user', /Unknown User Name/],
    ];
    for (const [what, username, expected] of cases) {
      it(`${what}: the error and the status carry no key`, async function () {
        const device = snmpDevice(snmpd.port, {
          snmpVersion: '3', securityLevel: 'authPriv', authProtocol: 'sha256', privProtocol: 'aes', profile: 'auto',
          credentials: { username, authKey: SECRETS.authKey, privKey: SECRETS.privKey },
        });
        try {
          const error = assertCleanError(await rejection(device.read()), `${what} error`);
          assert.match(error.message, expected);
          assertClean(device.connection.text, 'Device status');
        } finally {
          await device.close();
        }
      });
    }

    it('a wrong privacy key: the error and the status carry no key', async function () {
      const device = snmpDevice(snmpd.port, {
        snmpVersion: '3', securityLevel: 'authPriv', authProtocol: 'sha256', privProtocol: 'aes', profile: 'auto',
        credentials: { username: 'ops', authKey: 'Auth-Real-4479', privKey: SECRETS.privKey },
      });
      try {
        const error = assertCleanError(await rejection(device.read()), 'wrong privacy key error');
        assert.match(error.message, /SNMPv3 user and keys/);
        assert.ok(!error.message.includes('Auth-Real-4479'));
        assertClean(device.connection.text, 'Device status');
      } finally {
        await device.close();
      }
    });
  });
});
