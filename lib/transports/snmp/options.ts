import crypto from 'crypto';
import * as snmp from 'net-snmp';
import { DeviceConfigError } from '../../device/errors';

/** SNMP settings as the pdu-config holds them. */
export interface SnmpTarget {
  host: string;
  port: number;
  version: '1' | '2c' | '3';
  timeout: number;
  retries: number;
  readCommunity?: string;
  writeCommunity?: string;
  v3?: SnmpV3User;
}

export interface SnmpV3User {
  username: string;
  securityLevel: 'noAuthNoPriv' | 'authNoPriv' | 'authPriv';
  authProtocol?: string;
  authKey?: string;
  privProtocol?: string;
  privKey?: string;
}

export const AUTH_PROTOCOLS: Record<string, snmp.AuthProtocols> = {
  md5: snmp.AuthProtocols.md5,
  sha: snmp.AuthProtocols.sha,
  sha224: snmp.AuthProtocols.sha224,
  sha256: snmp.AuthProtocols.sha256,
  sha384: snmp.AuthProtocols.sha384,
  sha512: snmp.AuthProtocols.sha512,
};

/**
 * AES-256 comes in two key-extension flavours: Blumenthal (Net-SNMP's snmpd and most agents)
 * and Reeder (Cisco). `aes256` means Blumenthal.
 */
export const PRIV_PROTOCOLS: Record<string, snmp.PrivProtocols> = {
  des: snmp.PrivProtocols.des,
  aes: snmp.PrivProtocols.aes,
  aes128: snmp.PrivProtocols.aes,
  aes256: snmp.PrivProtocols.aes256b,
  aes256b: snmp.PrivProtocols.aes256b,
  aes256r: snmp.PrivProtocols.aes256r,
};

export function snmpVersion(version: SnmpTarget['version']): snmp.Version {
  if (version === '1') return snmp.Version1;
  if (version === '3') return snmp.Version3;
  return snmp.Version2c;
}

/** DES needs OpenSSL's legacy provider, which Node 17+ leaves out: say so before the first packet. */
export function checkDesAvailable(): void {
  try {
    crypto.createCipheriv('des-cbc', Buffer.alloc(8), Buffer.alloc(8));
  } catch {
    throw new DeviceConfigError('SNMPv3 DES privacy is not available: Node.js ' + process.version
      + ' uses OpenSSL 3, which disables DES unless Node-RED is started with --openssl-legacy-provider '
      + '(e.g. NODE_OPTIONS=--openssl-legacy-provider); better, switch the device to AES');
  }
}

/** Build net-snmp's user object from the config, checking that what the level needs is there. */
export function v3User(user: SnmpV3User): snmp.User {
  if (!user.username) throw new DeviceConfigError('SNMPv3 needs a user name');
  const result: snmp.User = { name: user.username, level: snmp.SecurityLevel[user.securityLevel] };
  if (result.level === undefined) throw new DeviceConfigError(`unknown SNMPv3 security level "${user.securityLevel}"`);
  if (user.securityLevel !== 'noAuthNoPriv') {
    const auth = AUTH_PROTOCOLS[(user.authProtocol ?? 'sha').toLowerCase()];
    if (auth === undefined) throw new DeviceConfigError(`unknown SNMPv3 auth protocol "${user.authProtocol}" (use ${Object.keys(AUTH_PROTOCOLS).join(', ')})`);
    if (!user.authKey || user.authKey.length < 8) throw new DeviceConfigError('SNMPv3 auth key must be at least 8 characters');
    result.authProtocol = auth;
    result.authKey = user.authKey;
  }
  if (user.securityLevel === 'authPriv') {
    const name = (user.privProtocol ?? 'aes').toLowerCase();
    const priv = PRIV_PROTOCOLS[name];
    if (priv === undefined) throw new DeviceConfigError(`unknown SNMPv3 privacy protocol "${user.privProtocol}" (use ${Object.keys(PRIV_PROTOCOLS).join(', ')})`);
    if (priv === snmp.PrivProtocols.des) checkDesAvailable();
    if (!user.privKey || user.privKey.length < 8) throw new DeviceConfigError('SNMPv3 privacy key must be at least 8 characters');
    result.privProtocol = priv;
    result.privKey = user.privKey;
  }
  return result;
}
