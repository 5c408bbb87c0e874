import assert from 'assert';
import * as snmp from 'net-snmp';
import { Device } from '../../lib/device/device';
import { driverFor } from '../helpers/drivers';
import { DeviceCommandError, DeviceUnreachableError } from '../../lib/device/errors';
import { SnmpClient } from '../../lib/transports/snmp/client';
import type { SimDevice } from '../../sim';
import { freeUdpPort } from '../../sim/snmp/agent';
import { simDevice } from '../helpers/sim';

const BASE = '1.3.6.1.4.1.99999';

/** A stock net-snmp agent (no fixes of ours): it caps GetBulk answers at max-repetitions varbinds in all. */
async function stockAgent(rows: number, refuseAbove?: number): Promise<{ port: number; close(): void }> {
  const port = await freeUdpPort();
  const agent = snmp.createAgent({ port, address: '127.0.0.1' }, () => undefined);
  agent.getAuthorizer().addCommunity('public');
  const mib = agent.getMib();
  let inThisRequest = 0;
  // Counts the varbinds of one request (handlers of one PDU run in the same tick).
  const handler = (request: snmp.MibRequest): void => {
    if (inThisRequest === 0) setImmediate(() => { inThisRequest = 0; });
    inThisRequest += 1;
    request.done(refuseAbove && inThisRequest > refuseAbove ? { errorStatus: snmp.ErrorStatus.TooBig } : undefined);
  };
  mib.registerProvider({
    name: 'table', type: snmp.MibProviderType.Table, oid: `${BASE}.1.1`, maxAccess: snmp.MaxAccess['read-only'], handler,
    tableColumns: [1, 2, 3, 4].map((number) => ({
      number, name: `c${number}`, type: snmp.ObjectType.Integer, maxAccess: snmp.MaxAccess[number === 1 ? 'not-accessible' : 'read-only'],
    })),
    tableIndex: [{ columnName: 'c1' }],
  });
  for (let row = 1; row <= rows; row += 1) mib.addTableRow('table', [row, row * 10, row * 100, row * 1000]);
  return { port, close: () => agent.close() };
}

describe('SNMP client', function () {
  it('walks whole columns from an agent that truncates GetBulk answers', async function () {
    const agent = await stockAgent(30);
    const client = new SnmpClient({ host: '127.0.0.1', port: agent.port, version: '2c', timeout: 500, retries: 0, readCommunity: 'public' });
    try {
      const [a, b, c] = await client.walkColumns([`${BASE}.1.1.2`, `${BASE}.1.1.3`, `${BASE}.1.1.4`], 30);
      assert.deepStrictEqual([a.size, b.size, c.size], [30, 30, 30]);
      assert.strictEqual(c.get('30'), 30000);
      assert.strictEqual(b.get('17'), 1700);
    } finally {
      client.close();
      agent.close();
    }
  });

  it('asks for less when the agent answers tooBig, for GET and for GetBulk', async function () {
    const agent = await stockAgent(40, 10);
    const client = new SnmpClient({ host: '127.0.0.1', port: agent.port, version: '2c', timeout: 500, retries: 0, readCommunity: 'public' });
    try {
      const oids = Array.from({ length: 40 }, (_, i) => `${BASE}.1.1.2.${i + 1}`);
      // The agent really refuses 40 at once:
      const raw = snmp.createSession('127.0.0.1', 'public', { port: agent.port, version: snmp.Version2c, timeout: 500, retries: 0 });
      const refused = await new Promise<Error | null>((resolve) => raw.get(oids, (error) => resolve(error)));
      raw.close();
      assert.match(String(refused?.message), /TooBig/);
      const values = await client.get(oids);
      assert.deepStrictEqual(values, Array.from({ length: 40 }, (_, i) => (i + 1) * 10));
      const [column] = await client.walkColumns([`${BASE}.1.1.3`], 40);
      assert.strictEqual(column.size, 40);
    } finally {
      client.close();
      agent.close();
    }
  });

  describe('against the Sentry2 simulator', function () {
    let sim: SimDevice;
    beforeEach(async function () { sim = await simDevice('sentry2'); });
    afterEach(async function () { await sim.stop(); });

    function device(version: '1' | '2c', writeCommunity = 'private'): Device {
      return new Device({
        name: 'pm',
        verifyInterval: 50,
        driver: driverFor({
          transport: 'snmp', host: '127.0.0.1', port: sim.port, profile: 'sentry2', timeout: 300, retries: 1,
          snmpVersion: version, credentials: { readCommunity: 'public', writeCommunity },
        }),
      });
    }

    it('reads and switches over SNMPv1 (GetNext walks, no GetBulk)', async function () {
      const pm = device('1');
      try {
        const snapshot = await pm.read();
        assert.strictEqual(snapshot.outlets.length, 8);
        assert.strictEqual(snapshot.outlets[7].id, '.B4');
        const result = await pm.switch({ targets: '.B1', action: 'off' });
        assert.strictEqual(result.outlets[0].verified, true);
        assert.strictEqual(sim.model.outlet(5)!.on, false);
      } finally {
        await pm.close();
      }
    });

    it('names the write community when a SET gets no answer', async function () {
      const pm = device('2c', 'not-the-set-community');
      try {
        await assert.rejects(pm.switch({ targets: 1, action: 'off' }), (error: Error) => error instanceof DeviceUnreachableError
          && new RegExp(`no answer from 127\\.0\\.0\\.1:${sim.port} after 2 tries \\(SET; check the address, the write community`).test(error.message));
        assert.strictEqual(sim.model.outlet(1)!.on, true);
      } finally {
        await pm.close();
      }
    });

    it('explains a SET the device refuses', async function () {
      const client = new SnmpClient({ host: '127.0.0.1', port: sim.port, version: '2c', timeout: 300, retries: 0, readCommunity: 'public', writeCommunity: 'private' });
      try {
        await assert.rejects(client.set([{ oid: '1.3.6.1.4.1.1718.2.1.4.1.2.65.49', type: snmp.ObjectType.Integer, value: 9 }]),
          (error: Error) => error instanceof DeviceCommandError
            && /refused the SET \(WrongValue: 1\.3\.6\.1\.4\.1\.1718\.2\.1\.4\.1\.2\.65\.49\) \(the device does not accept this value\)/.test(error.message));
      } finally {
        client.close();
      }
    });
  });
});
