import * as snmp from 'net-snmp';
import type { DeviceEvent, Severity } from '../types';

// RACK-POWER-MIB (mibs/RACK-POWER-MIB.txt) in code: the OIDs pdu-trap-out sends and how an event
// becomes varbinds. The arc is an EXAMPLE (enterprises 99999), not a registered Private
// Enterprise Number: replace it here and in the MIB file together once the project has its own.

export const RACK_POWER_ARC = '1.3.6.1.4.1.99999';
const NOTIFICATIONS = `${RACK_POWER_ARC}.0`;
const OBJECTS = `${RACK_POWER_ARC}.1`;

/** One notification per severity, so that an NMS can filter on the trap OID alone. */
export const NOTIFICATION_OIDS: Record<Severity, string> = {
  info: `${NOTIFICATIONS}.1`,
  warning: `${NOTIFICATIONS}.2`,
  critical: `${NOTIFICATIONS}.3`,
};

/** The event objects, by their MIB name; each is sent with instance .0. */
export const EVENT_OBJECTS = {
  rpEventName: `${OBJECTS}.1`,
  rpEventSeverity: `${OBJECTS}.2`,
  rpEventDevice: `${OBJECTS}.3`,
  rpEventSource: `${OBJECTS}.4`,
  rpEventOutletIndex: `${OBJECTS}.5`,
  rpEventOutletId: `${OBJECTS}.6`,
  rpEventOutletName: `${OBJECTS}.7`,
  rpEventSensorIndex: `${OBJECTS}.8`,
  rpEventSensorName: `${OBJECTS}.9`,
  rpEventSensorType: `${OBJECTS}.10`,
  rpEventValue: `${OBJECTS}.11`,
  rpEventThreshold: `${OBJECTS}.12`,
  rpEventText: `${OBJECTS}.13`,
} as const;

export type EventObject = keyof typeof EVENT_OBJECTS;

const SEVERITY_CODES: Record<Severity, number> = { info: 1, warning: 2, critical: 3 };
/** `stream`: the event stream's own notice (pdu-events' eventsDropped), about no device. */
export type NotifiedSource = DeviceEvent['source'] | 'stream';
const SOURCE_CODES: Record<NotifiedSource, number> = { trap: 1, poll: 2, nut: 3, command: 4, stream: 5 };

/** RpText is at most 255 octets of UTF-8: longer text is cut at a character boundary, with an ellipsis. */
export const MAX_TEXT_OCTETS = 255;

export function rpText(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= MAX_TEXT_OCTETS) return bytes;
  const ellipsis = Buffer.from('…', 'utf8');
  let end = MAX_TEXT_OCTETS - ellipsis.length;
  // A UTF-8 continuation byte is 10xxxxxx: step back to the start of its character.
  while (end > 0 && (bytes[end] & 0xc0) === 0x80) end -= 1;
  return Buffer.concat([bytes.subarray(0, end), ellipsis]);
}

const text = (name: EventObject, value: string): snmp.Varbind => (
  { oid: `${EVENT_OBJECTS[name]}.0`, type: snmp.ObjectType.OctetString, value: rpText(value) });
const integer = (name: EventObject, value: number): snmp.Varbind => (
  { oid: `${EVENT_OBJECTS[name]}.0`, type: snmp.ObjectType.Integer, value });

/**
 * The notification for an event: its OID (by severity) and varbinds. The five the MIB's OBJECTS
 * clause names come first, in its order; the outlet, sensor, value and threshold follow only
 * when the event has them (SMIv2 lets a notification carry more varbinds after its OBJECTS).
 */
export function eventNotification(event: DeviceEvent): { oid: string; varbinds: snmp.Varbind[] } {
  const varbinds = [
    text('rpEventName', event.event),
    integer('rpEventSeverity', SEVERITY_CODES[event.severity]),
    text('rpEventDevice', event.device),
    integer('rpEventSource', SOURCE_CODES[event.source as NotifiedSource]),
    text('rpEventText', event.text),
  ];
  const { outlet, sensor } = event;
  if (outlet?.index !== undefined) varbinds.push(integer('rpEventOutletIndex', outlet.index));
  if (outlet?.id !== undefined) varbinds.push(text('rpEventOutletId', outlet.id));
  if (outlet?.name !== undefined) varbinds.push(text('rpEventOutletName', outlet.name));
  if (sensor?.index !== undefined) varbinds.push(integer('rpEventSensorIndex', sensor.index));
  if (sensor?.name !== undefined) varbinds.push(text('rpEventSensorName', sensor.name));
  if (sensor?.type !== undefined) varbinds.push(text('rpEventSensorType', sensor.type));
  if (event.value !== undefined) varbinds.push(text('rpEventValue', String(event.value)));
  if (event.threshold !== undefined) varbinds.push(text('rpEventThreshold', String(event.threshold)));
  return { oid: NOTIFICATION_OIDS[event.severity], varbinds };
}
