import { DeviceConfigError } from '../../device/errors';
import { deviceWords } from '../device-words';

/** More names than any PowerMan installation has: a list that expands further is refused, not expanded. */
export const MAX_HOSTS = 100000;

/**
 * Expand a PowerMan (pdsh) host list: `t[0-15]`, `node[01-04,7],db1` -> each name. Numbers keep
 * the width of the range's start (`[01-04]` -> 01 02 03 04).
 */
export function expandHostlist(list: string): string[] {
  const names: string[] = [];
  const room = (count: number): void => {
    if (names.length + count > MAX_HOSTS) throw new DeviceConfigError(`the host list ${deviceWords(list)} names more than ${MAX_HOSTS} hosts`);
  };
  for (const term of splitTopLevel(list)) {
    const match = /^([^[\]]*)\[([^\]]+)\]([^[\]]*)$/.exec(term);
    if (!match) {
      if (/[[\]]/.test(term)) throw new DeviceConfigError(`cannot read the host list ${deviceWords(term)}`);
      room(1);
      names.push(term);
      continue;
    }
    const [, prefix, ranges, suffix] = match;
    for (const range of ranges.split(',')) {
      const bounds = /^\s*(\d+)\s*(?:-\s*(\d+))?\s*$/.exec(range);
      if (!bounds) throw new DeviceConfigError(`cannot read the range ${deviceWords(range)} in ${deviceWords(term)}`);
      const width = bounds[1].length;
      const from = Number(bounds[1]);
      const to = bounds[2] === undefined ? from : Number(bounds[2]);
      if (to < from) throw new DeviceConfigError(`the range ${deviceWords(range)} in ${deviceWords(term)} is not usable`);
      room(to - from + 1);
      for (let n = from; n <= to; n += 1) names.push(`${prefix}${String(n).padStart(width, '0')}${suffix}`);
    }
  }
  return names;
}

/** Commas separate hosts, except inside brackets. */
function splitTopLevel(list: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of list) {
    if (char === '[') depth += 1;
    if (char === ']') depth -= 1;
    if ((char === ',' || /\s/.test(char)) && depth === 0) {
      if (current) terms.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  if (current) terms.push(current);
  return terms;
}
