// What each vendor's MIB says a client must write, written here from the MIB files and not from
// our profiles, so a wrong OID or value in a profile fails its test. Outlets are numbered as the
// simulator numbers them (1..n in table order).

export interface VendorExpectation {
  /** The SETs (OID, INTEGER value) that do `action` on outlet n, in order. */
  sets(action: 'on' | 'off' | 'reboot', outlet: number): Array<{ oid: string; value: number }>;
  /** The absolute id the vendor shows for outlet n. */
  id(outlet: number): string;
  /** Resolution of the readings the agent gives (A, W, °C, %): the snapshot must be within it. */
  resolution: { current?: number; power?: number; temperature?: number; humidity?: number; input?: number };
  /** A metered-only family: its outlets have no relay, read as unknown, and every command is refused. */
  meteredOnly?: boolean;
}

const ascii = (text: string): string => [...text].map((c) => c.charCodeAt(0)).join('.');

/** Sentry2-MIB: sentry2PortPowerAction { powerOff(1), powerOn(2), reboot(3) }, index = port id (SIZE(2), no length arc). */
const sentry2Port = (n: number): string => `${String.fromCharCode(65 + Math.floor((n - 1) / 4))}${((n - 1) % 4) + 1}`;

/** Sentry3-MIB outletControlAction / Sentry4-MIB st4OutletControlAction: on(1), off(2), reboot(3). */
const sentryAction = { on: 1, off: 2, reboot: 3 };

