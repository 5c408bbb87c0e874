/** CPU (user + system) and wall time of `runs` sequential calls, after a warm-up. */
export async function measure(runs: number, call: () => Promise<unknown>, warmup = 50): Promise<{ cpuMs: number; wallMs: number; p95Ms: number }> {
  for (let i = 0; i < warmup; i += 1) await call();
  const walls: number[] = [];
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  for (let i = 0; i < runs; i += 1) {
    const one = process.hrtime.bigint();
    await call();
    walls.push(Number(process.hrtime.bigint() - one) / 1e6);
  }
  const used = process.cpuUsage(cpu);
  walls.sort((a, b) => a - b);
  return {
    cpuMs: (used.user + used.system) / 1000 / runs,
    wallMs: Number(process.hrtime.bigint() - started) / 1e6 / runs,
    p95Ms: walls[Math.floor(walls.length * 0.95)],
  };
}

export function table(headers: string[], rows: Array<Array<string | number>>): string {
  const cells = [headers, ...rows.map((row) => row.map(String))];
  const widths = headers.map((_, column) => Math.max(...cells.map((row) => row[column].length)));
  const line = (row: string[]) => `| ${row.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`;
  return [line(headers), `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`, ...rows.map((row) => line(row.map(String)))].join('\n');
}
