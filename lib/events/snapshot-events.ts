import type { DeviceEvent, ModuleStatus, OutletReading, Snapshot } from '../types';

const MODULE_TEXT: Record<ModuleStatus, string> = {
  normal: 'normal',
  noResponse: 'not responding',
  onFail: 'on-sense failure (set on, no power out)',
  offFail: 'off failure (set off, power still out)',
};

/**
 * Events from two consecutive snapshots: an outlet turned on or off, a module failed or
 * recovered. The first snapshot has nothing to compare with and yields none.
 */
export function snapshotEvents(previous: Snapshot | undefined, next: Snapshot, device: string): DeviceEvent[] {
  if (!previous) return [];
  const before = new Map(previous.outlets.map((outlet) => [outlet.index, outlet]));
  const events: DeviceEvent[] = [];
  for (const outlet of next.outlets) {
    const old = before.get(outlet.index);
    if (!old) continue;
    if (old.state !== outlet.state && outlet.state !== 'unknown') {
      events.push(event(outlet.state === 'on' ? 'outletOn' : 'outletOff', 'info', device, outlet,
        `outlet ${label(outlet)} turned ${outlet.state}`));
    }
    const module = outlet.module ?? 'normal';
    if ((old.module ?? 'normal') !== module) {
      events.push(module === 'normal'
        ? event('moduleNormal', 'info', device, outlet, `outlet ${label(outlet)} module back to normal`)
        : event('moduleError', 'critical', device, outlet, `outlet ${label(outlet)} module ${MODULE_TEXT[module]}`, module));
    }
  }
  return events;
}

/** The device stopped answering polls, or answers again. */
export function connectionEvent(lost: boolean, device: string, reason: string): DeviceEvent {
  return {
    event: lost ? 'commLost' : 'commRestored',
    severity: lost ? 'critical' : 'info',
    device,
    source: 'poll',
    text: lost ? `${device}: communication lost (${reason})` : `${device}: communication restored`,
  };
}

/**
 * What an operator cares about in a snapshot, as one comparable string: states, module statuses,
 * and readings at their display resolution (0.1 A, 1 W, 0.1 °C, 0.1 %), so that sensor noise
 * below it does not count as a change. Keep the last one to compare the next with.
 */
export function snapshotFingerprint(snapshot: Snapshot): string {
  const round = (value: number | undefined, step: number): string => (value === undefined ? '-' : String(Math.round(value / step)));
  return JSON.stringify([
    snapshot.outlets.map((o) => [o.index, o.state, o.module ?? '', round(o.current, 0.1), round(o.power, 1)]),
    snapshot.inputs.map((i) => [i.index, round(i.current, 0.1), round(i.power, 1), round(i.voltage, 1)]),
    snapshot.sensors.map((s) => [s.type, s.index, round(s.value, 0.1)]),
  ]);
}

function label(outlet: OutletReading): string {
  return `${outlet.index}${outlet.name ? ` (${outlet.name})` : ''}`;
}

function event(name: string, severity: DeviceEvent['severity'], device: string, outlet: OutletReading,
  text: string, value?: string): DeviceEvent {
  return {
    event: name,
    severity,
    device,
    source: 'poll',
    outlet: { index: outlet.index, id: outlet.id, name: outlet.name },
    ...(value ? { value } : {}),
    text: `${device}: ${text}`,
  };
}
