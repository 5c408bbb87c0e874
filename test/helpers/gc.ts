import { setFlagsFromString } from 'v8';
import { runInNewContext } from 'vm';

// A full garbage collection on demand, without `node --expose-gc`: memory bounds in tests
// measure what is held, not what happens to be uncollected after the tests that ran before.
setFlagsFromString('--expose-gc');

/** Collect garbage now. */
export const collectGarbage = runInNewContext('gc') as () => void;

/** The heap in use after a full collection, bytes. */
export function heapAfterGc(): number {
  collectGarbage();
  return process.memoryUsage().heapUsed;
}
