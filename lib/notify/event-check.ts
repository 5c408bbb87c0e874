import type { DeviceEvent } from '../types';

// What pdu-trap-out accepts as an event: the DeviceEvent shape pdu-status, pdu-trap-in and
// ups-nut send. Anything else is refused with what is wrong, never sent half-filled to an NMS.

const SEVERITIES = ['info', 'warning', 'critical'];
const SOURCES = ['trap', 'poll', 'nut', 'command', 'stream'];
const MAX_INDEX = 2147483647;

/** The payload as an event, or an Error saying which field is missing or wrong. */
export function checkEvent(payload: unknown): DeviceEvent {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw new Error(`not an event: msg.payload is ${describe(payload)}, expected { event, severity, device, source, text }`);
  }
  const event = payload as Record<string, unknown>;
  for (const field of ['event', 'device', 'text']) {
    if (typeof event[field] !== 'string' || (field !== 'text' && event[field] === '')) {
      throw new Error(`not an event: msg.payload.${field} is ${describe(event[field])}, expected a${field === 'text' ? '' : ' non-empty'} string`);
    }
  }
  if (!SEVERITIES.includes(event.severity as string)) {
    throw new Error(`not an event: msg.payload.severity is ${describe(event.severity)}, expected info, warning or critical`);
  }
  if (!SOURCES.includes(event.source as string)) {
    throw new Error(`not an event: msg.payload.source is ${describe(event.source)}, expected trap, poll, nut, command or stream`);
  }
  checkPart(event.outlet, 'outlet', ['id', 'name']);
  checkPart(event.sensor, 'sensor', ['name', 'type']);
  if (event.value !== undefined && typeof event.value !== 'string' && !Number.isFinite(event.value)) {
    throw new Error(`msg.payload.value is ${describe(event.value)}, expected a number or a string`);
  }
  if (event.threshold !== undefined && !Number.isFinite(event.threshold)) {
    throw new Error(`msg.payload.threshold is ${describe(event.threshold)}, expected a number`);
  }
  return event as unknown as DeviceEvent;
}

function checkPart(part: unknown, name: string, texts: string[]): void {
  if (part === undefined) return;
  if (typeof part !== 'object' || part === null) throw new Error(`msg.payload.${name} is ${describe(part)}, expected an object`);
  const fields = part as Record<string, unknown>;
  const index = fields.index;
  if (index !== undefined && !(Number.isInteger(index) && (index as number) >= 0 && (index as number) <= MAX_INDEX)) {
    throw new Error(`msg.payload.${name}.index is ${describe(index)}, expected a whole number from 0`);
  }
  for (const field of texts) {
    if (fields[field] !== undefined && typeof fields[field] !== 'string') {
      throw new Error(`msg.payload.${name}.${field} is ${describe(fields[field])}, expected a string`);
    }
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return value === '' ? 'empty' : `the string "${value.length > 30 ? `${value.slice(0, 29)}…` : value}"`;
  if (typeof value === 'number') return `the number ${value}`;
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