export const expectations: Record<string, VendorExpectation> = {
  sentry2: {
    sets: (action, n) => [{
      oid: `1.3.6.1.4.1.1718.2.1.4.1.2.${ascii(sentry2Port(n))}`,
      value: { off: 1, on: 2, reboot: 3 }[action],
    }],
    id: (n) => `.${sentry2Port(n)}`,
    // DisplayStrings: "2.50A" and "27.0 Deg C."
    resolution: { current: 0.01, temperature: 0.1, input: 0.01 },
  },
  // Sentry3-MIB: outletControlAction = outletEntry.11, index towerIndex.infeedIndex.outletIndex;
  // the simulator's single tower A has one infeed A, so outlet n is 1.1.n, id AAn.
  sentry3: {
    sets: (action, n) => [{ oid: `1.3.6.1.4.1.1718.3.2.3.1.11.1.1.${n}`, value: sentryAction[action] }],
    id: (n) => `AA${n}`,
    // hundredths of an ampere, watts, tenths of a degree, whole percent
    resolution: { current: 0.01, power: 1, temperature: 0.1, humidity: 1, input: 0.01 },
  },
  // Sentry4-MIB: st4OutletControlAction = st4OutletControlEntry.2 (st4Outlets.5), index
  // st4UnitIndex.st4InputCordIndex.st4OutletIndex; unit A, cord A: outlet n is 1.1.n, id AAn.
  sentry4: {
    sets: (action, n) => [{ oid: `1.3.6.1.4.1.1718.4.1.8.5.1.2.1.1.${n}`, value: sentryAction[action] }],
    id: (n) => `AA${n}`,
    resolution: { current: 0.01, power: 1, temperature: 0.1, humidity: 1, input: 0.01 },
  },
  // PowerNet-MIB rPDU2OutletSwitchedControlCommand (enterprises.318.1.1.26.9.2.4.1.5) { immediateOn(1),
  // immediateOff(2), immediateReboot(3) }, index = the control table's own row (1..n on one unit).
  'apc-rpdu2': {
    sets: (action, n) => [{ oid: `1.3.6.1.4.1.318.1.1.26.9.2.4.1.5.${n}`, value: { on: 1, off: 2, reboot: 3 }[action] }],
    id: (n) => String(n),
    // Tenths of A, whole W, tenths of °C, whole %.
    resolution: { current: 0.1, power: 1, temperature: 0.1, humidity: 1, input: 0.1 },
  },
  // PowerNet-MIB rPDU2OutletMeteredStatusTable (enterprises.318.1.1.26.9.4.3): readings only, no
  // command object; the outlets are numbered by rPDU2OutletMeteredStatusNumber.
  'apc-rpdu2-metered': {
    sets: () => [],
    id: (n) => String(n),
    resolution: { current: 0.1, power: 1, temperature: 0.1, humidity: 1, input: 0.1 },
    meteredOnly: true,
  },
  // PowerNet-MIB rPDUOutletControlOutletCommand (enterprises.318.1.1.12.3.3.1.1.4) { immediateOn(1),
  // immediateOff(2), immediateReboot(3) }, index = outlet number.
  'apc-rpdu': {
    sets: (action, n) => [{ oid: `1.3.6.1.4.1.318.1.1.12.3.3.1.1.4.${n}`, value: { on: 1, off: 2, reboot: 3 }[action] }],
    id: (n) => String(n),
    resolution: { input: 0.1 },
  },
  // PowerNet-MIB sPDUOutletCtl (enterprises.318.1.1.4.4.2.1.3) { outletOn(1), outletOff(2), outletReboot(3) },
  // index = outlet number.
  'apc-spdu': {
    sets: (action, n) => [{ oid: `1.3.6.1.4.1.318.1.1.4.4.2.1.3.${n}`, value: { on: 1, off: 2, reboot: 3 }[action] }],
    id: (n) => String(n),
    resolution: {},
  },
  // PDU2-MIB: switchingOperation (outletSwitchControlEntry 2) { off(0), on(1), cycle(2) },
  // index pduId.outletId with pduId 1 for a standalone unit; the id is outletLabel.
  'raritan-pdu2': {
    sets: (action, n) => [{ oid: `1.3.6.1.4.1.13742.6.4.1.2.1.2.1.${n}`, value: { off: 0, on: 1, reboot: 2 }[action] }],
    id: (n) => String(n),
    // The simulated PX3 gives current with 3 decimal digits, voltage and power with 0, the
    // temperature with 1.
    resolution: { current: 0.001, power: 1, temperature: 0.1, humidity: 1, input: 0.001 },
  },
  // EATON-EPDU-MIB: outletControlOffCmd (outletControlEntry 3), outletControlOnCmd (4),
  // outletControlRebootCmd (5); 0 = now. Index strappingIndex.outletIndex, unit 0 standalone.
  // The id is outletID: the group letter and the number in the group (A1 .. A8, B1 ..), the
  // simulated unit has groups of eight.
  'eaton-epdu': {
    sets: (action, n) => [{ oid: `1.3.6.1.4.1.534.6.6.7.6.6.1.${{ off: 3, on: 4, reboot: 5 }[action]}.0.${n}`, value: 0 }],
    id: (n) => `${String.fromCharCode(65 + Math.floor((n - 1) / 8))}${((n - 1) % 8) + 1}`,
    // mA, W, tenths of a degree and of a percent; input in mA.
    resolution: { current: 0.001, power: 1, temperature: 0.1, humidity: 0.1, input: 0.001 },
  },
  // CPS-MIB: ePDUOutletControlOutletCommand (ePDUOutletControlEntry 4) { immediateOn(1),
  // immediateOff(2), immediateReboot(3) }, index = outlet number; no id column.
  'cyberpower-epdu': {
    sets: (action, n) => [{ oid: `1.3.6.1.4.1.3808.1.1.3.3.3.1.1.4.${n}`, value: { on: 1, off: 2, reboot: 3 }[action] }],
    id: (n) => String(n),
    // Tenths of an ampere, watts, tenths of a degree Fahrenheit, whole percent.
    resolution: { current: 0.1, power: 1, temperature: 0.1, humidity: 1, input: 0.1 },
  },
  // CPS-MIB: ePDU2OutletSwitchedControlCommand (enterprises.3808.1.1.6.6.1.5.1.5) { immediateOn(1),
  // immediateOff(2), immediateReboot(3) }, index = the control table's own row (1..n on one unit).
  'cyberpower-epdu2': {
    sets: (action, n) => [{ oid: `1.3.6.1.4.1.3808.1.1.6.6.1.5.1.5.${n}`, value: { on: 1, off: 2, reboot: 3 }[action] }],
    id: (n) => String(n),
    // Tenths of an ampere and of a volt, watts, hundredths of a degree and of a percent.
    resolution: { current: 0.1, power: 1, temperature: 0.01, humidity: 0.01, input: 0.1 },
  },
  // GEIST-V5-MIB: pduOutletSwitchControl (pduOutletSwitchEntry 6) { cancel(1), on(2), off(4),
  // reboot(6), none(8) }, index pduOutletSwitchIndex = outlet number; no id column.
  'geist-imd': {
    sets: (action, n) => [{ oid: `1.3.6.1.4.1.21239.5.2.3.5.1.6.${n}`, value: { on: 2, off: 4, reboot: 6 }[action] }],
    id: (n) => String(n),
    // Centiamps, watts, decidegrees, whole percent; phase current in centiamps.
    resolution: { current: 0.01, power: 1, temperature: 0.1, humidity: 1, input: 0.01 },
  },
  // TRIPPLITE-PRODUCTS: tlpPduOutletCommand (tlpPduOutletEntry 6) { idle(0), turnOff(1), turnOn(2),
  // cycle(3) }, index tlpDeviceIndex.tlpPduOutletIndex, the PDU being device 1; no id column.
  'tripplite-pdu': {
    sets: (action, n) => [{ oid: `1.3.6.1.4.1.850.1.1.3.2.3.3.1.1.6.1.${n}`, value: { off: 1, on: 2, reboot: 3 }[action] }],
    id: (n) => String(n),
    // Hundredths of an ampere, watts, tenths of a °C, whole percent.
    resolution: { current: 0.01, power: 1, temperature: 0.1, humidity: 1, input: 0.01 },
  },
  // PM-MIB: pmPowerMgmtOutletsTablePowerControl (pmPowerMgmtOutletsTableEntry 6) { noAction(1),
  // powerOn(2), powerOff(3), powerCycle(4) }, index port.pdu.outlet, PDU 1 on serial port 1.
  'avocent-pm': {
    sets: (action, n) => [{ oid: `1.3.6.1.4.1.10418.17.2.5.5.1.6.1.1.${n}`, value: { on: 2, off: 3, reboot: 4 }[action] }],
    id: (n) => String(n),
    // Tenths of an ampere and of a watt; no sensors read.
    resolution: { current: 0.1, power: 0.1, input: 0.1 },
  },
};
