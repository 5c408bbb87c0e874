import type { AuditRecord } from '../device/device';
import type { ConnectionState, DeviceEvent, Severity } from '../types';

/**
 * Which of the event stream's sources an event came from. `source` keeps the DeviceEvent
 * vocabulary (trap, poll, nut, command) so that pdu-trap-out and pdu-site take every stream
 * event as it is; `origin` is the finer split the stream filters on.
 */
export type EventOrigin = 'poll' | 'trap' | 'ups' | 'connection' | 'audit' | 'device';

export const ORIGINS: readonly EventOrigin[] = ['poll', 'trap', 'ups', 'connection', 'audit', 'device'];

/** One event of the stream: a DeviceEvent with when it happened and where it came from. */
export interface StreamEvent extends DeviceEvent {
  /** When the stream received it (ISO 8601). */
  time: string;
  origin: EventOrigin;
  /** Audit events: the whole record (who, what, which outlets, before/after, verified, duration). */
  audit?: AuditRecord;
}

const ORIGIN_OF: Record<DeviceEvent['source'], EventOrigin> = { poll: 'poll', trap: 'trap', nut: 'ups', command: 'device' };

/** A node's event (poll, trap, UPS) or a device-raised one, as a stream event. */
export function streamEvent(event: DeviceEvent, now = new Date()): StreamEvent {
  return { ...event, time: now.toISOString(), origin: ORIGIN_OF[event.source] ?? 'poll' };
}

/** A power command's audit record as an event: failed commands are warnings, the rest information. */
export function auditEvent(record: AuditRecord, now = new Date()): StreamEvent {
  const who = record.requester.name ? `${record.requester.name} (${record.requester.id})` : record.requester.id;
  const outlets = record.outlets.map(({ index, name }) => (name ? `${index} (${name})` : String(index))).join(', ') || 'no outlet';
  const verified = record.result ? record.result.outlets.filter((outlet) => outlet.verified).length : 0;
  const outcome = record.ok
    ? `ok, ${verified}/${record.result?.outlets.length ?? 0} verified`
    : `failed: ${record.error ?? 'unknown error'}`;
  const [only] = record.outlets;
  return {
    event: 'powerCommand',
    severity: record.ok ? 'info' : 'warning',
    device: record.device,
    source: 'command',
    ...(record.outlets.length === 1 ? { outlet: { index: only.index, id: only.id, name: only.name } } : {}),
    value: record.action,
    text: `${who} ${record.action}${record.forced ? ' (forced)' : ''} outlet${record.outlets.length === 1 ? '' : 's'} ${outlets} `
      + `on ${record.device}: ${outcome} in ${record.durationMs} ms`,
    time: now.toISOString(),
    origin: 'audit',
    audit: record,
    // A command made at another site, reported by its hub's remote device: where it ran.
    ...(record.site ? { site: record.site } : {}),
  };
}

/**
 * A device's connection changes as events: the first connection, its loss, its return. Repeated
 * states and `connecting` say nothing new. One tracker per stream, across its devices.
 */
export class ConnectionEvents {
  private readonly reachable = new Map<string, boolean>();

  change(device: string, state: ConnectionState, text: string, now = new Date()): StreamEvent | undefined {
    const was = this.reachable.get(device);
    let event: Pick<DeviceEvent, 'event' | 'severity' | 'text'> | undefined;
    if (state === 'connected') {
      this.reachable.set(device, true);
      if (was === false) event = { event: 'commRestored', severity: 'info', text: `${device}: communication restored${text ? ` (${text})` : ''}` };
      else if (was === undefined) event = { event: 'connected', severity: 'info', text: `${device}: connected${text ? ` (${text})` : ''}` };
    } else if (state === 'disconnected' || state === 'error') {
      this.reachable.set(device, false);
      if (was !== false) event = { event: 'commLost', severity: 'critical', text: `${device}: communication lost${text ? ` (${text})` : ''}` };
    }
    return event && { ...event, device, source: 'poll', time: now.toISOString(), origin: 'connection' };
  }
}

export const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };
