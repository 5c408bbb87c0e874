import * as snmp from 'net-snmp';
import { trapIndex, trapTables } from '../profiles/traps';
import type { SubjectKind, TrapDefinition, TrapField, TrapFieldRole, TrapRule, TrapTable } from '../profiles/traps/trap-table';
import type { DeviceEvent, Severity } from '../types';
import { eventText } from './trap-text';
import type { ReceivedNotification } from '../transports/snmp/notification';
import { chainNamers, nameVarbinds, OidNames, plainValue, type NamedVarbind, type OidNamer } from './trap-varbinds';

// From a received notification to the pack's event shape (README, pdu-status events), driven by the
// vendors' trap tables in lib/profiles/traps.

const SYS_UPTIME = '1.3.6.1.2.1.1.3.0';
const SNMP_TRAP_OID = '1.3.6.1.6.3.1.1.4.1.0';
const SNMP_TRAP_ENTERPRISE = '1.3.6.1.6.3.1.1.4.3.0';
const SNMP_TRAPS = '1.3.6.1.6.3.1.1.5';

/** What msg.snmp carries. */
export type { ReceivedNotification };

export interface TrapInfo {
  version: ReceivedNotification['version'];
  type: ReceivedNotification['kind'];
  trapOid: string;
  trapName?: string;
  /** The pdu-config (or the node) whose credentials accepted it. */
  security: ReceivedNotification['security'];
  source: ReceivedNotification['source'];
  upTime?: number;
  enterprise?: string;
  agentAddr?: string;
  varbinds: NamedVarbind[];
}

export interface DecodedTrap {
  event: DeviceEvent;
  snmp: TrapInfo;
}

export class TrapFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TrapFormatError';
  }
}

/** The usual severity of each event name; a table or rule may say otherwise. */
const SEVERITY: Record<string, Severity> = {
  outletOn: 'info', outletOff: 'info', outletReboot: 'info', moduleError: 'critical', moduleNormal: 'info',
  loadHigh: 'critical', loadLow: 'warning', loadNormal: 'info',
  inputLoadHigh: 'critical', inputLoadLow: 'warning', inputLoadNormal: 'info',
  temperatureHigh: 'critical', temperatureLow: 'warning', temperatureNormal: 'info',
  humidityHigh: 'warning', humidityLow: 'warning', humidityNormal: 'info',
  deviceStart: 'warning', commLost: 'critical', commRestored: 'info',
  ONBATT: 'warning', ONLINE: 'info', LOWBATT: 'critical', FSD: 'critical', SHUTDOWN: 'critical', COMMBAD: 'warning',
  COMMOK: 'info', NOCOMM: 'critical', REPLBATT: 'warning', OVER: 'warning', NOTOVER: 'info', BYPASS: 'warning',
  NOTBYPASS: 'info', OFF: 'warning', NOTOFF: 'info', BOOST: 'info', NOTBOOST: 'info', TRIM: 'info', NOTTRIM: 'info',
};

export interface DecoderOptions {
  tables?: TrapTable[];
  /** Names from MIB files the user loaded, for traps and varbinds the tables do not know. */
  mibNames?: OidNamer;
}

/** Decodes notifications with the trap tables (built once, reused for every trap). */
export class TrapDecoder {
  private readonly index: ReturnType<typeof trapIndex>;
  private readonly namer: OidNamer;

  constructor(options: DecoderOptions = {}) {
    const tables = options.tables ?? trapTables;
    this.index = trapIndex(tables);
    this.namer = chainNamers(tableNames(tables), options.mibNames);
  }

  /** `device` names the pdu-config the source belongs to, when there is one. */
  decode(notification: ReceivedNotification, device?: string): DecodedTrap {
    const { pdu } = notification;
    const varbinds = pdu.varbinds ?? [];
    const trapOid = notificationOid(notification);
    const upTime = notification.version === '1' ? pdu.upTime
      : numberOf(varbinds.find((varbind) => varbind.oid === SYS_UPTIME));
    const body = notification.version === '1' ? varbinds
      : varbinds.filter((varbind) => varbind.oid !== SYS_UPTIME && varbind.oid !== SNMP_TRAP_OID && varbind.oid !== SNMP_TRAP_ENTERPRISE);
    const known = this.index.get(trapOid);
    const trapName = known?.trap.name ?? this.namer.notification(trapOid);
    const named = nameVarbinds(varbinds, this.namer);
    const info: TrapInfo = {
      version: notification.version,
      type: notification.kind,
      trapOid,
      ...(trapName ? { trapName } : {}),
      security: notification.security,
      source: notification.source,
      ...(upTime !== undefined ? { upTime } : {}),
      ...(notification.version === '1' ? { enterprise: pdu.enterprise, agentAddr: pdu.agentAddr } : {}),
      varbinds: named,
    };
    const event = known
      ? knownEvent(known.trap, body, device, notification)
      : unknownEvent(trapName ?? trapOid, device ?? notification.source.address);
    // Traps we have no event for keep their varbinds in the event itself (README, pdu-trap-in).
    if (!known || event.event === known.trap.name) event.raw = named.filter((varbind) => body.some((b) => b.oid === varbind.oid));
    return { event, snmp: info };
  }
}

