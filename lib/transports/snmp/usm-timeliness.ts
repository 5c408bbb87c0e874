import { performance } from 'perf_hooks';

// RFC 3414 section 3.2 step 7: an authenticated v3 message must be timely. Without this check a
// captured authPriv trap could be sent again at any later moment and be believed (net-snmp's
// receiver does none: it has no notion of the senders' clocks, and its own engine's boots and
// time stand still at 0 and 10).
//
// - Traps: the sender is authoritative. We keep its latest boots and time, per engine, learnt from
//   authenticated messages only (an unauthenticated one could push the clock forward and shut the
//   real device out). Outside the window: boots lower than the latest, or equal boots and a time
//   more than 150 s behind our notion of the sender's clock (its latest time plus what elapsed here).
// - Informs: we are authoritative (our engine ID, boots and time). Outside the window: other boots,
//   or a time more than 150 s from ours either way; the sender gets a usmStatsNotInTimeWindows
//   report with our boots and time, and resynchronises.
// - Inside the window, an exact copy of a message already accepted (the same HMAC) is a replay.
//   Each digest is remembered for as long as its message could still be inside the window.
//
// All of it is bounded: engines least recently heard from are forgotten beyond a limit (their next
// message is then accepted as a first one, as after a restart of ours), and so are the oldest
// digests of an engine beyond its limit.

export const TIME_WINDOW_SECONDS = 150;
const MAX_BOOTS = 2147483647;
/** How long a digest is remembered: its message cannot be inside the window for longer. */
const DIGEST_MS = (TIME_WINDOW_SECONDS + 10) * 1000;

export type Timeliness = { ok: true } | { ok: false; reason: 'timeWindow' | 'replay'; detail: string };

interface EngineState {
  boots: number;
  /** The latest engine time received at these boots, and when (ms, monotonic). */
  latestTime: number;
  receivedAt: number;
  /** Digest (hex) -> when it may be forgotten. Insertion order is arrival order. */
  digests: Map<string, number>;
}

export interface GuardOptions {
  engines?: number;
  digestsPerEngine?: number;
  /** Monotonic milliseconds. */
  now?: () => number;
}

export class ReplayGuard {
  private readonly engines = new Map<string, EngineState>();
  private readonly now: () => number;

  constructor(private readonly options: GuardOptions = {}) {
    this.now = options.now ?? (() => performance.now());
  }

  get size(): number {
    return this.engines.size;
  }

  /** An authenticated message from a sender that is authoritative (a v3 trap): checked, and remembered if accepted. */
  remote(engineID: string, boots: number, time: number, digest: Buffer): Timeliness {
    const now = this.now();
    const state = this.engines.get(engineID);
    if (state) {
      const notion = state.latestTime + Math.floor((now - state.receivedAt) / 1000);
      if (state.boots >= MAX_BOOTS) return outside(`engine ${engineID} reached its last boot count`);
      if (boots < state.boots) return outside(`engine ${engineID}: boots ${boots}, older than the latest seen (${state.boots})`);
      if (boots === state.boots && time < notion - TIME_WINDOW_SECONDS) {
        return outside(`engine ${engineID}: time ${time} is ${notion - time} s behind its clock (${notion}), more than ${TIME_WINDOW_SECONDS} s`);
      }
    }
    const replay = this.seen(state, digest, now);
    if (replay) return replay;
    const advances = !state || boots > state.boots || (boots === state.boots && time > state.latestTime);
    const next = state && !advances ? state : {
      boots, latestTime: time, receivedAt: now, digests: state && boots === state.boots ? state.digests : new Map<string, number>(),
    };
    this.remember(engineID, next, digest, now);
    return { ok: true };
  }

  /** An authenticated message under our own engine ID (an inform): checked against our clock. */
  local(engineID: string, clock: { boots: number; time: number }, boots: number, time: number, digest: Buffer): Timeliness {
    if (boots !== clock.boots || clock.boots >= MAX_BOOTS || Math.abs(time - clock.time) > TIME_WINDOW_SECONDS) {
      return outside(`boots ${boots} time ${time}, our engine is at boots ${clock.boots} time ${clock.time}`);
    }
    const now = this.now();
    const state = this.engines.get(engineID) ?? { boots: clock.boots, latestTime: clock.time, receivedAt: now, digests: new Map<string, number>() };
    const replay = this.seen(state, digest, now);
    if (replay) return replay;
    this.remember(engineID, state, digest, now);
    return { ok: true };
  }

  private seen(state: EngineState | undefined, digest: Buffer, now: number): Timeliness | undefined {
    if (!state) return undefined;
    const until = state.digests.get(digest.toString('hex'));
    return until !== undefined && until > now
      ? { ok: false, reason: 'replay', detail: 'an exact copy of a message already received (replayed)' }
      : undefined;
  }

  private remember(engineID: string, state: EngineState, digest: Buffer, now: number): void {
    for (const [old, until] of state.digests) {
      if (until > now && state.digests.size < (this.options.digestsPerEngine ?? 256)) break;
      state.digests.delete(old);
    }
    state.digests.set(digest.toString('hex'), now + DIGEST_MS);
    this.engines.delete(engineID);
    this.engines.set(engineID, state);
    if (this.engines.size > (this.options.engines ?? 1024)) this.engines.delete(this.engines.keys().next().value as string);
  }
}

function outside(detail: string): Timeliness {
  return { ok: false, reason: 'timeWindow', detail: `outside the ${TIME_WINDOW_SECONDS} s time window: ${detail}` };
}

/**
 * Our engine's boots and time. With no state kept on disk, boots is the wall clock's seconds since
 * 2024 when the engine first ran in this process: it grows across restarts, as RFC 3414 asks, so a
 * message captured before a restart is outside the window after it. One clock per engine ID for
 * the whole process, so a redeploy keeps it.
 */
export class LocalEngineClock {
  readonly boots = Math.max(1, Math.floor((Date.now() - Date.UTC(2024, 0, 1)) / 1000));
  private readonly started = performance.now();

  get time(): number {
    return Math.floor((performance.now() - this.started) / 1000);
  }
}

const clocks = new Map<string, LocalEngineClock>();

export function localEngineClock(engineID: string): LocalEngineClock {
  let clock = clocks.get(engineID);
  if (!clock) {
    clock = new LocalEngineClock();
    clocks.set(engineID, clock);
  }
  return clock;
}
