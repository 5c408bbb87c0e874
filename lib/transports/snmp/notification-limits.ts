import type { ReceivedNotification } from './notification';

// SNMP allows at most 128 sub-identifiers in an OID (RFC 2578 section 3.5; Net-SNMP's agents and
// tools refuse longer ones). A notification carrying a longer one is no device's: it is dropped as
// malformed before anything downstream spends time on it.
export const MAX_OID_ARCS = 128;

/** Whether this OID text has more than `MAX_OID_ARCS` arcs; stops counting once it knows. */
function tooManyArcs(oid: string): boolean {
  // An arc is at least one digit and a dot: anything this short cannot be too long.
  if (oid.length <= MAX_OID_ARCS * 2) return false;
  let dots = 0;
  for (let index = oid.indexOf('.'); index >= 0; index = oid.indexOf('.', index + 1)) {
    dots += 1;
    if (dots >= MAX_OID_ARCS) return true;
  }
  return false;
}

/** What makes this PDU unacceptable (an OID beyond the SNMP limit), or undefined. */
export function oidLimitProblem(pdu: ReceivedNotification['pdu']): string | undefined {
  if (pdu.enterprise && tooManyArcs(pdu.enterprise)) return `enterprise OID longer than ${MAX_OID_ARCS} arcs (the SNMP limit)`;
  for (const [index, varbind] of (pdu.varbinds ?? []).entries()) {
    if (tooManyArcs(varbind.oid)) return `varbind ${index + 1}: OID longer than ${MAX_OID_ARCS} arcs (the SNMP limit)`;
    if (typeof varbind.value === 'string' && tooManyArcs(varbind.value) && /^[\d.]+$/.test(varbind.value)) {
      return `varbind ${index + 1}: OID value longer than ${MAX_OID_ARCS} arcs (the SNMP limit)`;
    }
  }
  return undefined;
}
