import * as snmp from 'net-snmp';
import { Device } from '../../lib/device/device';
import { driverFor } from './drivers';
import type { SimDevice } from '../../sim';

/** A Device on a simulated SNMP PDU, as a pdu-config would make it (`auto` detects the profile). */
export function snmpDevice(sim: SimDevice, profile = sim.id): Device {
  return new Device({
    name: `${sim.id}-sim`,
    driver: driverFor({
      transport: 'snmp', host: '127.0.0.1', port: sim.port, profile, timeout: 500, retries: 1,
      snmpVersion: '2c', credentials: { readCommunity: 'public', writeCommunity: 'private' },
    }),
    verifyInterval: 50,
  });
}

function request<T>(port: number, community: string, call: (session: snmp.Session, done: (error: Error | null, result: T) => void) => void): Promise<T> {
  const session = snmp.createSession('127.0.0.1', community, { port, version: snmp.Version2c, timeout: 1000, retries: 0 });
  return new Promise<T>((resolve, reject) => {
    call(session, (error, result) => {
      session.close();
      if (error) reject(error);
      else resolve(result);
    });
  });
}

/** What an operator's snmpset would do: write an INTEGER with the write community. */
export async function setInteger(port: number, oid: string, value: number): Promise<void> {
  await request(port, 'private', (session, done) => session.set([{ oid, type: snmp.ObjectType.Integer, value }], done));
}

/** The raw values of some objects, as the agent gives them. */
export async function getValues(port: number, oids: string[]): Promise<unknown[]> {
  const varbinds = await request<snmp.Varbind[]>(port, 'public', (session, done) => session.get(oids, done));
  return varbinds.map((varbind) => (snmp.isVarbindError(varbind) ? undefined : varbind.value));
}
