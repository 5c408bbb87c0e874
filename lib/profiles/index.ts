import type { SnmpProfile } from './snmp-profile';
import { enterpriseOf } from './enterprises';
import { sentry2 } from './sentry2';
import { sentry3 } from './sentry3';
import { sentry4 } from './sentry4';
import { apcRpdu2 } from './apc-rpdu2';
import { apcRpdu2Metered } from './apc-rpdu2-metered';
import { apcRpdu } from './apc-rpdu';
import { apcSpdu } from './apc-spdu';
import { raritanPdu2 } from './raritan-pdu2';
import { eatonEpdu } from './eaton-epdu';
import { cyberpowerEpdu } from './cyberpower-epdu';
import { cyberpowerEpdu2 } from './cyberpower-epdu2';
import { geistImd } from './geist-imd';
import { trippLitePdu } from './tripplite-pdu';
import { avocentPm } from './avocent-pm';

/** Every SNMP profile we ship. Add a vendor by adding its file and one line here. */
export const snmpProfiles: SnmpProfile[] = [
  sentry2,
  sentry3,
  sentry4,
  apcRpdu2,
  // After apc-rpdu2: a unit that answers both outlet tables switches.
  apcRpdu2Metered,
  apcRpdu,
  apcSpdu,
  raritanPdu2,
  eatonEpdu,
  cyberpowerEpdu,
  cyberpowerEpdu2,
  geistImd,
  trippLitePdu,
  avocentPm,
];

export function getSnmpProfile(id: string): SnmpProfile | undefined {
  return snmpProfiles.find((profile) => profile.id === id);
}

/** `auto`: the profiles whose sysObjectID prefix matches (and whose sysDescr test passes), longest prefix first. */
export function detectSnmpProfiles(sysObjectID: string, sysDescr: string): SnmpProfile[] {
  const oid = sysObjectID.replace(/^\./, '');
  const found: Array<{ profile: SnmpProfile; length: number }> = [];
  for (const profile of snmpProfiles) {
    if (profile.detect.sysDescr && !new RegExp(profile.detect.sysDescr, 'i').test(sysDescr)) continue;
    const lengths = profile.detect.sysObjectID
      .filter((prefix) => oid === prefix || oid.startsWith(`${prefix}.`))
      .map((prefix) => prefix.length);
    if (lengths.length > 0) found.push({ profile, length: Math.max(...lengths) });
  }
  return found.sort((a, b) => b.length - a.length).map((match) => match.profile);
}

/**
 * `auto`'s second choice: the other profiles of the device's vendor (the same enterprise number),
 * for firmware that answers an older or newer branch than its sysObjectID suggests (an APC rack
 * PDU whose rPDU2 outlet tables are empty but whose sPDU table answers).
 */
export function vendorSnmpProfiles(sysObjectID: string, except: SnmpProfile[] = []): SnmpProfile[] {
  const enterprise = enterpriseOf(sysObjectID);
  if (!enterprise) return [];
  return snmpProfiles.filter((profile) => !except.includes(profile)
    && profile.detect.sysObjectID.some((prefix) => enterpriseOf(prefix) === enterprise));
}
