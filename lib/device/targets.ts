import type { OutletInfo } from '../types';

/** What a flow may name as a target: a number, a name, an id, a group, `all`, or a list of these. */
export type TargetSpec = number | string | Array<number | string>;

export class TargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TargetError';
  }
}

export interface ResolveOptions {
  /** Config groups (name -> targets) on top of the groups the device reports. */
  groups?: Record<string, TargetSpec>;
  /** `all` only resolves when the caller explicitly allows it. */
  allowAll?: boolean;
}

/** The one keyword a target may be; an outlet or group with this name makes it ambiguous. */
const ALL = 'all';

/**
 * Split a spec into tokens. An array item is one token, whole; a string is a list only where it
 * has commas. Blanks never split: real outlet names have them (APC `Outlet 2`, Sentry
 * `Outlet AB3`, Eaton `DC Converter-1`), and `rack 2` must never mean group `rack` plus outlet 2.
 */
export function targetTokens(spec: TargetSpec | undefined | null): Array<number | string> {
  if (spec === undefined || spec === null || spec === '') return [];
  if (Array.isArray(spec)) return spec.flatMap((item) => arrayItem(item));
  if (typeof spec === 'number') return [spec];
  if (typeof spec !== 'string') {
    throw new TargetError(`outlet must be a number, a name, an id or a list of them, not ${typeof spec}`);
  }
  return spec.split(',').map((token) => token.trim()).filter((token) => token !== '');
}

function arrayItem(item: unknown): Array<number | string> {
  if (typeof item === 'number') return [item];
  if (typeof item !== 'string') {
    throw new TargetError(`each outlet in a list must be a number, a name or an id, not ${item === null ? 'null' : typeof item}`);
  }
  const token = item.trim();
  return token === '' ? [] : [token];
}

/** Names compare whole, trimmed and in any case: `Web-01 ` is `web-01`. */
function sameName(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

function normalId(text: string): string {
  return text.replace(/^\./, '').toUpperCase();
}

function byIndex(outlets: OutletInfo[], index: number): OutletInfo[] {
  return outlets.filter((outlet) => outlet.index === index);
}

function describeList(outlets: OutletInfo[]): string {
  return outlets.map((outlet) => `${outlet.index} (${outlet.name || outlet.id})`).join(', ');
}

/**
 * Resolve a target spec to concrete outlets, in the order named, without duplicates.
 * Every token must match; a token that could mean different outlets (a name that is also
 * another outlet's number, a name shared by two outlets) is refused rather than guessed.
 */
export function resolveTargets(outlets: OutletInfo[], spec: TargetSpec | undefined | null,
  options: ResolveOptions = {}): OutletInfo[] {
  const tokens = targetTokens(spec);
  if (tokens.length === 0) throw new TargetError('no outlet given: set the node\'s outlet or msg.outlet');
  const chosen = new Map<number, OutletInfo>();
  for (const token of tokens) {
    for (const outlet of resolveToken(outlets, token, options, new Set())) chosen.set(outlet.index, outlet);
  }
  return [...chosen.values()];
}

function resolveToken(outlets: OutletInfo[], token: number | string, options: ResolveOptions,
  seenGroups: Set<string>): OutletInfo[] {
  if (typeof token === 'number') {
    if (!Number.isInteger(token)) throw new TargetError(`outlet ${token} is not a whole number`);
    const found = byIndex(outlets, token);
    if (found.length === 0) throw new TargetError(`unknown outlet ${token} (this device has ${outlets.length} outlets)`);
    return found;
  }
  const text = token.trim();
  if (text.toLowerCase() === ALL) return resolveAll(outlets, options);
  const candidates: Array<{ kind: string; outlets: OutletInfo[] }> = [];
  if (/^\d+$/.test(text)) candidates.push({ kind: 'number', outlets: byIndex(outlets, Number(text)) });
  const asId = outlets.filter((outlet) => normalId(outlet.id) === normalId(text));
  candidates.push({ kind: 'id', outlets: asId });
  candidates.push({ kind: 'name', outlets: outlets.filter((outlet) => sameName(outlet.name, text)) });
  const groupOutlets = resolveGroup(outlets, text, options, seenGroups);
  if (groupOutlets) candidates.push({ kind: 'group', outlets: groupOutlets });

  const matches = candidates.filter((candidate) => candidate.outlets.length > 0);
  if (matches.length === 0) throw new TargetError(`unknown outlet "${text}": no outlet, id or group has that name`);
  const nameMatch = matches.find((match) => match.kind === 'name');
  if (nameMatch && nameMatch.outlets.length > 1) {
    throw new TargetError(`"${text}" names several outlets (${describeList(nameMatch.outlets)}): use the number or id`);
  }
  const first = keySet(matches[0].outlets);
  for (const match of matches.slice(1)) {
    if (keySet(match.outlets) !== first) {
      throw new TargetError(`"${text}" is ambiguous: as ${matches[0].kind} it means ${describeList(matches[0].outlets)}, `
        + `as ${match.kind} ${describeList(match.outlets)}`);
    }
  }
  return matches[0].outlets;
}

/**
 * `all`, only when the caller allows it, and never when an outlet, id or device group is also
 * called that: the keyword must not silently win over a name, nor a name over the keyword.
 */
function resolveAll(outlets: OutletInfo[], options: ResolveOptions): OutletInfo[] {
  const named = outlets.filter((outlet) => sameName(outlet.name, ALL) || normalId(outlet.id) === ALL.toUpperCase()
    || outlet.groups.some((group) => sameName(group, ALL)));
  if (named.length > 0) {
    throw new TargetError(`"all" is ambiguous: it is the keyword for every outlet and also names ${describeList(named)}: `
      + 'use the number or id, or rename the outlet');
  }
  if (!options.allowAll) throw new TargetError('"all" outlets refused: enable "allow all outlets" on the node to permit it');
  return [...outlets];
}

function keySet(outlets: OutletInfo[]): string {
  return outlets.map((outlet) => outlet.index).sort((a, b) => a - b).join(',');
}

function resolveGroup(outlets: OutletInfo[], name: string, options: ResolveOptions,
  seenGroups: Set<string>): OutletInfo[] | undefined {
  const lower = name.toLowerCase();
  const configured = Object.entries(options.groups ?? {}).find(([group]) => sameName(group, name));
  if (configured) {
    if (seenGroups.has(lower)) throw new TargetError(`group "${name}" contains itself`);
    const inner = new Set(seenGroups).add(lower);
    const members = targetTokens(configured[1]);
    if (members.length === 0) throw new TargetError(`group "${configured[0]}" is empty`);
    const found = new Map<number, OutletInfo>();
    for (const member of members) {
      for (const outlet of resolveToken(outlets, member, { ...options, allowAll: false }, inner)) found.set(outlet.index, outlet);
    }
    return [...found.values()];
  }
  const fromDevice = outlets.filter((outlet) => outlet.groups.some((group) => sameName(group, name)));
  return fromDevice.length > 0 ? fromDevice : undefined;
}
