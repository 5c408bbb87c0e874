import type { SnmpProfile } from './snmp-profile';
import { sentry2 } from './sentry2';
import { sentry3 } from './sentry3';
import { sentry4 } from './sentry4';
import { apcRpdu2 } from './apc-rpdu2';
import { apcRpdu } from './apc-rpdu';
import { apcSpdu } from './apc-spdu';

/** Every SNMP profile we ship. Add a vendor by adding its file and one line here. */
export const snmpProfiles: SnmpProfile[] = [
  sentry2,
  sentry3,
  sentry4,
  apcRpdu2,
  apcRpdu,
  apcSpdu,
];

export function getSnmpProfile(id: string): SnmpProfile | undefined {
  return snmpProfiles.find((profile) => profile.id === id);
}

/** `auto`: the profile whose sysObjectID prefix is the longest match (and whose sysDescr test passes). */
export function detectSnmpProfile(sysObjectID: string, sysDescr: string): SnmpProfile | undefined {
  const oid = sysObjectID.replace(/^\./, '');
  let best: { profile: SnmpProfile; length: number } | undefined;
  for (const profile of snmpProfiles) {
    if (profile.detect.sysDescr && !new RegExp(profile.detect.sysDescr, 'i').test(sysDescr)) continue;
    for (const prefix of profile.detect.sysObjectID) {
      if ((oid === prefix || oid.startsWith(`${prefix}.`)) && (!best || prefix.length > best.length)) {
        best = { profile, length: prefix.length };
      }
    }
  }
  return best?.profile;
}
