import * as snmp from 'net-snmp';
import { toFahrenheit, type ProbeOptions } from './probe';
import { addScalar, startPduAgent } from './pdu-agent';
import { runningAgent, simModel, type SimDevice, type SimDeviceOptions } from './sim-device';
import { GAUGE, INT, SimTable, STR, type SetRecord } from './table';

// A Raritan PX3 as an SNMP agent, written from PDU2-MIB: one standalone unit (pduId 1), one
// inlet, outlets that switch and cycle, and an external temperature and humidity sensor. Every
// reading is an unsigned integer to be scaled by the decimal digits of its sensor.
const R = '1.3.6.1.4.1.13742.6';
const PDU = 1;
const INLET = 1;

/** SensorTypeEnumeration */
const TYPE = { rmsCurrent: 1, rmsVoltage: 4, activePower: 5, temperature: 10, humidity: 11, onOff: 14 };
/** SensorUnitsEnumeration */
const UNITS = { none: -1, volt: 1, amp: 2, watt: 3, degreeC: 7, percent: 9, degreeF: 14 };
/** SensorStateEnumeration */
const STATE = { unavailable: -1, normal: 4, on: 7, off: 8 };
/** OutletSwitchingOperationsEnumeration */
const OPERATION = { off: 0, on: 1, cycle: 2 };
const TRUE = 1;
const FALSE = 2;

export interface RaritanSimOptions extends SimDeviceOptions, ProbeOptions {
  /** Decimal digits of the outlet and inlet rmsCurrent sensors (the PX3 reports 3). */
  currentDigits?: number;
}