/** snmpTrapOID.0 of a v2c/v3 notification; RFC 3584's mapping for a v1 trap. */
export function notificationOid(notification: ReceivedNotification): string {
  const { pdu } = notification;
  if (notification.version === '1') {
    if (pdu.generic !== undefined && pdu.generic >= 0 && pdu.generic < 6) return `${SNMP_TRAPS}.${pdu.generic + 1}`;
    if (!pdu.enterprise) throw new TrapFormatError('v1 trap without an enterprise');
    // Agents that build v1 traps from v2 OIDs leave the `.0` on the enterprise (net-snmp's among them).
    return pdu.enterprise.endsWith('.0') ? `${pdu.enterprise}.${pdu.specific}` : `${pdu.enterprise}.0.${pdu.specific}`;
  }
  const trapOid = pdu.varbinds?.find((varbind) => varbind.oid === SNMP_TRAP_OID);
  if (!trapOid || typeof trapOid.value !== 'string') throw new TrapFormatError('notification without snmpTrapOID.0');
  return trapOid.value;
}

function tableNames(tables: TrapTable[]): OidNames {
  const names = new OidNames()
    .addObject('1.3.6.1.2.1.1.3', 'sysUpTime')
    .addObject('1.3.6.1.6.3.1.1.4.1', 'snmpTrapOID')
    .addObject('1.3.6.1.6.3.1.1.4.3', 'snmpTrapEnterprise');
  for (const table of tables) {
    for (const [oid, name] of Object.entries(table.objects ?? {})) names.addObject(oid, name);
    for (const trap of table.traps) {
      names.addNotification(trap.oid, trap.name);
      for (const field of Object.values(trap.fields ?? {})) if (field) names.addObject(field.oid, field.object);
    }
  }
  return names;
}

function numberOf(varbind: snmp.Varbind | undefined): number | undefined {
  const value = varbind ? plainValue(varbind) : undefined;
  return typeof value === 'number' ? value : undefined;
}

type Values = Partial<Record<TrapFieldRole, string | number>>;

/** The value of each field: from the first varbind that is an instance of the field's object. */
function readFields(trap: TrapDefinition, varbinds: snmp.Varbind[]): Values {
  const values: Values = {};
  for (const [role, field] of Object.entries(trap.fields ?? {}) as Array<[TrapFieldRole, TrapField]>) {
    const varbind = varbinds.find((candidate) => candidate.oid === field.oid || candidate.oid.startsWith(`${field.oid}.`));
    if (!varbind) continue;
    const value = readField(field, varbind);
    if (value !== undefined) values[role] = value;
  }
  return values;
}

function readField(field: TrapField, varbind: snmp.Varbind): string | number | undefined {
  const instance = varbind.oid.slice(field.oid.length + 1);
  let raw: string | number | null;
  if (field.from === 'index') raw = instance ? Number(instance.split('.').pop()) + (field.offset ?? 0) : null;
  else if (field.from === 'ascii') raw = instance ? instance.split('.').map((arc) => String.fromCharCode(Number(arc))).join('') : null;
  else raw = plainValue(varbind);
  if (raw === null || raw === '') return undefined;
  if (field.chain) return chainNumber(String(raw), field.chain.portsPerBoard);
  if (field.enum && typeof raw === 'number') return field.enum[raw] ?? raw;
  if (field.text) {
    const match = /-?\d+(?:\.\d+)?/.exec(String(raw));
    if (!match) return undefined;
    raw = Number(match[0]);
  }
  if (typeof raw === 'number') {
    if (field.invalid?.includes(raw)) return undefined;
    if (field.scale) raw = round(raw * field.scale);
    if (field.fahrenheit) raw = toCelsius(raw);
    return raw;
  }
  return field.prefix ? `${field.prefix}${raw}` : raw;
}

