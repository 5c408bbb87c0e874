import type { Severity } from '../../types';
import { enterpriseTraps, field, overloadTraps } from './rules';
import type { TrapDefinition, TrapFields, TrapTable } from './trap-table';

// APC PowerNet-MIB traps. They are SMIv1 TRAP-TYPEs (ENTERPRISE apc, `::= N`), so in v2 form
// they are 1.3.6.1.4.1.318.0.N; the numbers are carried here because net-snmp's module store
// gives TRAP-TYPEs no OID. Most carry APC's own message in mtrapargsString; the newer families
// (rPDU2, the generic apc* traps) carry serial, device name, numbers and names in mtrapargs*.

const APC = '1.3.6.1.4.1.318';
const ARGS = `${APC}.2.3`;
const RPDU = `${APC}.1.1.12`;

const text = field(`${ARGS}.3`, 'mtrapargsString');
const { oid: apcTrap, trap, ups } = enterpriseTraps(APC, text);
const rpduName = field(`${RPDU}.1.1`, 'rPDUIdentName');
/** The generic apc* and rpdu* traps: host serial, host name, numbers, then a name. */
const argsDevice = field(`${ARGS}.11`, 'mtrapargsString03');
const argsNumber = field(`${ARGS}.1`, 'mtrapargsInteger');
const argsName = field(`${ARGS}.16`, 'mtrapargsString04');


// MasterSwitch (sPDU): the outlet number only.
const sPduOutlet: TrapFields = { outletIndex: field(`${APC}.1.1.4.4.2.1.1`, 'sPDUOutletControlIndex') };

// Switched Rack PDU (rPDU, AP79xx).
const rPduOutlet: TrapFields = {
  device: rpduName,
  outletIndex: field(`${RPDU}.3.3.1.1.1`, 'rPDUOutletControlIndex'),
  outletName: field(`${RPDU}.3.3.1.1.2`, 'rPDUOutletControlOutletName'),
  text,
};
const rPduPhase: TrapFields = { device: rpduName, sensorIndex: field(`${RPDU}.2.3.1.1.4`, 'rPDULoadStatusPhaseNumber'), text };
const rPduBank: TrapFields = { device: rpduName, sensorIndex: field(`${RPDU}.2.3.1.1.5`, 'rPDULoadStatusBankNumber'), text };
const rPduOutletLoad: TrapFields = { device: rpduName, outletIndex: field(`${RPDU}.3.5.1.1.1`, 'rPDUOutletStatusIndex'), text };


// Rack PDU 2G (AP86xx/AP88xx/AP89xx) and other NMC2/NMC3 devices: the generic apc* traps.
const apcOutlet: TrapFields = {
  device: argsDevice,
  outletIndex: argsNumber,
  outletName: argsName,
  // The sixth argument: the outlet state now, 1 on, 2 off.
  status: field(`${ARGS}.6`, 'mtrapargsInteger02'),
  text,
};
const apcSensor: TrapFields = { device: argsDevice, sensorIndex: argsNumber, sensorName: argsName, text };
const apcEnv = (n: number, name: string, event: string, subject: 'temperature' | 'humidity', severity?: Severity): TrapDefinition =>
  trap(n, name, undefined, apcSensor, { subject, event: [{ event, ...(severity ? { severity } : {}) }] });
const condition = (n: number, name: string, severity: Severity): TrapDefinition =>
  trap(n, name, undefined, { device: argsDevice, text }, { severity });

// Environmental monitors: the NMC's integrated probe (iem) and the EMS.
const IEM = `${APC}.1.1.10.2.3.2.1`;
const iemProbe: TrapFields = {
  sensorIndex: field(`${IEM}.1`, 'iemStatusProbeNumber'),
  sensorName: field(`${IEM}.2`, 'iemStatusProbeName'),
  text,
};
const iemTemperature: TrapFields = {
  ...iemProbe,
  value: field(`${IEM}.4`, 'iemStatusProbeCurrentTemp'),
  scale: field(`${IEM}.5`, 'iemStatusProbeTempUnits', { enum: { 1: 'celsius', 2: 'fahrenheit' } }),
};
const iemHumidity: TrapFields = { ...iemProbe, value: field(`${IEM}.6`, 'iemStatusProbeCurrentHumid') };
const EMS_PROBE = `${APC}.1.1.10.3.13.1.1`;
const emsProbe: TrapFields = {
  device: field(`${APC}.1.1.10.3.1.1`, 'emsIdentEMSName'),
  sensorIndex: field(`${EMS_PROBE}.1`, 'emsProbeStatusProbeIndex'),
  sensorName: field(`${EMS_PROBE}.2`, 'emsProbeStatusProbeName'),
  text,
};
const emsTemperature: TrapFields = {
  ...emsProbe,
  value: field(`${EMS_PROBE}.3`, 'emsProbeStatusProbeTemperature'),
  scale: field(`${APC}.1.1.10.3.12.11`, 'emsStatusSysTempUnits', { enum: { 1: 'celsius', 2: 'fahrenheit' } }),
};
const emsHumidity: TrapFields = { ...emsProbe, value: field(`${EMS_PROBE}.6`, 'emsProbeStatusProbeHumidity') };
const inFahrenheit = { fahrenheitWhen: { field: 'scale' as const, is: 'fahrenheit' } };