export async function createRaritanPdu2Sim(options: RaritanSimOptions): Promise<SimDevice> {
  const model = simModel(options, 8);
  const currentDigits = options.currentDigits ?? 3;
  const started = await startPduAgent(options, model, {
    sysDescr: 'Raritan PX3-5490R - Firmware Version 4.0.20.5-49038',
    sysObjectID: R,
    sysName: 'raritan-sim',
  });
  const { mib } = started;
  const foreign = (columnName: string, table: string) => ({ columnName, foreign: table });

  addScalar(mib, 'pduCount', `${R}.3.1`, INT, 1);

  const nameplate = new SimTable(mib, {
    name: 'nameplateTable',
    oid: `${R}.3.2.1.1`,
    index: [{ columnName: 'pduId' }],
    columns: [
      { number: 1, name: 'pduId', type: INT, access: 'not-accessible' },
      { number: 2, name: 'pduManufacturer', type: STR },
      { number: 3, name: 'pduModel', type: STR },
      { number: 4, name: 'pduSerialNumber', type: STR },
      { number: 5, name: 'pduRatedVoltage', type: STR },
      { number: 6, name: 'pduRatedCurrent', type: STR },
      { number: 7, name: 'pduRatedFrequency', type: STR },
      { number: 8, name: 'pduRatedVA', type: STR },
    ],
  });
  nameplate.setRow([PDU], { 1: PDU, 2: 'Raritan', 3: 'PX3-5490R', 4: 'SIM0000001', 5: '200-240V', 6: '16A', 7: '50/60Hz', 8: '3.2-3.8kVA' });

  const unitConfiguration = new SimTable(mib, {
    name: 'unitConfigurationTable',
    oid: `${R}.3.2.2.1`,
    index: [foreign('pduId', 'nameplateTable')],
    columns: [
      { number: 2, name: 'inletCount', type: INT },
      { number: 3, name: 'overCurrentProtectorCount', type: INT },
      { number: 4, name: 'outletCount', type: INT },
      { number: 7, name: 'externalSensorCount', type: INT },
      { number: 13, name: 'pduName', type: STR },
    ],
  });
  unitConfiguration.setRow([PDU], { 2: 1, 3: 0, 4: model.outlets.length, 7: 2, 13: options.name ?? 'rack-12-pdu-a' });

  // Registered for its sensorType column, which the sensor tables use as their last index.
  new SimTable(mib, {
    name: 'unitSensorConfigurationTable',
    oid: `${R}.3.2.5.1`,
    index: [foreign('pduId', 'nameplateTable'), { columnName: 'sensorType' }],
    columns: [{ number: 1, name: 'sensorType', type: INT, access: 'not-accessible' }],
  });

  const inletConfiguration = new SimTable(mib, {
    name: 'inletConfigurationTable',
    oid: `${R}.3.3.3.1`,
    index: [foreign('pduId', 'nameplateTable'), { columnName: 'inletId' }],
    columns: [
      { number: 1, name: 'inletId', type: INT, access: 'not-accessible' },
      { number: 2, name: 'inletLabel', type: STR },
      { number: 3, name: 'inletName', type: STR },
      { number: 6, name: 'inletRatedVoltage', type: STR },
      { number: 7, name: 'inletRatedCurrent', type: STR },
    ],
  });
  inletConfiguration.setRow([PDU, INLET], { 1: INLET, 2: 'I1', 3: '', 6: '200-240V', 7: '16A' });

  const sensorIndex = (id: string, table: string) => [foreign('pduId', 'nameplateTable'), foreign(id, table), foreign('sensorType', 'unitSensorConfigurationTable')];
  const sensorConfigColumns = (prefix: string) => [
    { number: 6, name: `${prefix}SensorUnits`, type: INT },
    { number: 7, name: `${prefix}SensorDecimalDigits`, type: GAUGE },
  ];
  const measurementColumns = (prefix: string) => [
    { number: 2, name: `measurements${prefix}SensorIsAvailable`, type: INT },
    { number: 3, name: `measurements${prefix}SensorState`, type: INT },
    { number: 4, name: `measurements${prefix}SensorValue`, type: GAUGE },
  ];

  const inletSensorConfiguration = new SimTable(mib, {
    name: 'inletSensorConfigurationTable',
    oid: `${R}.3.3.4.1`,
    index: sensorIndex('inletId', 'inletConfigurationTable'),
    columns: sensorConfigColumns('inlet'),
  });
  const inletMeasurements = new SimTable(mib, {
    name: 'inletSensorMeasurementsTable',
    oid: `${R}.5.2.3.1`,
    index: sensorIndex('inletId', 'inletConfigurationTable'),
    columns: measurementColumns('Inlet'),
  });

  const outletConfiguration = new SimTable(mib, {
    name: 'outletConfigurationTable',
    oid: `${R}.3.5.3.1`,
    index: [foreign('pduId', 'nameplateTable'), { columnName: 'outletId' }],
    columns: [
      { number: 1, name: 'outletId', type: INT, access: 'not-accessible' },
      { number: 2, name: 'outletLabel', type: STR },
      { number: 3, name: 'outletName', type: STR },
      { number: 12, name: 'outletPowerCyclingPowerOffPeriod', type: GAUGE },
      { number: 28, name: 'outletSwitchable', type: INT },
    ],
  });
  const outletSensorConfiguration = new SimTable(mib, {
    name: 'outletSensorConfigurationTable',
    oid: `${R}.3.5.4.1`,
    index: sensorIndex('outletId', 'outletConfigurationTable'),
    columns: sensorConfigColumns('outlet'),
  });
  const outletMeasurements = new SimTable(mib, {
    name: 'outletSensorMeasurementsTable',
    oid: `${R}.5.4.3.1`,
    index: sensorIndex('outletId', 'outletConfigurationTable'),
    columns: measurementColumns('Outlet'),
  });

  const externalConfiguration = new SimTable(mib, {
    name: 'externalSensorConfigurationTable',
    oid: `${R}.3.6.3.1`,
    index: [foreign('pduId', 'nameplateTable'), { columnName: 'sensorID' }],
    columns: [
      { number: 1, name: 'sensorID', type: INT, access: 'not-accessible' },
      { number: 2, name: 'externalSensorType', type: INT },
      { number: 3, name: 'externalSensorSerialNumber', type: STR },
      { number: 4, name: 'externalSensorName', type: STR },
      { number: 16, name: 'externalSensorUnits', type: INT },
      { number: 17, name: 'externalSensorDecimalDigits', type: GAUGE },
    ],
  });
  const externalMeasurements = new SimTable(mib, {
    name: 'externalSensorMeasurementsTable',
    oid: `${R}.5.5.3.1`,
    index: [foreign('pduId', 'nameplateTable'), foreign('sensorID', 'externalSensorConfigurationTable')],
    columns: [
      { number: 2, name: 'measurementsExternalSensorIsAvailable', type: INT },
      { number: 3, name: 'measurementsExternalSensorState', type: INT },
      // Integer32: temperatures can be negative.
      { number: 4, name: 'measurementsExternalSensorValue', type: INT },
    ],
  });

  const sets: SetRecord[] = [];
  const switchedAt = new Map<number, number>();
  const switchControl = new SimTable(mib, {
    name: 'outletSwitchControlTable',
    log: sets,
    oid: `${R}.4.1.2.1`,
    index: [foreign('pduId', 'nameplateTable'), foreign('outletId', 'outletConfigurationTable')],
    columns: [
      { number: 2, name: 'switchingOperation', type: INT, access: 'read-write' },
      { number: 3, name: 'outletSwitchingState', type: INT },
      { number: 4, name: 'outletSwitchingTimeStamp', type: GAUGE },
    ],
    onSet: (column, row, value, commit) => {
      const [pdu, number] = row.split('.').map(Number);
      const outlet = pdu === PDU ? model.outlet(number) : undefined;
      if (column !== 2 || !outlet) return snmp.ErrorStatus.NoSuchName;
      const operation = Number(value);
      if (!Object.values(OPERATION).includes(operation)) return snmp.ErrorStatus.WrongValue;
      // PDU2-MIB's agents answer inconsistentValue to a write the unit's state forbids.
      if (outlet.locked) return snmp.ErrorStatus.InconsistentValue;
      if (!commit) return undefined;
      switchedAt.set(outlet.number, Math.floor(Date.now() / 1000));
      if (operation === OPERATION.cycle) model.reboot(outlet.number);
      else model.switch(outlet.number, operation === OPERATION.on);
      // The agent stores the written value after this handler: put the state back afterwards.
      setImmediate(sync);
      return undefined;
    },
  });

  /** A reading as the agent gives it: the value times 10^digits, unsigned. */
  const scaled = (value: number, digits: number): number => Math.max(0, Math.round(value * 10 ** digits));
  const reading = (value: number, digits: number) => ({ 2: TRUE, 3: STATE.normal, 4: scaled(value, digits) });

  function syncSensorRows(config: SimTable, measurements: SimTable, id: number,
    sensors: Array<{ type: number; units: number; digits: number; value: number }>): void {
    for (const sensor of sensors) {
      config.setRow([PDU, id, sensor.type], { 6: sensor.units, 7: sensor.digits });
      measurements.setRow([PDU, id, sensor.type], reading(sensor.value, sensor.digits));
    }
  }

  function sync(): void {
    const offPeriod = Math.max(1, Math.round(model.rebootDelay / 1000));
    syncSensorRows(inletSensorConfiguration, inletMeasurements, INLET, [
      { type: TYPE.rmsCurrent, units: UNITS.amp, digits: currentDigits, value: model.totalCurrent() },
      { type: TYPE.rmsVoltage, units: UNITS.volt, digits: 0, value: model.voltage },
      { type: TYPE.activePower, units: UNITS.watt, digits: 0, value: model.totalPower() },
    ]);
    for (const outlet of model.outlets) {
      outletConfiguration.setRow([PDU, outlet.number], {
        1: outlet.number, 2: String(outlet.number), 3: outlet.name, 12: offPeriod, 28: outlet.locked ? FALSE : TRUE,
      });
      syncSensorRows(outletSensorConfiguration, outletMeasurements, outlet.number, [
        { type: TYPE.rmsCurrent, units: UNITS.amp, digits: currentDigits, value: model.current(outlet) },
        { type: TYPE.rmsVoltage, units: UNITS.volt, digits: 0, value: outlet.on ? model.voltage : 0 },
        { type: TYPE.activePower, units: UNITS.watt, digits: 0, value: model.power(outlet) },
      ]);
      outletSensorConfiguration.setRow([PDU, outlet.number, TYPE.onOff], { 6: UNITS.none, 7: 0 });
      outletMeasurements.setRow([PDU, outlet.number, TYPE.onOff], { 2: TRUE, 3: outlet.on ? STATE.on : STATE.off, 4: 0 });
      switchControl.setRow([PDU, outlet.number], {
        2: outlet.on ? OPERATION.on : OPERATION.off,
        3: outlet.on ? STATE.on : STATE.off,
        4: switchedAt.get(outlet.number) ?? 0,
      });
    }
    // A managed sensor keeps its row when unplugged; it then reads unavailable.
    const fahrenheit = options.fahrenheit === true;
    const probes = [
      { id: 1, type: TYPE.temperature, name: 'Rack inlet temperature', units: fahrenheit ? UNITS.degreeF : UNITS.degreeC, digits: 1,
        value: fahrenheit ? toFahrenheit(model.temperature) : model.temperature },
      { id: 2, type: TYPE.humidity, name: 'Rack inlet humidity', units: UNITS.percent, digits: 0, value: model.humidity },
    ];
    for (const probe of probes) {
      externalConfiguration.setRow([PDU, probe.id], {
        1: probe.id, 2: probe.type, 3: 'AEI0000001', 4: probe.name, 16: probe.units, 17: probe.digits,
      });
      externalMeasurements.setRow([PDU, probe.id], options.noProbe
        ? { 2: FALSE, 3: STATE.unavailable, 4: 0 }
        : { 2: TRUE, 3: STATE.normal, 4: Math.round(probe.value * 10 ** probe.digits) });
    }
  }
  sync();
  model.on('change', sync);

  return runningAgent('raritan-pdu2', started, model, sets, `Raritan PX3 (SNMP, PDU2-MIB, ${model.outlets.length} outlets)`);
}
