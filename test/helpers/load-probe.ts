import { monitorEventLoopDelay } from 'perf_hooks';

export interface LoadReport {
  /** The longest the event loop was held up, ms. */
  maxLagMs: number;
  /** The most the heap and buffers grew over the start, MiB. */
  growthMiB: number;
}

/** What the process holds in JavaScript strings and objects, and in buffers outside the heap. */
function held(): number {
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.external;
}

/**
 * Watch the event loop's lag and the memory's growth while something runs: a stall shows as
 * lag, an unbounded buffer as growth. Memory is sampled every 20 ms; the peak counts.
 */
export function startLoadProbe(): { stop(): LoadReport } {
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  const start = held();
  let peak = start;
  const sampler = setInterval(() => { peak = Math.max(peak, held()); }, 20);
  return {
    stop() {
      clearInterval(sampler);
      lag.disable();
      peak = Math.max(peak, held());
      return { maxLagMs: lag.max / 1e6, growthMiB: (peak - start) / 1024 / 1024 };
    },
  };
}

/** The promise's outcome, or a rejection naming `what` if it has none within `ms`. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: still pending after ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}
