import type { PowerAction } from '../types';
import { jsonObject } from './json';
import type { ProbeTarget } from '../device/probe';
import type { TargetSpec } from '../device/targets';

// A power command that reaches a site over the broker, checked before anything is done with it.
// The broker may deliver a QoS 1 message twice, and hold one for an offline site for hours: each
// command carries an id (a second delivery gets the first answer, never a second run) and an
// expiry (a command that arrives late is refused, never run late).

/** A command's payload is small; anything larger is not one of ours. */
export const MAX_COMMAND_BYTES = 8 * 1024;
/** How far ahead an expiry may be: a command is for now, not for a day the hub cannot foresee. */
export const MAX_COMMAND_LIFETIME_MS = 10 * 60_000;

export interface SiteCommand {
  /** Unique per command (the requester's choice, 1-64 printable characters). */
  id: string;
  action: PowerAction;
  /** Outlets as pdu-outlet takes them: names, ids, numbers, groups, or `all`. */
  outlets: TargetSpec;
  /** Epoch ms after which the command must not run. */
  expires: number;
  /** `all` needs the requester to say so, and the site to allow it for the device. */
  allowAll: boolean;
  verify: boolean;
  /** MQTT 3.1.1 has no response topic: the requester names one here (under the site's reply space). */
  replyTo?: string;
  /** Who asked, for the audit trail (a name, never a credential). */
  requester?: string;
  /** The outlets' names as the requester knew them: a name that moved refuses the command. */
  expect?: Array<{ index: number; name: string }>;
  /** The appliance on the outlets: the site probes it right before the off, from where it is reachable. */
  probe?: ProbeTarget;
}

export class CommandRefused extends Error {
  constructor(message: string, readonly code: string) {
    super(message);
    this.name = 'CommandRefused';
  }
}

const ACTIONS: readonly PowerAction[] = ['on', 'off', 'reboot'];

function printable(value: unknown, max: number): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= max && !/[\u0000-\u001f\u007f]/.test(value);
}

function checkTargets(value: unknown): TargetSpec {
  const fine = (item: unknown) => (typeof item === 'number' && Number.isInteger(item) && item > 0)
    || printable(item, 128);
  if (fine(value)) return value as TargetSpec;
  if (Array.isArray(value) && value.length > 0 && value.length <= 512 && value.every(fine)) return value as TargetSpec;
  throw new CommandRefused('"outlets" must be an outlet name, id or number, a group, "all", or a list of them', 'bad-command');
}

function checkExpect(value: unknown): SiteCommand['expect'] {
  if (value === undefined) return undefined;
  const fine = (item: unknown) => !!item && typeof item === 'object' && Number.isInteger((item as { index: unknown }).index)
    && typeof (item as { name: unknown }).name === 'string' && (item as { name: string }).name.length <= 256;
  if (!Array.isArray(value) || value.length > 512 || !value.every(fine)) {
    throw new CommandRefused('"expect" must be a list of { index, name }', 'bad-command');
  }
  return value.map(({ index, name }) => ({ index, name }));
}

function checkProbe(value: unknown): ProbeTarget | undefined {
  if (value === undefined) return undefined;
  const probe = value as { host?: unknown; port?: unknown; timeout?: unknown };
  const whole = (item: unknown, min: number, max: number) => item === undefined
    || (typeof item === 'number' && Number.isInteger(item) && item >= min && item <= max);
  if (!probe || typeof probe !== 'object' || !printable(probe.host, 253) || /\s/.test(probe.host)
    || !whole(probe.port, 1, 65535) || !whole(probe.timeout, 100, 10_000)) {
    throw new CommandRefused('"probe" must be { host, port? (1-65535), timeout? (100-10000 ms) }', 'bad-command');
  }
  return { host: probe.host, ...(probe.port !== undefined ? { port: probe.port as number } : {}),
    ...(probe.timeout !== undefined ? { timeout: probe.timeout as number } : {}) };
}

/**
 * The command in a payload, or the reason it is refused. The id is returned with the refusal
 * when it could be read, so that even a refusal reaches the requester that is waiting for it.
 */
