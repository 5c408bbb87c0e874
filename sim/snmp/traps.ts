import * as snmp from 'net-snmp';
import type { SimChange, SimModel, SimOutlet } from '../model';
import { DEFAULT_TRAP_PORT } from '../ports';

// Simulated devices send their vendor's own notifications when their model changes: an outlet
// switched (or rebooted), a temperature that crossed its limit, and the start-up trap. The OIDs and
// varbinds are the ones the vendors' MIBs define (lib/profiles/traps holds the same numbers and
// test/profiles/trap-mibs checks them against the MIB files). One emitter per simulator kind.

export interface TrapTarget {
  host?: string;
  port?: number;
  community?: string;
  /** `2c` (default) or `1` (v1 traps as the older cards send them). */
  version?: '1' | '2c';
  /** Temperature alarm limits, °C (default 35 and 10). */
  temperatureHigh?: number;
  temperatureLow?: number;
}

export interface Notification {
  /** v2 form; for v1 it is sent as enterprise + specific. */
  oid: string;
  varbinds: snmp.Varbind[];
}

interface EmitterContext {
  model: SimModel;
  /** The device's location or name, as its own MIB objects report it. */
  name: string;
}

/** What one vendor sends: at start, for an outlet change, for a temperature level change. */
interface VendorTraps {
  defaultName: string;
  start(context: EmitterContext): Notification[];
  outlet(context: EmitterContext, outlet: SimOutlet, on: boolean, reboot: boolean): Notification[];
  /** `previous` is the level it leaves: a clear names the threshold that no longer holds. */
  temperature(context: EmitterContext, level: TemperatureLevel, previous: TemperatureLevel): Notification[];
}

type TemperatureLevel = 'high' | 'low' | 'normal';

const STR = snmp.ObjectType.OctetString;
const INT = snmp.ObjectType.Integer;
const str = (oid: string, value: string): snmp.Varbind => ({ oid, type: STR, value });
const int = (oid: string, value: number): snmp.Varbind => ({ oid, type: INT, value });
const ascii = (text: string): string => [...text].map((char) => char.charCodeAt(0)).join('.');
const tenths = (value: number): number => Math.round(value * 10);
const COLD_START = '1.3.6.1.6.3.1.1.5.1';

// ServerTech Sentry2 (Sentry2-MIB, the Sentry power manager of US patent 7,099,934): ports A1..Z4, four to a board.
const S2 = '1.3.6.1.4.1.1718.2';
const sentry2PortId = (number: number): string => `${String.fromCharCode(65 + Math.floor((number - 1) / 4))}${((number - 1) % 4) + 1}`;
const sentry2: VendorTraps = {
  defaultName: 'rack-12',
  start: ({ name }) => [{ oid: `${S2}.100.0.1`, varbinds: [str(`${S2}.1.1.0`, name)] }],
  outlet: ({ name }, outlet, on) => {
    const port = ascii(sentry2PortId(outlet.number));
    return [{
      oid: `${S2}.100.0.5`,
      varbinds: [
        str(`${S2}.1.1.0`, name),
        str(`${S2}.1.4.1.1.${port}`, sentry2PortId(outlet.number)),
        str(`${S2}.1.4.1.3.${port}`, outlet.name),
        str(`${S2}.1.4.1.4.${port}`, on ? 'On' : 'Off'),
      ],
    }];
  },
  temperature: ({ name, model }, level) => [{
    oid: `${S2}.100.0.${{ high: 2, low: 3, normal: 4 }[level]}`,
    varbinds: [
      str(`${S2}.1.1.0`, name),
      str(`${S2}.1.3.1.1.65`, 'A'),
      str(`${S2}.1.3.1.2.65`, 'Board A'),
      str(`${S2}.1.3.1.4.65`, `${model.temperature.toFixed(1)} Deg C.`),
    ],
  }],
};

