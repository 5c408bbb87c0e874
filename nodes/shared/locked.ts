import type { DeviceSettings } from '../../lib/device/config';
import { resolveTargets } from '../../lib/device/targets';
import type { OutletReading } from '../../lib/types';

/**
 * The outlets of a reading, each with `locked`: on the config's locked list, so never switched by
 * the pack. A dashboard shows them as such instead of offering a switch that would be refused.
 * A lock list that does not resolve marks every outlet locked, as the Device refuses them all then.
 */
export function withLockedFlags(outlets: OutletReading[], settings: DeviceSettings | undefined): Array<OutletReading & { locked: boolean }> {
  const spec = settings?.locked;
  if (spec === undefined || spec === '' || (Array.isArray(spec) && spec.length === 0)) return outlets.map((outlet) => ({ ...outlet, locked: false }));
  let locked: Set<number>;
  try {
    const infos = outlets.map(({ index, id, name }) => ({ index, id, name, groups: [], key: String(index) }));
    locked = new Set(resolveTargets(infos, spec, { groups: settings!.groups }).map((outlet) => outlet.index));
  } catch {
    locked = new Set(outlets.map((outlet) => outlet.index));
  }
  return outlets.map((outlet) => ({ ...outlet, locked: locked.has(outlet.index) }));
}