export function parseCommand(payload: Buffer, now: number): { command: SiteCommand } | { error: CommandRefused; id?: string; replyTo?: string } {
  if (payload.length > MAX_COMMAND_BYTES) {
    return { error: new CommandRefused(`a command of ${payload.length} bytes is larger than ${MAX_COMMAND_BYTES}: refused unread`, 'bad-command') };
  }
  const body: Record<string, unknown> | undefined = jsonObject(payload);
  if (!body) return { error: new CommandRefused('a command must be a JSON object', 'bad-command') };
  const id = printable(body.id, 64) ? body.id : undefined;
  const replyTo = printable(body.replyTo, 256) ? body.replyTo : undefined;
  try {
    if (!id) throw new CommandRefused('a command needs an "id" (1-64 printable characters)', 'bad-command');
    if (!ACTIONS.includes(body.action as PowerAction)) {
      throw new CommandRefused(`"action" must be one of ${ACTIONS.join(', ')}`, 'bad-command');
    }
    const outlets = checkTargets(body.outlets);
    const expires = body.expires;
    if (typeof expires !== 'number' || !Number.isFinite(expires)) {
      throw new CommandRefused('a command needs "expires" (epoch milliseconds after which it must not run)', 'bad-command');
    }
    if (expires <= now) {
      throw new CommandRefused(`command ${id} expired ${new Date(expires).toISOString()}, before it arrived: not run`, 'expired');
    }
    if (expires - now > MAX_COMMAND_LIFETIME_MS) {
      throw new CommandRefused(`command ${id} expires more than ${MAX_COMMAND_LIFETIME_MS / 60_000} minutes ahead: `
        + 'refused (a command is for now; check the clocks of the hub and the site)', 'bad-command');
    }
    if (body.allowAll !== undefined && typeof body.allowAll !== 'boolean') throw new CommandRefused('"allowAll" must be true or false', 'bad-command');
    if (body.verify !== undefined && typeof body.verify !== 'boolean') throw new CommandRefused('"verify" must be true or false', 'bad-command');
    if (body.replyTo !== undefined && !replyTo) throw new CommandRefused('"replyTo" must be a topic', 'bad-command');
    if (body.requester !== undefined && !printable(body.requester, 128)) throw new CommandRefused('"requester" must be a short name', 'bad-command');
    const expect = checkExpect(body.expect);
    const probe = checkProbe(body.probe);
    return {
      command: {
        id, action: body.action as PowerAction, outlets, expires,
        allowAll: body.allowAll === true, verify: body.verify !== false, replyTo,
        requester: body.requester as string | undefined,
        ...(expect ? { expect } : {}),
        ...(probe ? { probe } : {}),
      },
    };
  } catch (error) {
    return { error: error as CommandRefused, id, replyTo };
  }
}

/** The most commands one site remembers at once (each for its lifetime): beyond it, new ones are refused. */
export const MAX_REMEMBERED_COMMANDS = 10_000;

/**
 * The commands a site has seen, each until its expiry: a command seen again is answered with the
 * first run's outcome (awaited if it is still running), never run twice. Bounded: when full of
 * unexpired commands, a new one is refused, since forgetting one could let it run twice.
 */
export class CommandLedger<Outcome> {
  private readonly seen = new Map<string, { expires: number; outcome: Promise<Outcome> }>();

  constructor(private readonly limit = MAX_REMEMBERED_COMMANDS) {}

  get size(): number { return this.seen.size; }

  /** The first run's outcome for this id, or a new run of `start`. */
  once(id: string, expires: number, now: number, start: () => Promise<Outcome>): { outcome: Promise<Outcome>; repeated: boolean } {
    const known = this.seen.get(id);
    if (known) return { outcome: known.outcome, repeated: true };
    // Expired entries are harmless (an expired command is refused before it gets here): they are
    // cleared only when room is needed, one pass over a bounded map.
    if (this.seen.size >= this.limit) this.forgetExpired(now);
    if (this.seen.size >= this.limit) {
      throw new CommandRefused(`more than ${this.limit} commands are remembered at this site: command ${id} refused, `
        + 'try again when older ones have expired', 'busy');
    }
    const outcome = start();
    this.seen.set(id, { expires, outcome });
    return { outcome, repeated: false };
  }

  private forgetExpired(now: number): void {
    for (const [id, entry] of this.seen) if (entry.expires < now) this.seen.delete(id);
  }
}
