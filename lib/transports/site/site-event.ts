import type { DeviceEvent, Severity } from '../../types';

const SEVERITIES: readonly Severity[] = ['info', 'warning', 'critical'];
const SOURCES: ReadonlyArray<DeviceEvent['source']> = ['trap', 'poll', 'nut', 'command'];
/**
 * The site's own connection to the device: the hub's Device already follows it (the
 * availability topic), and its streams say commLost and commRestored from that.
 */
const CONNECTION_EVENTS = new Set(['commLost', 'commRestored']);
/** Longest event name and text kept from a site; a longer text is cut, a longer name refused. */
const MAX_NAME = 128;
export const MAX_TEXT = 1000;

/** A site's text as the hub keeps it: at most MAX_TEXT characters, a longer one cut with an ellipsis. */
export function cutText(text: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text;
}

/**
 * An event a site published for its device, as the hub's DeviceEvent; undefined for one that is
 * not an event (a field missing or of the wrong kind) or that the hub says itself. Only the
 * known fields are kept, each checked, so a site cannot put anything else into the hub's stream.
 */
export function siteEvent(body: Record<string, unknown>, site: string, device: string): DeviceEvent | undefined {
  const { event, severity, source, text } = body;
  if (typeof event !== 'string' || event.length === 0 || event.length > MAX_NAME || CONNECTION_EVENTS.has(event)) return undefined;
  if (!SEVERITIES.includes(severity as Severity) || !SOURCES.includes(source as DeviceEvent['source'])) return undefined;
  if (typeof text !== 'string') return undefined;
  const result: DeviceEvent = {
    event, severity: severity as Severity, device, source: source as DeviceEvent['source'],
    text: cutText(text),
    site: { name: site, device },
  };
  const outlet = part(body.outlet, { index: 'number', id: 'string', name: 'string' });
  if (outlet) result.outlet = outlet;
  const sensor = part(body.sensor, { index: 'number', name: 'string', type: 'string' });
  if (sensor) result.sensor = sensor;
  if (typeof body.value === 'number' || (typeof body.value === 'string' && body.value.length <= MAX_NAME)) result.value = body.value;
  if (typeof body.threshold === 'number') result.threshold = body.threshold;
  return result;
}

/** The listed fields of an object that have the listed kinds (short strings only). */
function part(value: unknown, fields: Record<string, 'number' | 'string'>): Record<string, never> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const kept: Record<string, unknown> = {};
  for (const [name, kind] of Object.entries(fields)) {
    const field = (value as Record<string, unknown>)[name];
    if (typeof field === kind && (kind === 'number' ? Number.isFinite(field) : (field as string).length <= MAX_TEXT)) kept[name] = field;
  }
  return Object.keys(kept).length > 0 ? kept as Record<string, never> : undefined;
}