export const apcTraps: TrapTable = {
  id: 'apc',
  vendor: 'APC (Schneider Electric)',
  mib: { module: 'PowerNet-MIB', files: ['SNMP-FRAMEWORK-MIB', 'PowerNet-MIB'] },
  traps: [
    // MasterSwitch
    trap(41, 'outletOn', 'outletOn', sPduOutlet, { subject: 'outlet' }),
    trap(42, 'outletOff', 'outletOff', sPduOutlet, { subject: 'outlet' }),
    trap(43, 'outletReboot', 'outletReboot', sPduOutlet, { subject: 'outlet' }),
    trap(45, 'configChangeOutlet', undefined, { outletIndex: field(`${APC}.1.1.4.5.2.1.1`, 'sPDUOutletConfigIndex') }, { subject: 'outlet', severity: 'info' }),
    // Switched Rack PDU
    ...overloadTraps(apcTrap, 222, 'rPDUBankPhase', 'inputLoad', rPduBank, 'input'),
    trap(266, 'rPDUCommunicationEstablished', 'commRestored', { device: rpduName, text }, { subject: 'device' }),
    trap(267, 'rPDUCommunicationLost', 'commLost', { device: rpduName, text }, { subject: 'device' }),
    trap(268, 'rPDUOutletOn', 'outletOn', rPduOutlet, { subject: 'outlet' }),
    trap(269, 'rPDUOutletOff', 'outletOff', rPduOutlet, { subject: 'outlet' }),
    trap(271, 'rPDUOutletConfigChange', undefined, rPduOutlet, { subject: 'outlet', severity: 'info' }),
    ...overloadTraps(apcTrap, 272, 'rPDU', 'inputLoad', rPduPhase, 'input'),
    trap(278, 'rPDUPowerSupply1Fail', undefined, { device: rpduName, text }, { severity: 'critical' }),
    trap(279, 'rPDUPowerSupply1Ok', undefined, { device: rpduName, text }, { severity: 'info' }),
    trap(280, 'rPDUPowerSupply2Fail', undefined, { device: rpduName, text }, { severity: 'critical' }),
    trap(281, 'rPDUPowerSupply2Ok', undefined, { device: rpduName, text }, { severity: 'info' }),
    ...overloadTraps(apcTrap, 630, 'rPDUOutlet', 'load', rPduOutletLoad, 'outlet'),
    // Rack PDU 2G and the NMC's generic traps
    trap(547, 'apcOutletStateAbnormal', undefined, apcOutlet, {
      subject: 'outlet', event: [{ when: { status: '1' }, event: 'outletOn' }, { when: { status: '2' }, event: 'outletOff' }],
    }),
    trap(548, 'apcOutletStateNormal', undefined, apcOutlet, {
      subject: 'outlet', event: [{ when: { status: '1' }, event: 'outletOn' }, { when: { status: '2' }, event: 'outletOff' }],
    }),
    apcEnv(519, 'apcEnvMaxTempThresholdViolation', 'temperatureHigh', 'temperature', 'critical'),
    apcEnv(520, 'apcEnvMaxTempThresholdViolationCleared', 'temperatureNormal', 'temperature'),
    apcEnv(521, 'apcEnvHighTempThresholdViolation', 'temperatureHigh', 'temperature', 'warning'),
    apcEnv(522, 'apcEnvHighTempThresholdViolationCleared', 'temperatureNormal', 'temperature'),
    apcEnv(523, 'apcEnvLowTempThresholdViolation', 'temperatureLow', 'temperature', 'warning'),
    apcEnv(524, 'apcEnvLowTempThresholdViolationCleared', 'temperatureNormal', 'temperature'),
    apcEnv(525, 'apcEnvMinTempThresholdViolation', 'temperatureLow', 'temperature', 'critical'),
    apcEnv(526, 'apcEnvMinTempThresholdViolationCleared', 'temperatureNormal', 'temperature'),
    apcEnv(535, 'apcEnvMaxHumidityThresholdViolation', 'humidityHigh', 'humidity', 'critical'),
    apcEnv(536, 'apcEnvMaxHumidityThresholdViolationCleared', 'humidityNormal', 'humidity'),
    apcEnv(537, 'apcEnvHighHumidityThresholdViolation', 'humidityHigh', 'humidity', 'warning'),
    apcEnv(538, 'apcEnvHighHumidityThresholdViolationCleared', 'humidityNormal', 'humidity'),
    apcEnv(539, 'apcEnvLowHumidityThresholdViolation', 'humidityLow', 'humidity', 'warning'),
    apcEnv(540, 'apcEnvLowHumidityThresholdViolationCleared', 'humidityNormal', 'humidity'),
    apcEnv(541, 'apcEnvMinHumidityThresholdViolation', 'humidityLow', 'humidity', 'critical'),
    apcEnv(542, 'apcEnvMinHumidityThresholdViolationCleared', 'humidityNormal', 'humidity'),
    condition(750, 'rpduCriticalCondition', 'critical'),
    condition(751, 'rpduCriticalConditionCleared', 'info'),
    condition(752, 'rpduWarningCondition', 'warning'),
    condition(753, 'rpduWarningConditionCleared', 'info'),
    condition(754, 'rpduInformationalCondition', 'info'),
    condition(755, 'rpduInformationalConditionCleared', 'info'),
    // Environmental probes
    trap(163, 'iemHighTempThresholdViolation', 'temperatureHigh', iemTemperature, { subject: 'temperature', ...inFahrenheit }),
    trap(164, 'iemHighTempThresholdViolationCleared', 'temperatureNormal', iemProbe, { subject: 'temperature' }),
    trap(165, 'iemLowTempThresholdViolation', 'temperatureLow', iemTemperature, { subject: 'temperature', ...inFahrenheit }),
    trap(166, 'iemLowTempThresholdViolationCleared', 'temperatureNormal', iemProbe, { subject: 'temperature' }),
    trap(167, 'iemHighHumidThresholdViolation', 'humidityHigh', iemHumidity, { subject: 'humidity' }),
    trap(168, 'iemHighHumidThresholdViolationCleared', 'humidityNormal', iemProbe, { subject: 'humidity' }),
    trap(169, 'iemLowHumidThresholdViolation', 'humidityLow', iemHumidity, { subject: 'humidity' }),
    trap(170, 'iemLowHumidThresholdViolationCleared', 'humidityNormal', iemProbe, { subject: 'humidity' }),
    trap(253, 'envHighTempThresholdViolation', 'temperatureHigh', emsTemperature, { subject: 'temperature', ...inFahrenheit }),
    trap(254, 'envHighTempThresholdViolationCleared', 'temperatureNormal', emsTemperature, { subject: 'temperature', ...inFahrenheit }),
    trap(255, 'envLowTempThresholdViolation', 'temperatureLow', emsTemperature, { subject: 'temperature', ...inFahrenheit }),
    trap(256, 'envLowTempThresholdViolationCleared', 'temperatureNormal', emsTemperature, { subject: 'temperature', ...inFahrenheit }),
    trap(257, 'envHighHumidityThresholdViolation', 'humidityHigh', emsHumidity, { subject: 'humidity' }),
    trap(258, 'envHighHumidityThresholdViolationCleared', 'humidityNormal', emsHumidity, { subject: 'humidity' }),
    trap(259, 'envLowHumidityThresholdViolation', 'humidityLow', emsHumidity, { subject: 'humidity' }),
    trap(260, 'envLowHumidityThresholdViolationCleared', 'humidityNormal', emsHumidity, { subject: 'humidity' }),
    // UPS
    ups(1, 'communicationLost', 'COMMBAD'),
    ups(2, 'upsOverload', 'OVER'),
    ups(3, 'upsDiagnosticsFailed', undefined, 'warning'),
    ups(4, 'upsDischarged', undefined, 'critical'),
    ups(5, 'upsOnBattery', 'ONBATT'),
    ups(6, 'smartBoostOn', 'BOOST'),
    ups(7, 'lowBattery', 'LOWBATT'),
    ups(8, 'communicationEstablished', 'COMMOK'),
    ups(9, 'powerRestored', 'ONLINE'),
    ups(10, 'upsDiagnosticsPassed', undefined, 'info'),
    ups(11, 'returnFromLowBattery', undefined, 'info'),
    ups(12, 'upsTurnedOff', 'OFF'),
    ups(17, 'upsBatteryNeedsReplacement', 'REPLBATT'),
    ups(20, 'hardwareFailureBypass', 'BYPASS', 'critical'),
    ups(21, 'softwareBypass', 'BYPASS'),
    ups(22, 'switchedBypass', 'BYPASS'),
    ups(23, 'returnFromBypass', 'NOTBYPASS'),
    ups(30, 'upsTurnedOn', 'NOTOFF'),
    ups(31, 'smartAvrReducing', 'TRIM'),
    ups(33, 'upsOverloadCleared', 'NOTOVER'),
    ups(34, 'smartBoostOff', 'NOTBOOST'),
    ups(35, 'smartAvrReducingOff', 'NOTTRIM'),
    ups(36, 'upsBatteryReplaced', undefined, 'info'),
    ups(39, 'gracefulShutdown', 'SHUTDOWN'),
  ],
};
