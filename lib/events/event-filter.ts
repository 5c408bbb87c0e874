import { ORIGINS, SEVERITY_RANK, type EventOrigin, type StreamEvent } from './stream-event';
import type { Severity } from '../types';

/** What a pdu-events node lets through; every part empty means everything. */
export interface EventFilterSpec {
  /** The least severity that passes: info (all), warning or critical. */
  severity?: string;
  /** Event names, comma or space separated; `*` stands for any run of characters, `?` for one. */
  events?: string;
  /** The origins that pass (poll, trap, ups, connection, audit, device); none: all. */
  origins?: string[] | string;
}

/**
 * The filter as a function, checked once at deploy: a mistake (an unknown severity or origin, a
 * name with characters no event has) is an Error that says which and what is allowed.
 */
export function eventFilter(spec: EventFilterSpec): (event: StreamEvent) => boolean {
  const severity = (spec.severity || 'info') as Severity;
  if (!(severity in SEVERITY_RANK)) throw new Error(`minimum severity "${spec.severity}" is not info, warning or critical`);
  const least = SEVERITY_RANK[severity];
  const names = namePatterns(spec.events ?? '');
  const listed = (Array.isArray(spec.origins) ? spec.origins : String(spec.origins ?? '').split(/[\s,]+/)).map((origin) => origin.trim()).filter(Boolean);
  for (const origin of listed) {
    if (!ORIGINS.includes(origin as EventOrigin)) throw new Error(`event source "${origin}" is not one of ${ORIGINS.join(', ')}`);
  }
  const origins = new Set(listed);
  return (event) => SEVERITY_RANK[event.severity] >= least
    && (origins.size === 0 || origins.has(event.origin))
    && (names === undefined || names.test(event.event));
}

/** `outlet*, commLost` as one anchored expression; undefined when no name is given. */
function namePatterns(text: string): RegExp | undefined {
  const patterns = text.split(/[\s,]+/).map((name) => name.trim()).filter(Boolean);
  if (patterns.length === 0) return undefined;
  for (const pattern of patterns) {
    if (!/^[\w.:*?-]+$/.test(pattern)) {
      throw new Error(`event name "${pattern}" may only hold letters, digits, . : _ - and the wildcards * and ?`);
    }
  }
  const alternatives = patterns.map((pattern) => pattern.replace(/[.]/g, '\\.').replace(/\*/g, '.*').replace(/\?/g, '.'));
  return new RegExp(`^(?:${alternatives.join('|')})$`);
}
