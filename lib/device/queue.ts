/**
 * Runs tasks one at a time, in the order they were added. Many power managers accept one
 * session or one command at a time, so every exchange with a device goes through its queue.
 */
export class CommandQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private waiting = 0;

  /** Tasks queued or running. */
  get length(): number {
    return this.waiting;
  }

  run<T>(task: () => Promise<T>): Promise<T> {
    this.waiting += 1;
    const result = this.tail.then(task, task);
    this.tail = result.then(() => undefined, () => undefined).finally(() => { this.waiting -= 1; });
    return result;
  }
}

/**
 * Per-outlet locks: a reboot holds its outlets through the whole off time, so a second command
 * for the same outlet waits for it, while commands for other outlets go on.
 */
export class OutletLocks {
  private readonly locks = new Map<number, CommandQueue>();

  /** Hold every listed outlet for the task. Locks are taken in index order, so two callers never deadlock. */
  async hold<T>(indexes: number[], task: () => Promise<T>): Promise<T> {
    const sorted = [...new Set(indexes)].sort((a, b) => a - b);
    const acquire = (position: number): Promise<T> => {
      if (position === sorted.length) return task();
      return this.queueFor(sorted[position]).run(() => acquire(position + 1));
    };
    return acquire(0);
  }

  private queueFor(index: number): CommandQueue {
    let queue = this.locks.get(index);
    if (!queue) {
      queue = new CommandQueue();
      this.locks.set(index, queue);
    }
    return queue;
  }
}
