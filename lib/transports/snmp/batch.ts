import type { ColumnRows, SnmpClient, SnmpValue } from './client';

interface WalkGroup {
  oids: string[];
  result?: Promise<ColumnRows[]>;
}

/**
 * Gathers the reads of one poll so they travel in as few packets as possible: column walks
 * that expect the same number of rows share one GetBulk (a Sentry2 board's input load and
 * temperature, a PDU's state and load columns), and all single values share one GET.
 * Register everything first, then `run()` once.
 */
export class ReadBatch {
  private readonly walks = new Map<number, WalkGroup>();
  private readonly gets: string[] = [];
  private getResult?: Promise<Array<SnmpValue | undefined>>;

  constructor(private readonly client: SnmpClient) {}

  /** The rows of these columns, once the batch has run. */
  walk(oids: string[], rows: number): Promise<ColumnRows[]> {
    let group = this.walks.get(rows);
    if (!group) {
      group = { oids: [] };
      this.walks.set(rows, group);
    }
    // The client walks a column named twice only once.
    const start = group.oids.push(...oids) - oids.length;
    const owner = group;
    return this.started().then(() => owner.result!).then((all) => all.slice(start, start + oids.length));
  }

  /** These instances' values (undefined where the agent has none), once the batch has run. */
  get(oids: string[]): Promise<Array<SnmpValue | undefined>> {
    const start = this.gets.length;
    this.gets.push(...oids);
    return this.started().then(() => this.getResult!).then((values) => values.slice(start, start + oids.length));
  }

  /** Send everything registered, concurrently. */
  async run(): Promise<void> {
    for (const [rows, group] of this.walks) group.result = this.client.walkColumns(group.oids, rows);
    this.getResult = this.gets.length > 0 ? this.client.get(this.gets) : Promise.resolve([]);
    this.release();
    await Promise.all([...[...this.walks.values()].map((group) => group.result), this.getResult]);
  }

  private release!: () => void;
  private readonly gate = new Promise<void>((resolve) => { this.release = resolve; });

  private started(): Promise<void> {
    return this.gate;
  }
}
