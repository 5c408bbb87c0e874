import type { SnmpProfile } from './snmp-profile';
import { apcRpdu2 } from './apc-rpdu2';

// APC Rack PDU 2G metered by outlet (AP88xx), PowerNet-MIB rPDU2 branch: the same agent as the
// switched AP86xx/AP89xx (apc-rpdu2), but its outlets are only in the metered outlet table, which
// apc-rpdu2 joins to switched rows that this model does not have. Here the metered rows are the
// outlets. They have no relay: nothing switches them and no column says on or off.
const METERED_STATUS = '1.3.6.1.4.1.318.1.1.26.9.4.3.1';
const NAME = { oid: `${METERED_STATUS}.3`, object: 'rPDU2OutletMeteredStatusName' };
const NUMBER = { oid: `${METERED_STATUS}.4`, object: 'rPDU2OutletMeteredStatusNumber' };

export const apcRpdu2Metered: SnmpProfile = {
  id: 'apc-rpdu2-metered',
  vendor: 'APC',
  model: 'Metered-by-Outlet Rack PDU 2G (AP88xx)',
  mib: { module: 'PowerNet-MIB', files: ['PowerNet-MIB'] },
  // The switched models' sysObjectIDs: `auto` tries apc-rpdu2 first and comes here when the
  // switched outlet table is empty and this one is not.
  detect: { sysObjectID: apcRpdu2.detect.sysObjectID },
  defaults: apcRpdu2.defaults,
  nativeReboot: false,
  outlets: {
    rows: NAME,
    name: NAME,
    number: NUMBER,
    // Chained units repeat the outlet numbers: unit and number name the outlet (`2:5`).
    key: [{ oid: `${METERED_STATUS}.2`, object: 'rPDU2OutletMeteredStatusModule' }, NUMBER],
    // This column is the outlet's load state (lowLoad(1), normal(2), nearOverload(3),
    // overload(4)), not on or off: mapped to nothing, every outlet's state reads unknown.
    state: { oid: `${METERED_STATUS}.5`, object: 'rPDU2OutletMeteredStatusState', map: {} },
    current: { oid: `${METERED_STATUS}.6`, object: 'rPDU2OutletMeteredStatusCurrent', scale: 0.1 },
    power: { oid: `${METERED_STATUS}.7`, object: 'rPDU2OutletMeteredStatusPower' },
  },
  // The phases, each unit's power and the sensor ports are the same tables as on the switched models.
  inputs: apcRpdu2.inputs,
  sensors: apcRpdu2.sensors,
};
