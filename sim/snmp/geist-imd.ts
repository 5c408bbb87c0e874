import * as snmp from 'net-snmp';
import { toFahrenheit, type ProbeOptions } from './probe';
import { addScalar, startPduAgent } from './pdu-agent';
import { runningAgent, simModel, type SimDevice, type SimDeviceOptions } from './sim-device';
import { GAUGE, INT, simScalar, SimTable, STR, type SetRecord } from './table';

// A Vertiv/Geist switched rack PDU with an IMD (interchangeable monitoring device) as an SNMP
// agent, written from GEIST-V5-MIB: one PDU (pduMainTable row 1), one phase, outlets that are
// both switched (pduOutletSwitchTable) and metered (pduOutletMeterTable) under one index, and a
// temperature/humidity probe (thdSensorTable). Every table has a single index of its own.
const G = '1.3.6.1.4.1.21239.5.2';
/** The i03 identity (GEIST-V5-MIB `i03`), the sysObjectID of an i03 IMD. */
const SYS_OBJECT_ID = '1.3.6.1.4.1.21239.42.1.53';

/** pduOutletSwitchState */
const STATE = { on: 1, off: 2, on2off: 3, off2on: 4, rebootOn: 5, rebootOff: 6, unavailable: 7 };
/** pduOutletSwitchControl: what a SET may write; a get reads none(8). */
const CONTROL = { cancel: 1, on: 2, off: 4, reboot: 6, none: 8 };
/** temperatureUnits */
const UNITS = { fahrenheit: 0, celsius: 1 };
/** pduMainAvail, thdSensorAvail */
const AVAIL = { unavailable: 0, available: 1 };
/** TruthValue */
const FALSE = 2;

export type GeistSimOptions = SimDeviceOptions & ProbeOptions;