// ServerTech Sentry3: tower A, infeed A, outlets AA1..; rows tower.infeed.outlet.
const S3 = '1.3.6.1.4.1.1718.3';
const sentry3: VendorTraps = {
  defaultName: 'sentry3-sim',
  start: () => [{ oid: COLD_START, varbinds: [] }],
  outlet: ({ name }, outlet, on, reboot) => {
    const row = `1.1.${outlet.number}`;
    return [{
      oid: `${S3}.100.0.6`,
      varbinds: [
        str(`${S3}.1.3.0`, name),
        str(`${S3}.2.3.1.2.${row}`, `AA${outlet.number}`),
        str(`${S3}.2.3.1.3.${row}`, outlet.name),
        int(`${S3}.2.3.1.5.${row}`, on ? 1 : 0),
        // outletControlState: on(5), off(4), reboot(8).
        int(`${S3}.2.3.1.10.${row}`, reboot && !on ? 8 : on ? 5 : 4),
        str(`${S3}.99.1.0`, on ? 'On' : 'Off'),
        int(`${S3}.99.2.0`, 0),
      ],
    }];
  },
  temperature: ({ name, model }, level) => [{
    oid: `${S3}.100.0.11`,
    varbinds: [
      str(`${S3}.1.3.0`, name),
      str(`${S3}.2.5.1.2.1`, 'A1'),
      str(`${S3}.2.5.1.3.1`, 'Temp_Humid_Sensor_A1'),
      int(`${S3}.2.5.1.5.1`, { high: 4, low: 3, normal: 0 }[level]),
      int(`${S3}.2.5.1.6.1`, tenths(model.temperature)),
      int(`${S3}.2.5.1.7.1`, 10),
      int(`${S3}.2.5.1.8.1`, 35),
      int(`${S3}.2.5.1.13.1`, 0),
      str(`${S3}.99.1.0`, { high: 'Temp High', low: 'Temp Low', normal: 'Normal' }[level]),
      int(`${S3}.99.2.0`, level === 'normal' ? 0 : 1),
    ],
  }],
};

// ServerTech Sentry4: unit A, cord A, outlets AA1..; rows unit.cord.outlet.
const S4 = '1.3.6.1.4.1.1718.4';
const S4T = `${S4}.1`;
const sentry4: VendorTraps = {
  defaultName: 'sentry4-sim',
  start: () => [{ oid: COLD_START, varbinds: [] }],
  outlet: ({ name }, outlet, on, reboot) => {
    const row = `1.1.${outlet.number}`;
    return [{
      oid: `${S4}.100.0.16`,
      varbinds: [
        str(`${S4T}.1.1.2.0`, name),
        str(`${S4T}.8.2.1.2.${row}`, `AA${outlet.number}`),
        str(`${S4T}.8.2.1.3.${row}`, outlet.name),
        int(`${S4T}.8.3.1.1.${row}`, on ? 1 : 2),
        int(`${S4T}.8.3.1.2.${row}`, 0),
        // st4OutletControlState: on(11), off(10), reboot(12).
        int(`${S4T}.8.5.1.1.${row}`, reboot && !on ? 12 : on ? 11 : 10),
        str(`${S4T}.99.1.0`, on ? 'On' : 'Off'),
        int(`${S4T}.99.2.0`, 0),
      ],
    }];
  },
  temperature: ({ name, model }, level) => [{
    oid: `${S4}.100.0.20`,
    varbinds: [
      str(`${S4T}.1.1.2.0`, name),
      str(`${S4T}.9.2.1.2.1.1`, 'A1'),
      str(`${S4T}.9.2.1.3.1.1`, 'Temp_Sensor_A1'),
      int(`${S4T}.9.3.1.1.1.1`, tenths(model.temperature)),
      // DeviceStatus: normal(0), lowAlarm(14), highAlarm(17).
      int(`${S4T}.9.3.1.2.1.1`, { high: 17, low: 14, normal: 0 }[level]),
      int(`${S4T}.9.1.10.1`, 0),
      str(`${S4T}.99.1.0`, { high: 'High Alarm', low: 'Low Alarm', normal: 'Normal' }[level]),
      int(`${S4T}.99.2.0`, level === 'normal' ? 0 : 1),
    ],
  }],
};

