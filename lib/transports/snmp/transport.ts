import type { DriverOptions } from '../../device/driver';
import { DeviceConfigError } from '../../device/errors';
import type { ConfigProperties, TransportDefinition } from '../../device/transport-registry';
import { SnmpDriver } from './driver';

/** The SNMP settings of a pdu-config. */
export interface SnmpSettings {
  version: '1' | '2c' | '3';
  securityLevel: 'noAuthNoPriv' | 'authNoPriv' | 'authPriv';
  authProtocol: string;
  privProtocol: string;
}

export type SnmpDriverOptions = DriverOptions<SnmpSettings>;

const VERSIONS = ['1', '2c', '3'] as const;
const LEVELS = ['noAuthNoPriv', 'authNoPriv', 'authPriv'] as const;

export function snmpSettings(config: ConfigProperties): SnmpSettings {
  const version = String(config.snmpVersion || '2c');
  if (!(VERSIONS as readonly string[]).includes(version)) {
    throw new DeviceConfigError(`unknown SNMP version "${config.snmpVersion}" (use 1, 2c or 3)`);
  }
  const securityLevel = String(config.securityLevel || 'authPriv');
  if (!(LEVELS as readonly string[]).includes(securityLevel)) {
    throw new DeviceConfigError(`unknown SNMPv3 security level "${config.securityLevel}" (use ${LEVELS.join(', ')})`);
  }
  return {
    version: version as SnmpSettings['version'],
    securityLevel: securityLevel as SnmpSettings['securityLevel'],
    authProtocol: String(config.authProtocol || 'sha'),
    privProtocol: String(config.privProtocol || 'aes'),
  };
}

export const snmpTransport: TransportDefinition<SnmpSettings> = {
  id: 'snmp',
  label: 'SNMP',
  defaultPort: 161,
  address: 'host',
  settings: snmpSettings,
  createDriver: (options) => new SnmpDriver(options),
  // The authKey and privKey rows hold their protocol's drop-down too.
  editorFields: ['profile', 'snmpVersion', 'securityLevel', 'timeout', 'retries',
    'readCommunity', 'writeCommunity', 'trapCommunity', 'username', 'authKey', 'privKey', 'engineID'],
};
