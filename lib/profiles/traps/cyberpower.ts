import { enterpriseTraps, field, overloadTraps } from './rules';
import type { TrapFields, TrapTable } from './trap-table';

// CyberPower CPS-MIB traps: SMIv1 TRAP-TYPEs (ENTERPRISE cps, `::= N`), in v2 form
// 1.3.6.1.4.1.3808.0.N. The ePDU traps carry the PDU's serial number and name, the outlet or
// phase, and CyberPower's own message in mtrapinfoString.

const CPS = '1.3.6.1.4.1.3808';
const EPDU = `${CPS}.1.1.3`;

const text = field(`${CPS}.2.2.3`, 'mtrapinfoString');
const { oid: cpsTrap, trap, ups } = enterpriseTraps(CPS, text);
const device = field(`${EPDU}.1.1`, 'ePDUIdentName');
const outlet: TrapFields = {
  device,
  outletIndex: field(`${EPDU}.3.3.1.1.1`, 'ePDUOutletControlIndex'),
  outletName: field(`${EPDU}.3.3.1.1.2`, 'ePDUOutletControlOutletName'),
  text,
};
const phase: TrapFields = { device, sensorIndex: field(`${EPDU}.2.3.1.1.4`, 'ePDULoadStatusPhaseNumber'), text };
const bank: TrapFields = { device, sensorIndex: field(`${EPDU}.2.3.1.1.5`, 'ePDULoadStatusBankNumber'), text };
const monitoredOutlet: TrapFields = {
  device,
  outletIndex: field(`${EPDU}.3.4.3.1.3`, 'ePDUOutletConfigMonitoredNumber'),
  outletName: field(`${EPDU}.3.4.3.1.2`, 'ePDUOutletConfigMonitoredName'),
  text,
};
const ENV = `${CPS}.1.1.4`;
const env: TrapFields = { device: field(`${ENV}.1.1`, 'envirIdentName') };
// Tenths of a degree Fahrenheit, whatever the display unit.
const temperature: TrapFields = { ...env, value: field(`${ENV}.2.1`, 'envirTemperature', { scale: 0.1, fahrenheit: true }) };
const humidity: TrapFields = { ...env, value: field(`${ENV}.3.1`, 'envirHumidity') };




export const cyberpowerTraps: TrapTable = {
  id: 'cyberpower',
  vendor: 'CyberPower',
  mib: { module: 'CPS-MIB', files: ['CPS-MIB'] },
  traps: [
    trap(100, 'ePDUCommunicationEstablished', 'commRestored', { device, text }, { subject: 'device' }),
    trap(101, 'ePDUCommunicationLost', 'commLost', { device, text }, { subject: 'device' }),
    trap(102, 'ePDUOutletOn', 'outletOn', outlet, { subject: 'outlet' }),
    trap(103, 'ePDUOutletOff', 'outletOff', outlet, { subject: 'outlet' }),
    trap(105, 'ePDUOutletConfigChange', undefined, outlet, { subject: 'outlet', severity: 'info' }),
    ...overloadTraps(cpsTrap, 106, 'ePDU', 'inputLoad', phase, 'input'),
    ...overloadTraps(cpsTrap, 124, 'ePDUBank', 'inputLoad', bank, 'input'),
    ...overloadTraps(cpsTrap, 132, 'ePDUOutlet', 'load', monitoredOutlet, 'outlet'),
    trap(200, 'envHighTemperatureViolation', 'temperatureHigh', temperature, { subject: 'temperature' }),
    trap(201, 'envHighTemperatureBack', 'temperatureNormal', temperature, { subject: 'temperature' }),
    trap(202, 'envLowTemperatureViolation', 'temperatureLow', temperature, { subject: 'temperature' }),
    trap(203, 'envLowTempBack', 'temperatureNormal', temperature, { subject: 'temperature' }),
    trap(204, 'envHighHumidityViolation', 'humidityHigh', humidity, { subject: 'humidity' }),
    trap(205, 'envHighHumidityBack', 'humidityNormal', humidity, { subject: 'humidity' }),
    trap(206, 'envLowHumidityViolation', 'humidityLow', humidity, { subject: 'humidity' }),
    trap(207, 'envLowHumdBack', 'humidityNormal', humidity, { subject: 'humidity' }),
    // UPS
    ups(1, 'communicationLost', 'COMMBAD'),
    ups(2, 'upsOverload', 'OVER'),
    ups(5, 'upsOnBattery', 'ONBATT'),
    ups(6, 'upsBoostOn', 'BOOST'),
    ups(7, 'lowBattery', 'LOWBATT'),
    ups(8, 'communicationEstablished', 'COMMOK'),
    ups(9, 'powerRestored', 'ONLINE'),
    ups(11, 'returnFromLowBattery', undefined, 'info'),
    ups(12, 'upsTurnedOff', 'OFF'),
    ups(18, 'upsBuckOn', 'TRIM'),
    ups(19, 'returnFromOverLoad', 'NOTOVER'),
    ups(26, 'upsTurnedOn', 'NOTOFF'),
    ups(42, 'upsEnterBypassMode', 'BYPASS'),
    ups(43, 'upsReturnFromBypassMode', 'NOTBYPASS'),
    ups(49, 'upsBatteryExpiration', 'REPLBATT'),
  ],
};