/** `C` -> 3; with four ports a board, `C4` -> 12. */
function chainNumber(id: string, portsPerBoard?: number): number | undefined {
  const match = /^([A-Z])(\d*)$/i.exec(id.trim());
  if (!match) return undefined;
  const board = match[1].toUpperCase().charCodeAt(0) - 64;
  if (!portsPerBoard) return board;
  return match[2] ? (board - 1) * portsPerBoard + Number(match[2]) : undefined;
}

const round = (value: number): number => Math.round(value * 1e6) / 1e6;
const toCelsius = (fahrenheit: number): number => Math.round(((fahrenheit - 32) * 5 / 9) * 100) / 100;

function matches(rule: TrapRule, values: Values): boolean {
  return Object.entries(rule.when ?? {}).every(([role, wanted]) => {
    const value = values[role as TrapFieldRole];
    if (value === undefined) return false;
    return [wanted ?? []].flat().some((candidate) => String(candidate).toLowerCase() === String(value).toLowerCase());
  });
}

function knownEvent(trap: TrapDefinition, varbinds: snmp.Varbind[], device: string | undefined,
  notification: ReceivedNotification): DeviceEvent {
  const values = readFields(trap, varbinds);
  const rule = typeof trap.event === 'string' ? { event: trap.event }
    : (trap.event ?? []).find((candidate) => matches(candidate, values));
  const name = rule?.event ?? trap.name;
  const severity = rule?.severity ?? trap.severity ?? SEVERITY[name] ?? 'info';
  if (trap.fahrenheitWhen && String(values[trap.fahrenheitWhen.field]) === trap.fahrenheitWhen.is) {
    for (const role of ['value', 'thresholdHigh', 'thresholdLow'] as const) {
      if (typeof values[role] === 'number') values[role] = toCelsius(values[role] as number);
    }
  }
  const deviceName = device ?? (values.device !== undefined ? String(values.device) : notification.source.address);
  const event: DeviceEvent = { event: name, severity, device: deviceName, source: 'trap', text: '' };
  const subject = trap.subject ?? 'device';
  if (subject === 'outlet') {
    const outlet = compact({
      index: asNumber(values.outletIndex),
      id: values.outletId !== undefined ? String(values.outletId) : undefined,
      name: values.outletName !== undefined ? String(values.outletName) : undefined,
    });
    if (Object.keys(outlet).length) event.outlet = outlet;
  } else if (subject !== 'device') {
    const sensor = compact({
      index: asNumber(values.sensorIndex),
      name: values.sensorName !== undefined ? String(values.sensorName) : values.sensorId !== undefined ? String(values.sensorId) : undefined,
      type: sensorType(subject, values),
    });
    if (Object.keys(sensor).length) event.sensor = sensor;
  }
  if (values.value !== undefined) event.value = values.value;
  else if ((name === 'moduleError' || name === 'moduleNormal') && values.status !== undefined) event.value = values.status;
  const threshold = name.endsWith('High') ? values.thresholdHigh : name.endsWith('Low') ? values.thresholdLow : undefined;
  if (typeof threshold === 'number') event.threshold = threshold;
  event.text = eventText(event, {
    trapName: trap.name,
    unit: unitFor(trap, name, subject),
    vendorText: values.text !== undefined ? String(values.text) : undefined,
  });
  return event;
}

function unknownEvent(name: string, device: string): DeviceEvent {
  const event: DeviceEvent = { event: name, severity: 'warning', device, source: 'trap', text: '' };
  event.text = eventText(event, { trapName: name });
  return event;
}

function sensorType(subject: SubjectKind, values: Values): string | undefined {
  if (subject === 'temperature' || subject === 'humidity' || subject === 'input') return subject;
  return values.sensorType !== undefined ? String(values.sensorType) : undefined;
}

function unitFor(trap: TrapDefinition, event: string, subject: SubjectKind): string | undefined {
  if (trap.fields?.value?.unit) return trap.fields.value.unit;
  if (/^(load|inputLoad)/.test(event) || subject === 'input') return 'A';
  if (event.startsWith('temperature') || subject === 'temperature') return '°C';
  if (event.startsWith('humidity') || subject === 'humidity') return '%';
  return undefined;
}

function asNumber(value: string | number | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  return Number.isFinite(number) ? number : undefined;
}

function compact<T extends Record<string, unknown>>(object: T): Partial<T> {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as Partial<T>;
}
