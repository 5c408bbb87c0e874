import * as snmp from 'net-snmp';

/** Register a read-only scalar (its `.0` instance) and give it a value. */
export function addScalar(mib: snmp.Mib, name: string, oid: string, type: snmp.ObjectType, value: unknown): void {
  mib.registerProvider({ name, type: snmp.MibProviderType.Scalar, oid, scalarType: type, maxAccess: snmp.MaxAccess['read-only'] });
  mib.setScalarValue(name, value);
}
