import type { SnmpProfile } from './snmp-profile';

// Tripp Lite switched PDUs with a PowerAlert network card, TRIPPLITE-PRODUCTS. One agent serves
// several devices (tlpDeviceTable): the PDU, and an EnviroSense probe as a device of its own.
// PDU rows are indexed device.outlet; the probe's readings by its device index.
const P = '1.3.6.1.4.1.850.1.1.3.2';
const INPUT_PHASE = `${P}.3.1.2.1`;
const OUTLET = `${P}.3.3.1.1`;
const ENV = '1.3.6.1.4.1.850.1.1.3.3.3';

const OUTLET_STATE = { oid: `${OUTLET}.4`, object: 'tlpPduOutletState' };
const COMMAND = { oid: `${OUTLET}.6`, object: 'tlpPduOutletCommand' };
const TEMPERATURE = { oid: `${ENV}.1.1.1`, object: 'tlpEnvTemperatureC' };
const HUMIDITY = { oid: `${ENV}.2.1.1`, object: 'tlpEnvHumidityHumidity' };
/** The probe's name is its device's: the environment rows share tlpDeviceIndex with tlpDeviceTable. */
const PROBE_NAME = { oid: '1.3.6.1.4.1.850.1.1.1.2.1.6', object: 'tlpDeviceName' };

export const trippLitePdu: SnmpProfile = {
  id: 'tripplite-pdu',
  vendor: 'Tripp Lite',
  model: 'Switched PDU with PowerAlert card (TRIPPLITE-PRODUCTS)',
  mib: { module: 'TRIPPLITE-PRODUCTS', files: ['TRIPPLITE', 'TRIPPLITE-PRODUCTS'] },
  // PowerAlert cards answer under tripplite.1 for UPSes as well: only an agent with the PDU's
  // outlet table is a PDU.
  detect: { sysObjectID: ['1.3.6.1.4.1.850.1'], requires: OUTLET_STATE },
  // cycle(3) turns the outlet off, then back on, by itself.
  nativeReboot: true,
  outlets: {
    rows: OUTLET_STATE,
    name: { oid: `${OUTLET}.2`, object: 'tlpPduOutletName' },
    number: { oid: `${OUTLET}.1`, object: 'tlpPduOutletIndex' },
    state: { ...OUTLET_STATE, map: { 0: 'unknown', 1: 'off', 2: 'on' } },
    // Answered only where tlpPduSupportsOutletCurrentPower is true; elsewhere left empty.
    current: { oid: `${OUTLET}.8`, object: 'tlpPduOutletCurrent', scale: 0.01 },
    power: { oid: `${OUTLET}.9`, object: 'tlpPduOutletPower' },
    control: {
      off: { ...COMMAND, value: 1 },
      on: { ...COMMAND, value: 2 },
      reboot: { ...COMMAND, value: 3 },
    },
  },
  inputs: {
    rows: { oid: `${INPUT_PHASE}.1`, object: 'tlpPduInputPhaseIndex' },
    current: { oid: `${INPUT_PHASE}.7`, object: 'tlpPduInputPhaseCurrent', scale: 0.01 },
    voltage: { oid: `${INPUT_PHASE}.4`, object: 'tlpPduInputPhaseVoltage', scale: 0.1 },
    label: 'Phase',
  },
  sensors: {
    // Tenths of a degree Celsius (tlpEnvTemperatureF beside it has the same in Fahrenheit).
    temperature: { rows: TEMPERATURE, name: PROBE_NAME, value: { ...TEMPERATURE, scale: 0.1 }, label: 'Temperature' },
    humidity: { rows: HUMIDITY, name: PROBE_NAME, value: HUMIDITY, label: 'Humidity' },
  },
};