// APC (PowerNet-MIB): TRAP-TYPEs under enterprise 318, so v2 OIDs 1.3.6.1.4.1.318.0.N.
const APC = '1.3.6.1.4.1.318';
const apcText = (text: string): snmp.Varbind => str(`${APC}.2.3.3.0`, text);
const rPduOutlet = ({ name }: EmitterContext, outlet: SimOutlet, on: boolean): Notification[] => [{
  oid: `${APC}.0.${on ? 268 : 269}`,
  varbinds: [
    str(`${APC}.1.1.12.1.6.0`, 'ZA0000000001'),
    str(`${APC}.1.1.12.1.1.0`, name),
    int(`${APC}.1.1.12.3.3.1.1.1.${outlet.number}`, outlet.number),
    str(`${APC}.1.1.12.3.3.1.1.2.${outlet.number}`, outlet.name),
    apcText(`Outlet ${outlet.number}, ${outlet.name}, turned ${on ? 'on' : 'off'}.`),
  ],
}];
const apcRpdu: VendorTraps = {
  defaultName: 'apc-rpdu-sim',
  start: () => [{ oid: COLD_START, varbinds: [] }],
  outlet: rPduOutlet,
  temperature: () => [],
};
const apcRpdu2: VendorTraps = {
  defaultName: 'apc-rpdu2-sim',
  start: () => [{ oid: COLD_START, varbinds: [] }],
  outlet: rPduOutlet,
  temperature: ({ name, model }, level) => [{
    oid: `${APC}.0.${{ high: 521, low: 523, normal: 522 }[level]}`,
    varbinds: [
      str(`${APC}.2.3.10.0`, 'ZA0000000002'),
      str(`${APC}.2.3.11.0`, name),
      int(`${APC}.2.3.18.0`, 1),
      int(`${APC}.2.3.1.0`, 1),
      str(`${APC}.2.3.16.0`, 'Temperature 1'),
      apcText(`Temperature ${model.temperature.toFixed(1)} C.`),
    ],
  }],
};
const apcSpdu: VendorTraps = {
  defaultName: 'apc-spdu-sim',
  start: () => [{ oid: COLD_START, varbinds: [] }],
  // outletOn(41), outletOff(42), outletReboot(43): the outlet's number only.
  outlet: (_context, outlet, on, reboot) => [{
    oid: `${APC}.0.${reboot && !on ? 43 : on ? 41 : 42}`,
    varbinds: [int(`${APC}.1.1.4.4.2.1.1.${outlet.number}`, outlet.number)],
  }],
  temperature: () => [],
};

// Raritan (PDU2-MIB): the outlet's onOff sensor changes state; pdu 1.
const R = '1.3.6.1.4.1.13742.6';
const raritan: VendorTraps = {
  defaultName: 'raritan-sim',
  start: ({ name }) => [{ oid: `${R}.0.1`, varbinds: [str(`${R}.3.2.2.1.13.1`, name)] }],
  outlet: ({ name }, outlet, on) => [{
    oid: `${R}.0.63`,
    varbinds: [
      str(`${R}.3.2.2.1.13.1`, name),
      int(`${R}.0.0.3.0`, 1),
      str(`${R}.3.5.3.1.2.1.${outlet.number}`, String(outlet.number)),
      // typeOfSensor onOff(14); states on(7), off(8).
      int(`${R}.0.0.10.0`, 14),
      int(`${R}.5.4.3.1.3.1.${outlet.number}.14`, on ? 7 : 8),
      int(`${R}.0.0.2.0`, on ? 8 : 7),
    ],
  }],
  temperature: ({ name }, level) => [{
    oid: `${R}.0.66`,
    varbinds: [
      str(`${R}.3.2.2.1.13.1`, name),
      int(`${R}.0.0.3.0`, 1),
      int(`${R}.0.0.8.0`, 1),
      // temperature(10); aboveUpperWarning(5), belowLowerWarning(3), normal(4).
      int(`${R}.0.0.10.0`, 10),
      int(`${R}.5.5.3.1.3.1.1.10`, { high: 5, low: 3, normal: 4 }[level]),
      int(`${R}.0.0.2.0`, level === 'normal' ? 5 : 4),
      str(`${R}.3.6.3.1.4.1.1`, 'Temperature 1'),
    ],
  }],
};

