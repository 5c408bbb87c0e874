import type { Transport } from '../types';
import { snmpProfiles } from './index';

export interface ProfileEntry {
  id: string;
  vendor: string;
  model: string;
  /** Transports the profile works over (a CLI dialect runs over Telnet and serial alike). */
  transports: Transport[];
}

/**
 * Every profile the pack ships, for the editor's drop-down. Transports with profiles of their
 * own (CLI dialects, NUT) add their entries here.
 */
export function profileCatalog(): ProfileEntry[] {
  return [
    ...snmpProfiles.map((profile) => ({
      id: profile.id, vendor: profile.vendor, model: profile.model, transports: ['snmp'] as Transport[],
    })),
    { id: 'nut', vendor: 'Network UPS Tools', model: 'any UPS or PDU served by upsd (outlet.n.*)', transports: ['nut'] },
  ];
}
