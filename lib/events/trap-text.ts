import type { DeviceEvent } from '../types';

// One readable line per event, as an operator would write it in an alert:
// `rack-12: outlet .A3 (web-03) turned off`, `ups-1: on battery (12 min left)`.

const OUTLET: Record<string, string> = {
  outletOn: 'turned on', outletOff: 'turned off', outletReboot: 'rebooting',
  moduleError: 'module error', moduleNormal: 'module back to normal',
};
const LEVELS: Record<string, [string, string]> = {
  load: ['load', 'outlet'], inputLoad: ['load', 'input'], temperature: ['temperature', 'sensor'], humidity: ['humidity', 'sensor'],
};
const DEVICE: Record<string, string> = {
  deviceStart: 'device started', commLost: 'communication lost', commRestored: 'communication restored',
  ONBATT: 'on battery', ONLINE: 'back on line power', LOWBATT: 'battery low', FSD: 'forced shutdown',
  SHUTDOWN: 'shutting down', COMMBAD: 'communication with the UPS lost', COMMOK: 'communication with the UPS restored',
  NOCOMM: 'UPS not reachable', REPLBATT: 'battery needs replacing', OVER: 'overloaded', NOTOVER: 'no longer overloaded',
  BYPASS: 'on bypass', NOTBYPASS: 'off bypass', OFF: 'output off', NOTOFF: 'output on', BOOST: 'boosting low input voltage',
  NOTBOOST: 'no longer boosting', TRIM: 'trimming high input voltage', NOTTRIM: 'no longer trimming',
};

export interface TextContext {
  trapName: string;
  unit?: string;
  /** The vendor's own message in the trap (APC's mtrapargsString, ServerTech's event text). */
  vendorText?: string;
}

export function eventText(event: DeviceEvent, context: TextContext): string {
  const reading = (value: unknown): string => (context.unit ? `${value} ${context.unit}` : String(value));
  let line: string;
  const level = /^(load|inputLoad|temperature|humidity)(High|Low|Normal)$/.exec(event.event);
  if (OUTLET[event.event]) {
    line = `${outletLabel(event)} ${OUTLET[event.event]}${event.value !== undefined && event.event.startsWith('module') ? ` (${event.value})` : ''}`;
  } else if (level) {
    const [what, kind] = LEVELS[level[1]];
    const subject = kind === 'outlet' ? outletLabel(event) : sensorLabel(event, kind);
    const state = level[2] === 'Normal' ? 'back to normal' : level[2].toLowerCase();
    line = `${subject} ${what} ${state}`;
    if (event.value !== undefined) line += `: ${reading(event.value)}`;
    if (event.threshold !== undefined) line += ` (limit ${reading(event.threshold)})`;
  } else if (DEVICE[event.event]) {
    line = DEVICE[event.event];
    if (event.value !== undefined) line += ` (${reading(event.value)})`;
  } else {
    // A trap we have no event name for: its MIB name (or OID) and what it is about.
    line = `trap ${context.trapName}`;
    if (event.outlet) line += ` for ${outletLabel(event)}`;
    else if (event.sensor) line += ` for ${sensorLabel(event, event.sensor.type ? `${event.sensor.type} sensor` : 'sensor')}`;
  }
  const vendor = context.vendorText?.trim();
  if (vendor && !line.includes(vendor)) line += ` (${vendor})`;
  return `${event.device}: ${line}`;
}

function outletLabel(event: DeviceEvent): string {
  const outlet = event.outlet ?? {};
  const id = outlet.id ?? (outlet.index !== undefined ? String(outlet.index) : undefined);
  if (!id) return `outlet ${outlet.name ?? '(unnamed)'}`;
  return `outlet ${id}${outlet.name && outlet.name !== id ? ` (${outlet.name})` : ''}`;
}

function sensorLabel(event: DeviceEvent, word: string): string {
  const sensor = event.sensor ?? {};
  const label = sensor.name ?? (sensor.index !== undefined ? String(sensor.index) : undefined);
  return label ? `${word} ${label}` : word;
}