// Eaton ePDU (EATON-EPDU-MIB): unit 0 (standalone).
const E = '1.3.6.1.4.1.534.6.6.7';
const eaton: VendorTraps = {
  defaultName: 'eaton-sim',
  start: () => [{ oid: `${E}.0.4`, varbinds: [int(`${E}.1.2.1.1.0`, 0)] }],
  outlet: (_context, outlet, on) => [{
    oid: `${E}.0.33`,
    varbinds: [
      int(`${E}.1.2.1.1.0`, 0),
      int(`${E}.6.1.1.1.0.${outlet.number}`, outlet.number),
      int(`${E}.6.6.1.2.0.${outlet.number}`, on ? 1 : 0),
    ],
  }],
  temperature: ({ model }, level) => [{
    oid: `${E}.0.41`,
    varbinds: [
      int(`${E}.1.2.1.1.0`, 0),
      int(`${E}.7.1.1.1.0.1`, 1),
      int(`${E}.7.1.1.4.0.1`, tenths(model.temperature)),
      // good(0), lowWarning(1), highWarning(3).
      int(`${E}.7.1.1.5.0.1`, { high: 3, low: 1, normal: 0 }[level]),
    ],
  }],
};

// CyberPower (CPS-MIB): TRAP-TYPEs under enterprise 3808.
const CPS = '1.3.6.1.4.1.3808';
const cyberpower: VendorTraps = {
  defaultName: 'cyberpower-sim',
  start: () => [{ oid: COLD_START, varbinds: [] }],
  outlet: ({ name }, outlet, on) => [{
    oid: `${CPS}.0.${on ? 102 : 103}`,
    varbinds: [
      str(`${CPS}.1.1.3.1.6.0`, 'CP0000000001'),
      str(`${CPS}.1.1.3.1.1.0`, name),
      int(`${CPS}.1.1.3.3.3.1.1.1.${outlet.number}`, outlet.number),
      str(`${CPS}.1.1.3.3.3.1.1.2.${outlet.number}`, outlet.name),
      str(`${CPS}.2.2.3.0`, `Outlet ${outlet.number} turned ${on ? 'on' : 'off'}.`),
    ],
  }],
  temperature: ({ model }, level) => [{
    oid: `${CPS}.0.${{ high: 200, low: 202, normal: 201 }[level]}`,
    varbinds: [
      str(`${CPS}.1.1.4.1.1.0`, 'ENVIROSENSOR'),
      str(`${CPS}.1.1.4.1.2.0`, 'rack'),
      // Tenths of a degree Fahrenheit.
      int(`${CPS}.1.1.4.2.1.0`, tenths(model.temperature * 9 / 5 + 32)),
    ],
  }],
};

