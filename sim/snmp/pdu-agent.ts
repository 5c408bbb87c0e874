import * as snmp from 'net-snmp';
import type { SimModel } from '../model';
import { startAgent, type StartedAgent } from './agent';
import type { SimDeviceOptions } from './sim-device';

/** A simulated PDU's agent on the options' port and communities, answering as the device would. */
export function startPduAgent(options: SimDeviceOptions, model: SimModel,
  identity: { sysDescr: string; sysObjectID: string; sysName: string }): Promise<StartedAgent> {
  return startAgent({
    port: options.port ?? 0,
    address: options.address,
    readCommunity: options.readCommunity,
    writeCommunity: options.writeCommunity,
    answerCommunity: options.answerCommunity,
    maxSetVarbinds: options.maxSetVarbinds,
    sysDescr: identity.sysDescr,
    sysObjectID: identity.sysObjectID,
    sysName: options.name ?? identity.sysName,
  }, model);
}

/** Register a read-only scalar (its `.0` instance) and give it a value. */
export function addScalar(mib: snmp.Mib, name: string, oid: string, type: snmp.ObjectType, value: unknown): void {
  mib.registerProvider({ name, type: snmp.MibProviderType.Scalar, oid, scalarType: type, maxAccess: snmp.MaxAccess['read-only'] });
  mib.setScalarValue(name, value);
}
