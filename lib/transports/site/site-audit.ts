import type { AuditRecord, OutletResult } from '../../device/device';
import type { OutletState, PowerAction } from '../../types';
import { cutText } from './site-event';

const ACTIONS: readonly PowerAction[] = ['on', 'off', 'reboot'];
const STATES: readonly OutletState[] = ['on', 'off', 'unknown'];
/** Most outlets kept from one record. */
const MAX_OUTLETS = 1024;

/**
 * A power command's record a site published for its device, as the hub's AuditRecord; undefined
 * for one that is not a record. Only the known fields are kept, each checked, so a site cannot
 * put anything else into the hub's stream (and its event log).
 */
export function siteAudit(body: Record<string, unknown>, site: string, device: string): AuditRecord | undefined {
  const { at, requester, action, forced, ok, durationMs } = body;
  if (typeof at !== 'string' || at.length > 64 || !ACTIONS.includes(action as PowerAction)) return undefined;
  if (typeof forced !== 'boolean' || typeof ok !== 'boolean' || typeof durationMs !== 'number' || !Number.isFinite(durationMs)) return undefined;
  const who = requester as { id?: unknown; name?: unknown } | undefined;
  if (typeof who !== 'object' || who === null || typeof who.id !== 'string') return undefined;
  const outlets = outletList(body.outlets);
  if (!outlets) return undefined;
  const record: AuditRecord = {
    at, device, action: action as PowerAction, forced, ok, durationMs, outlets,
    requester: { id: cutText(who.id), ...(typeof who.name === 'string' ? { name: cutText(who.name) } : {}) },
    site: { name: site, device },
  };
  if (typeof body.error === 'string') record.error = cutText(body.error);
  const result = body.result as Record<string, unknown> | undefined;
  const results = result && typeof result === 'object' ? outletResults(result.outlets) : undefined;
  if (results) {
    record.result = {
      action: record.action, device, outlets: results, locked: outletList(result!.locked) ?? [],
      changed: typeof result!.changed === 'number' ? result!.changed : 0,
      durationMs: typeof result!.durationMs === 'number' ? result!.durationMs : durationMs,
    };
  }
  return record;
}

function outletList(value: unknown): AuditRecord['outlets'] | undefined {
  if (!Array.isArray(value) || value.length > MAX_OUTLETS) return undefined;
  const outlets: AuditRecord['outlets'] = [];
  for (const outlet of value as Array<Record<string, unknown>>) {
    if (typeof outlet !== 'object' || outlet === null || typeof outlet.index !== 'number' || !Number.isInteger(outlet.index)) return undefined;
    outlets.push({ index: outlet.index, id: cutText(String(outlet.id ?? '')), name: cutText(String(outlet.name ?? '')) });
  }
  return outlets;
}

function outletResults(value: unknown): OutletResult[] | undefined {
  const outlets = outletList(value);
  if (!outlets) return undefined;
  return outlets.map((outlet, position) => {
    const given = (value as Array<Record<string, unknown>>)[position];
    return {
      ...outlet,
      before: STATES.includes(given.before as OutletState) ? given.before as OutletState : 'unknown',
      after: STATES.includes(given.after as OutletState) ? given.after as OutletState : 'unknown',
      verified: given.verified === true,
    };
  });
}