// CyberPower ePDU2 (CPS-MIB, its own traps under cps): pduOutletSwitchedEvent for an outlet, the
// envir2 probe's envTemperatureAlarm and its clear, each with the agent's words in mtrapinfoString.
// Unit 1, probe 1; the temperature in hundredths of a degree Celsius (envir2TempUnit celsius(1)).
const CPS_E2 = `${CPS}.1.1.6`;
const CPS_ENV2 = `${CPS}.1.1.8`;
const cyberpowerEpdu2: VendorTraps = {
  defaultName: 'cyberpower-epdu2-sim',
  start: () => [{ oid: COLD_START, varbinds: [] }],
  outlet: ({ name }, outlet, on, reboot) => [{
    oid: `${CPS}.0.409`,
    varbinds: [
      str(`${CPS_E2}.2.2.1.10.1`, 'CP0000000002'),
      str(`${CPS_E2}.2.2.1.3.1`, name),
      int(`${CPS_E2}.6.1.5.1.1.${outlet.number}`, outlet.number),
      int(`${CPS_E2}.6.1.5.1.3.${outlet.number}`, outlet.number),
      str(`${CPS_E2}.6.1.5.1.4.${outlet.number}`, outlet.name),
      str(`${CPS}.2.2.3.0`, `Outlet ${outlet.number} ${reboot && !on ? 'is rebooting' : `turned ${on ? 'on' : 'off'}`}.`),
    ],
  }],
  temperature: ({ model }, level) => [{
    oid: `${CPS}.0.${level === 'normal' ? 255 : 254}`,
    varbinds: [
      str(`${CPS_ENV2}.1.2.1.5.1`, 'CP0000000003'),
      str(`${CPS_ENV2}.1.2.1.3.1`, 'ENVIROSENSOR'),
      str(`${CPS_ENV2}.1.2.1.4.1`, 'rack'),
      int(`${CPS_ENV2}.2.3.1.1.1`, 1),
      int(`${CPS_ENV2}.2.3.1.3.1`, Math.round(model.temperature * 100)),
      str(`${CPS}.2.2.3.0`, level === 'normal' ? 'Temperature back to normal.' : `Temperature ${level === 'high' ? 'over' : 'under'} its limit.`),
    ],
  }],
};

// Vertiv/Geist IMD (GEIST-V5-MIB): a NOTIFY/CLEAR pair per reading under trap.0; nothing for
// a switched outlet. The probe is thdSensorTable row 1, its temperature in decidegrees Celsius
// (temperatureUnits celsius(1)).
const G = '1.3.6.1.4.1.21239.5.2';
const geist: VendorTraps = {
  defaultName: 'geist-sim',
  start: () => [{ oid: COLD_START, varbinds: [] }],
  outlet: () => [],
  temperature: ({ name, model }, level, previous) => {
    const crossed = level === 'normal' ? previous : level;
    return [{
      oid: `${G}.32767.0.${level === 'normal' ? 20905 : 10905}`,
      varbinds: [
        int(`${G}.9.1.5.1`, tenths(model.temperature)),
        int(`${G}.1.7.0`, 1),
        // trapThreshType low(1), high(2); trapSeverity warning(1).
        int(`${G}.32767.1.2.0`, crossed === 'low' ? 1 : 2),
        int(`${G}.32767.1.1.0`, 1),
        str('1.3.6.1.2.1.1.5.0', name),
        str(`${G}.9.1.3.1`, 'Rack inlet'),
      ],
    }];
  },
};

// Raritan PX1 (PDU-MIB) and Eaton's first managed ePDU (EATON-EPDU-MA-MIB): the same notifications
// under each root. powerControl names the outlet by its label's row (Eaton's rows from 0) and its
// operational state, cycling(2) for a reboot; a threshold is told only in words, so none is sent.
const pduMibTraps = (root: string, firstRow: number, defaultName: string): VendorTraps => ({
  defaultName,
  start: ({ name }) => [{ oid: `${root}.0.2`, varbinds: [str(`${root}.1.1.12.0`, 'PDU'), str(`${root}.1.1.13.0`, name)] }],
  outlet: ({ name }, outlet, on, reboot) => {
    const row = outlet.number - 1 + firstRow;
    return [{
      oid: `${root}.0.23`,
      varbinds: [
        str(`${root}.1.1.12.0`, 'PDU'),
        str(`${root}.1.1.13.0`, name),
        str(`${root}.1.1.10.0`, 'admin'),
        str(`${root}.1.2.2.1.2.${row}`, outlet.name),
        int(`${root}.1.2.2.1.3.${row}`, reboot && !on ? 2 : on ? 1 : 0),
      ],
    }];
  },
  temperature: () => [],
});