export async function createGeistImdSim(options: GeistSimOptions): Promise<SimDevice> {
  const model = simModel(options, 8);
  const outletCount = model.outlets.length;
  let units = options.fahrenheit ? UNITS.fahrenheit : UNITS.celsius;
  const started = await startPduAgent(options, model, {
    sysDescr: 'Geist rPDU i03 IMD',
    sysObjectID: SYS_OBJECT_ID,
    sysName: 'geist-sim',
  });
  const { mib } = started;
  const sets: SetRecord[] = [];
  const info = `${G}.1`;

  addScalar(mib, 'productTitle', `${info}.1`, STR, 'Geist rPDU');
  addScalar(mib, 'productVersion', `${info}.2`, STR, '5.3.1');
  addScalar(mib, 'productFriendlyName', `${info}.3`, STR, options.name ?? 'rack-12-pdu-a');
  addScalar(mib, 'deviceCount', `${info}.6`, INT, 2);
  simScalar(mib, {
    name: 'temperatureUnits',
    oid: `${info}.7`,
    type: INT,
    access: 'read-write',
    log: sets,
    onSet: (value, commit) => {
      if (!Object.values(UNITS).includes(Number(value))) return snmp.ErrorStatus.WrongValue;
      if (commit) {
        units = Number(value);
        setImmediate(sync);
      }
      return undefined;
    },
  }, units);
  addScalar(mib, 'productModelNumber', `${info}.8`, STR, 'i03');
  addScalar(mib, 'productSerialNumber', `${info}.10`, STR, 'SIM0000001');

  // The index column is not-accessible in the MIB: registered so rows carry it, never answered.
  const indexColumn = (name: string) => ({ number: 1, name, type: INT, access: 'not-accessible' as const });
  const text = (number: number, name: string) => ({ number, name, type: STR });
  const gauge = (number: number, name: string) => ({ number, name, type: GAUGE });

  const mainTable = new SimTable(mib, {
    name: 'pduMainTable',
    oid: `${G}.3.1.1`,
    index: [{ columnName: 'pduMainIndex' }],
    columns: [
      indexColumn('pduMainIndex'), text(2, 'pduMainSerial'), text(3, 'pduMainName'), text(4, 'pduMainLabel'),
      gauge(5, 'pduMainAvail'), { number: 6, name: 'pduMeterType', type: INT }, text(7, 'pduTotalName'),
      text(8, 'pduTotalLabel'), gauge(9, 'pduTotalRealPower'), gauge(10, 'pduTotalApparentPower'),
      gauge(11, 'pduTotalPowerFactor'), gauge(12, 'pduTotalEnergy'),
    ],
  });
  const phaseTable = new SimTable(mib, {
    name: 'pduPhaseTable',
    oid: `${G}.3.2.1`,
    index: [{ columnName: 'pduPhaseIndex' }],
    columns: [
      indexColumn('pduPhaseIndex'), text(2, 'pduPhaseName'), text(3, 'pduPhaseLabel'), gauge(4, 'pduPhaseVoltage'),
      gauge(8, 'pduPhaseCurrent'), gauge(12, 'pduPhaseRealPower'), gauge(13, 'pduPhaseApparentPower'),
      gauge(14, 'pduPhasePowerFactor'),
    ],
  });
  const switchTable = new SimTable(mib, {
    name: 'pduOutletSwitchTable',
    oid: `${G}.3.5.1`,
    log: sets,
    index: [{ columnName: 'pduOutletSwitchIndex' }],
    columns: [
      indexColumn('pduOutletSwitchIndex'), text(2, 'pduOutletSwitchName'), text(3, 'pduOutletSwitchLabel'),
      { number: 4, name: 'pduOutletSwitchState', type: INT },
      { number: 5, name: 'pduOutletSwitchRelayFailure', type: INT },
      { number: 6, name: 'pduOutletSwitchControl', type: INT, access: 'read-write' },
    ],
    onSet: (column, row, value, commit) => {
      const outlet = model.outlet(Number(row));
      if (column !== 6 || !outlet) return snmp.ErrorStatus.NotWritable;
      const command = Number(value);
      if (![CONTROL.cancel, CONTROL.on, CONTROL.off, CONTROL.reboot].includes(command)) return snmp.ErrorStatus.WrongValue;
      // An outlet the administrator locked: the relay is not the agent's to switch.
      if (outlet.locked) return snmp.ErrorStatus.GeneralError;
      if (!commit) return undefined;
      if (command === CONTROL.reboot) model.reboot(outlet.number);
      else if (command !== CONTROL.cancel) model.switch(outlet.number, command === CONTROL.on);
      // The agent stores the written value after this handler: a get reads none(8) again.
      setImmediate(sync);
      return undefined;
    },
  });
  const meterTable = new SimTable(mib, {
    name: 'pduOutletMeterTable',
    oid: `${G}.3.6.1`,
    index: [{ columnName: 'pduOutletMeterIndex' }],
    columns: [
      indexColumn('pduOutletMeterIndex'), text(2, 'pduOutletMeterName'), text(3, 'pduOutletMeterLabel'),
      gauge(4, 'pduOutletMeterVoltage'), gauge(8, 'pduOutletMeterCurrent'), gauge(12, 'pduOutletMeterRealPower'),
      gauge(13, 'pduOutletMeterApparentPower'), gauge(14, 'pduOutletMeterPowerFactor'),
    ],
  });
  const thdTable = new SimTable(mib, {
    name: 'thdSensorTable',
    oid: `${G}.9.1`,
    index: [{ columnName: 'thdSensorIndex' }],
    columns: [
      indexColumn('thdSensorIndex'), text(2, 'thdSensorSerial'), text(3, 'thdSensorLabel'), gauge(4, 'thdSensorAvail'),
      { number: 5, name: 'thdSensorTemp', type: INT }, { number: 6, name: 'thdSensorHumidity', type: INT },
      { number: 7, name: 'thdSensorDewPoint', type: INT },
    ],
  });

  function state(number: number): number {
    const outlet = model.outlet(number)!;
    if (outlet.rebooting) return outlet.on ? STATE.rebootOn : STATE.rebootOff;
    return outlet.on ? STATE.on : STATE.off;
  }

  const deci = (value: number): number => Math.round(value * 10);
  const inUnits = (celsius: number): number => deci(units === UNITS.fahrenheit ? toFahrenheit(celsius) : celsius);

  function sync(): void {
    const deciVolts = deci(model.voltage);
    const watts = model.totalPower();
    mainTable.setRow([1], {
      1: 1, 2: 'SIM0000001', 3: 'rPDU', 4: options.name ?? 'rack-12-pdu-a', 5: AVAIL.available, 6: 0,
      7: 'Total', 8: 'Total', 9: watts, 10: watts, 11: 100, 12: 0,
    });
    phaseTable.setRow([1], {
      1: 1, 2: 'Phase A', 3: 'L1', 4: deciVolts, 8: Math.round(model.totalCurrent() * 100), 12: watts, 13: watts, 14: 100,
    });
    for (const outlet of model.outlets) {
      const n = outlet.number;
      const factoryName = `Outlet ${n}`;
      switchTable.setRow([n], { 1: n, 2: factoryName, 3: outlet.name, 4: state(n), 5: FALSE, 6: CONTROL.none });
      meterTable.setRow([n], {
        1: n, 2: factoryName, 3: outlet.name, 4: deciVolts, 8: Math.round(model.current(outlet) * 100),
        12: model.power(outlet), 13: model.power(outlet), 14: 100,
      });
    }
    mib.setScalarValue('temperatureUnits', units);
    // An unplugged probe keeps its row, unavailable, until an operator clears it.
    const probe = !options.noProbe;
    thdTable.setRow([1], {
      1: 1, 2: '28F1A2B3C4D5E6F7', 3: 'Rack inlet', 4: probe ? AVAIL.available : AVAIL.unavailable,
      5: probe ? inUnits(model.temperature) : 0, 6: probe ? Math.round(model.humidity) : 0,
      7: probe ? inUnits(model.temperature - 10) : 0,
    });
  }
  sync();
  model.on('change', sync);

  return runningAgent('geist-imd', started, model, sets, `Vertiv/Geist rPDU (SNMP, GEIST-V5-MIB, ${outletCount} outlets)`);
}
