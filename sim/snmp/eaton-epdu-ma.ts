import { addScalar, startPduAgent } from './pdu-agent';
import { gauge, indexColumn, milli, pduMibOutletTable } from './raritan-px1';
import { runningAgent, simModel, type SimDevice, type SimDeviceOptions } from './sim-device';
import { GAUGE, INT, SimTable, STR, type SetRecord } from './table';

// Eaton's first-generation managed ePDU as an SNMP agent, written from EATON-EPDU-MA-MIB: the
// Raritan PX1 outlet table under Eaton's arc, its rows numbered from 0 as real units number
// them, the unit's readings as scalars (mA, mV, W), and one temperature and one humidity sensor
// in whole °C and %. outletOperationalState is read and written: off(0), on(1), cycling(2).
const M = '1.3.6.1.4.1.534.6.6.6';
const FIRST_ROW = 0;

export type EatonMaSimOptions = SimDeviceOptions & { noProbe?: boolean };

export async function createEatonEpduMaSim(options: EatonMaSimOptions): Promise<SimDevice> {
  const model = simModel(options, 8);
  const started = await startPduAgent(options, model, {
    // Recorded units leave sysDescr empty.
    sysDescr: '',
    sysObjectID: M,
    sysName: 'eaton-ma-sim',
  });
  const { mib } = started;
  const sets: SetRecord[] = [];
  const syncOutlets = pduMibOutletTable(mib, M, model, sets, FIRST_ROW);

  addScalar(mib, 'firmwareVersion', `${M}.1.1.1`, STR, '01.01.01');
  addScalar(mib, 'serialNumber', `${M}.1.1.2`, STR, 'SIM0000001');
  addScalar(mib, 'hardwareRev', `${M}.1.1.7`, INT, 26);
  const unit = `${M}.1.3.1`;
  addScalar(mib, 'unitCurrent', `${unit}.1`, GAUGE, 0);
  addScalar(mib, 'unitVoltage', `${unit}.2`, GAUGE, 0);
  addScalar(mib, 'unitActivePower', `${unit}.3`, GAUGE, 0);
  addScalar(mib, 'unitApparentPower', `${unit}.4`, GAUGE, 0);
  addScalar(mib, 'unitCpuTemp', `${unit}.5`, GAUGE, 36);
  // unitCircuitBreak0State ok(0): the breaker of the one circuit.
  addScalar(mib, 'unitCircuitBreak0State', `${unit}.20`, INT, 0);
  addScalar(mib, 'unitCircuitBreak0Current', `${unit}.40`, GAUGE, 0);
  addScalar(mib, 'tempSensorCount', `${M}.2.1`, INT, options.noProbe ? 0 : 1);
  addScalar(mib, 'humiditySensorCount', `${M}.2.3`, INT, options.noProbe ? 0 : 1);

  const sensorTable = (name: string, oid: string, index: string, label: string, reading: string) => new SimTable(mib, {
    name,
    oid,
    index: [{ columnName: index }],
    columns: [indexColumn(index), { number: 2, name: label, type: STR }, gauge(3, reading)],
  });
  // Only a probe that is plugged in has rows.
  const temperatureTable = options.noProbe ? undefined
    : sensorTable('tempSensorTable', `${M}.2.2.1`, 'tempSensorIndex', 'tempSensorLabel', 'temperature');
  const humidityTable = options.noProbe ? undefined
    : sensorTable('humiditySensorTable', `${M}.2.4.1`, 'humiditySensorIndex', 'humiditySensorLabel', 'humidity');

  function sync(): void {
    syncOutlets();
    mib.setScalarValue('unitCurrent', milli(model.totalCurrent()));
    mib.setScalarValue('unitVoltage', milli(model.voltage));
    mib.setScalarValue('unitActivePower', Math.round(model.totalPower()));
    mib.setScalarValue('unitApparentPower', Math.round(model.totalPower()));
    mib.setScalarValue('unitCircuitBreak0Current', milli(model.totalCurrent()));
    temperatureTable?.setRow([FIRST_ROW], { 1: FIRST_ROW, 2: 'Rack inlet', 3: Math.round(model.temperature) });
    humidityTable?.setRow([FIRST_ROW], { 1: FIRST_ROW, 2: 'Rack inlet RH', 3: Math.round(model.humidity) });
  }
  sync();
  model.on('change', sync);

  return runningAgent('eaton-epdu-ma', started, model, sets, `Eaton Managed ePDU, first generation (SNMP, EATON-EPDU-MA-MIB, ${model.outlets.length} outlets)`);
}
