import type { Transport } from '../types';
import { cliDialects, CUSTOM_CLI } from './cli';
import { httpProfiles } from './http';
import { snmpProfiles } from './index';

export interface ProfileEntry {
  id: string;
  vendor: string;
  model: string;
  /** Transports the profile works over (a CLI dialect runs over Telnet, SSH and serial alike). */
  transports: Transport[];
}

/**
 * Every profile the pack ships, for the editor's drop-down. Transports with profiles of their
 * own (CLI dialects, NUT) add their entries here.
 */
const CLI_TRANSPORTS: Transport[] = ['telnet', 'ssh', 'serial'];

export function profileCatalog(): ProfileEntry[] {
  return [
    ...snmpProfiles.map((profile) => ({
      id: profile.id, vendor: profile.vendor, model: profile.model, transports: ['snmp'] as Transport[],
    })),
    { id: 'nut', vendor: 'Network UPS Tools', model: 'any UPS or PDU served by upsd (outlet.n.*)', transports: ['nut'] },
    ...cliDialects.map((dialect) => ({
      id: dialect.id, vendor: dialect.vendor, model: dialect.model, transports: CLI_TRANSPORTS,
    })),
    { id: CUSTOM_CLI, vendor: 'User-defined', model: 'Command line (prompts and commands set below)', transports: CLI_TRANSPORTS },
    ...httpProfiles.map((profile) => ({
      id: profile.id, vendor: profile.vendor, model: profile.model, transports: ['http'] as Transport[],
    })),
    { id: 'powerman', vendor: 'PowerMan', model: 'powermand nodes (IPMI, Redfish, iLO, APC, Baytech, WTI ...)', transports: ['powerman'] },
  ];
}
