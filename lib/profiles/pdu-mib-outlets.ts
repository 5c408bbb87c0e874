import type { SnmpProfile } from './snmp-profile';

// The outlet table of Raritan's first-generation PDU-MIB (PX1), which Eaton's first managed ePDU
// (EATON-EPDU-MA-MIB) carries unchanged under its own arc: `root`.1.2.2.1, one index per outlet.
// outletOperationalState is both the state and the command: writing off(0), on(1) or cycling(2)
// to it switches the outlet.
export function pduMibOutlets(root: string): SnmpProfile['outlets'] {
  const OUTLET = `${root}.1.2.2.1`;
  const STATE = { oid: `${OUTLET}.3`, object: 'outletOperationalState' };
  return {
    rows: { oid: `${OUTLET}.2`, object: 'outletLabel' },
    name: { oid: `${OUTLET}.2`, object: 'outletLabel' },
    // cycling(2) does not say whether the relay is open now; error(-1) is no state at all.
    state: { ...STATE, map: { 0: 'off', 1: 'on', 2: 'unknown', '-1': 'unknown' } },
    // Milliamperes, watts.
    current: { oid: `${OUTLET}.4`, object: 'outletCurrent', scale: 0.001 },
    power: { oid: `${OUTLET}.7`, object: 'outletActivePower' },
    // A unit that does not answer the state gives nothing to verify a switch by: it only meters.
    switchable: { column: STATE },
    control: {
      off: { ...STATE, value: 0 },
      on: { ...STATE, value: 1 },
      reboot: { ...STATE, value: 2 },
    },
  };
}