/** Emitters by simulator kind (the profile ids in sim/ports.ts). */
export const trapEmitters: Record<string, VendorTraps> = {
  sentry2, sentry3, sentry4,
  'apc-rpdu2': apcRpdu2, 'apc-rpdu': apcRpdu, 'apc-spdu': apcSpdu,
  'raritan-pdu2': raritan, 'eaton-epdu': eaton, 'cyberpower-epdu': cyberpower,
  'cyberpower-epdu2': cyberpowerEpdu2,
  'geist-imd': geist,
  'raritan-px1': pduMibTraps('1.3.6.1.4.1.13742.4', 1, 'raritan-px1-sim'),
  'eaton-epdu-ma': pduMibTraps('1.3.6.1.4.1.534.6.6.6', 0, 'eaton-ma-sim'),
};

export interface AttachedEmitter {
  /** Where traps go, for the console line. */
  target: string;
  /** Traps sent so far (and send errors, which never stop the simulator). */
  sent: number;
  errors: number;
  close(): void;
}

/**
 * Send `kind`'s notifications for every change of `model`; returns undefined for a kind without
 * an emitter. Sends the start trap at once.
 */
export function attachTrapEmitter(kind: string, model: SimModel, target: TrapTarget = {}, name?: string): AttachedEmitter | undefined {
  const vendor = trapEmitters[kind];
  if (!vendor) return undefined;
  const host = target.host ?? '127.0.0.1';
  const port = target.port ?? DEFAULT_TRAP_PORT;
  const version = target.version ?? '2c';
  const session = snmp.createSession(host, target.community ?? 'public', {
    version: version === '1' ? snmp.Version1 : snmp.Version2c,
    trapPort: port,
    transport: host.includes(':') ? 'udp6' : 'udp4',
  });
  // A trap that cannot be sent (no route, ICMP port unreachable) is counted, never thrown.
  session.on('error', () => { state.errors += 1; });
  const context: EmitterContext = { model, name: name ?? vendor.defaultName };
  const high = target.temperatureHigh ?? 35;
  const low = target.temperatureLow ?? 10;
  let level: TemperatureLevel = levelOf(model.temperature, high, low);
  const state: AttachedEmitter = {
    target: `${host}:${port}`,
    sent: 0,
    errors: 0,
    close() {
      model.off('change', onChange);
      try { session.close(); } catch { /* already closed */ }
    },
  };
  const send = (notifications: Notification[]): void => {
    for (const notification of notifications) {
      const done = (error: Error | null): void => {
        if (error) state.errors += 1;
        else state.sent += 1;
      };
      if (version === '1') {
        const [typeOrOid, varbinds] = asV1(notification);
        session.trap(typeOrOid, varbinds, { agentAddr: host.includes(':') ? '127.0.0.1' : host, upTime: model.uptimeCentiseconds() }, done);
      } else {
        session.trap(notification.oid, notification.varbinds, { upTime: model.uptimeCentiseconds() }, done);
      }
    }
  };
  function onChange(change: SimChange): void {
    if (change.kind === 'outlet') {
      send(vendor.outlet(context, change.outlet, change.on, change.reason === 'reboot'));
    } else if (change.kind === 'sensor') {
      const next = levelOf(change.temperature, high, low);
      if (next !== level) {
        const previous = level;
        level = next;
        send(vendor.temperature(context, next, previous));
      }
    }
  }
  model.on('change', onChange);
  send(vendor.start(context));
  return state;
}

function levelOf(temperature: number, high: number, low: number): TemperatureLevel {
  return temperature > high ? 'high' : temperature < low ? 'low' : 'normal';
}

/** A v2 notification as a v1 trap (RFC 3584): the generic traps by number, others enterprise + specific. */
function asV1(notification: Notification): [snmp.TrapType | string, snmp.Varbind[]] {
  const generic = /^1\.3\.6\.1\.6\.3\.1\.1\.5\.(\d)$/.exec(notification.oid);
  if (generic) return [Number(generic[1]) - 1, notification.varbinds];
  const match = /^(.*)\.0\.(\d+)$/.exec(notification.oid);
  // net-snmp splits `enterprise.specific` itself.
  return [match ? `${match[1]}.${match[2]}` : notification.oid, notification.varbinds];
}
