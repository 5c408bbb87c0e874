import type { ScreenSpec } from '../../profiles/cli/dialect';
import type { ModuleStatus } from '../../types';

/** One port as a full-screen status page shows it. */
export interface ScreenPort {
  name: string;
  group: string;
  /** From the Control Status marks: `x` on the On or Off field; `*` when locked; `r` while rebooting. */
  state?: 'on' | 'off';
  locked: boolean;
  module?: ModuleStatus;
  /** Amperes; undefined for `N/A` and `Not On`. */
  current?: number;
}

export interface ScreenPage {
  page: number;
  pages: number;
  pageName: string;
  ports: ScreenPort[];
  /** °C; undefined for `N/A`. */
  temperature?: number;
}

/**
 * Read one page of a Power Control Screen (US 7,099,934): a label, then one column per port.
 * Bracketed fields (`[server01]`) are edit fields; the Control Status is two lines of marks,
 * `(x) On` over `( )Off`. Columns are split on runs of two or more spaces, as the screen aligns
 * them, because single spaces occur inside values (`No Rspns`, `Not On`).
 */
export function parseScreenPage(text: string, spec: ScreenSpec): ScreenPage {
  const lines = text.split(/\r\n|\n|\r/);
  const find = (label: string): { rest: string; next: string } | undefined => {
    const at = lines.findIndex((line) => line.trim().toLowerCase().startsWith(label.toLowerCase()));
    if (at < 0) return undefined;
    const line = lines[at].trim();
    return { rest: line.slice(label.length), next: lines[at + 1] ?? '' };
  };
  const bracketed = (rest: string | undefined): string[] => [...(rest ?? '').matchAll(/\[([^\]]*)\]/g)].map((m) => m[1].trim());
  const columns = (rest: string | undefined): string[] => (rest ?? '').trim().split(/\s{2,}/).filter(Boolean);

  const counter = new RegExp(spec.pages, 'i').exec(text);
  const names = bracketed(find(spec.labels.name)?.rest);
  const groups = bracketed(find(spec.labels.group)?.rest);
  const control = find(spec.labels.control);
  const onMarks = [...(control?.rest ?? '').matchAll(/\((.)\)\s*On/gi)].map((m) => m[1]);
  const offMarks = [...(control?.next ?? '').matchAll(/\((.)\)\s*Off/gi)].map((m) => m[1]);
  const modules = columns(find(spec.labels.module)?.rest);
  const loads = columns(find(spec.labels.load)?.rest);
  const moduleWords = Object.entries(spec.module);

  const ports: ScreenPort[] = [];
  for (let column = 0; column < spec.portsPerPage; column += 1) {
    const on = onMarks[column];
    const off = offMarks[column];
    if (on === undefined && names[column] === undefined) break;
    const onSet = on !== undefined && on !== ' ';
    const offSet = off !== undefined && off !== ' ';
    const moduleWord = modules[column]?.toLowerCase();
    ports.push({
      name: names[column] ?? '',
      group: groups[column] ?? '',
      state: onSet ? 'on' : offSet ? 'off' : undefined,
      locked: on === '*' || off === '*',
      module: moduleWords.find(([word]) => word.toLowerCase() === moduleWord)?.[1],
      current: amperes(loads[column]),
    });
  }
  const temperature = /(-?\d+(?:\.\d+)?)\s*Deg\s*([CF])/i.exec(find(spec.labels.temperature)?.rest ?? '');
  return {
    page: counter?.groups ? Number(counter.groups.page) : 1,
    pages: counter?.groups ? Number(counter.groups.pages) : 1,
    pageName: bracketed(find(spec.labels.page)?.rest)[0] ?? '',
    ports,
    temperature: temperature
      ? Math.round((temperature[2].toUpperCase() === 'F' ? (Number(temperature[1]) - 32) * 5 / 9 : Number(temperature[1])) * 100) / 100
      : undefined,
  };
}

function amperes(text: string | undefined): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*A/i.exec(text?.trim() ?? '');
  return match ? Number(match[1]) : undefined;
}
