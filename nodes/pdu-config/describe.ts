import type { ConfigCredentials, ConfigProperties, DeviceSettings } from '../../lib/device/config';
import { Device, type DeviceOptions } from '../../lib/device/device';
import { scrubText } from '../../lib/device/scrub';
import { resolveTargets } from '../../lib/device/targets';
import { createDriver, deviceSettings } from '../../lib/transports';

/** Node-RED's stand-in, in a dialog's password field, for a credential that is stored and was not retyped. */
export const UNCHANGED_PASSWORD = '__PWRD__';

const CREDENTIAL_KEYS = ['readCommunity', 'writeCommunity', 'trapCommunity', 'username', 'password', 'authKey', 'privKey',
  'privateKey', 'passphrase'] as const;

/** What the editor posts: the pdu-config dialog's unsaved settings and the credentials typed in it. */
export interface DescribeRequest {
  /** The config node's id: its deployed credentials stand in for `__PWRD__`. */
  id?: string;
  config?: ConfigProperties;
  credentials?: Record<string, unknown>;
}

export interface DescribedOutlet {
  index: number;
  id: string;
  name: string;
  state: string;
  /** On the config's locked list: the pack never switches it. */
  locked: boolean;
  groups: string[];
}

export interface DescribeAnswer {
  vendor: string;
  model: string;
  profile: string;
  info?: string;
  /** Over SSH: the host key the device showed, to pin in the config (`SHA256:...`). */
  hostKey?: { fingerprint: string; pinned: boolean };
  outlets: DescribedOutlet[];
  /** The config's own groups, by name, with the outlets they hold. */
  groups: Array<{ name: string; outlets: number[] }>;
}

/** A Device for checked settings: the deployed config's, or a dialog's for one look. */
export function deviceFor(name: string, settings: DeviceSettings, log?: DeviceOptions['log']): Device {
  return new Device({
    name,
    driver: createDriver(settings.driver),
    groups: settings.groups,
    locked: settings.locked,
    minOffTime: settings.minOffTime,
    minOnTime: settings.minOnTime,
    nativeReboot: settings.nativeReboot,
    log,
  });
}

/** The credentials the dialog holds, each `__PWRD__` replaced by the deployed one (absent: none). */
export function dialogCredentials(typed: Record<string, unknown> | undefined, stored: Record<string, unknown> | undefined): ConfigCredentials {
  const result: Record<string, string> = {};
  for (const key of CREDENTIAL_KEYS) {
    const value = typed?.[key];
    if (value === UNCHANGED_PASSWORD) {
      if (typeof stored?.[key] === 'string' && stored[key]) result[key] = stored[key] as string;
    } else if (typeof value === 'string' && value !== '') {
      result[key] = value;
    }
  }
  return result as ConfigCredentials;
}

/**
 * Describe a device from settings that need not be deployed: a Device of its own, closed again
 * at once, so the deployed one (and its connection) is left alone. Errors come back with every
 * credential of the request masked, on top of the transports' own scrubbing.
 */
export async function describeUnsaved(config: ConfigProperties, credentials: ConfigCredentials): Promise<DescribeAnswer> {
  let device: Device | undefined;
  try {
    const settings = deviceSettings(config, credentials);
    device = deviceFor(config.name || settings.driver.host || String(config.serialPath || '') || 'pdu', settings);
    const description = await device.describe();
    const states = await device.readStates(description.outlets);
    const lockedList = settings.locked;
    const lockedSet = new Set(isEmpty(lockedList) ? [] : resolveTargets(description.outlets, lockedList, { groups: settings.groups })
      .map((outlet) => outlet.index));
    const groups = Object.keys(settings.groups).map((name) => ({
      name,
      outlets: resolveTargets(description.outlets, settings.groups[name], { groups: settings.groups }).map((outlet) => outlet.index),
    }));
    return {
      vendor: description.vendor,
      model: description.model,
      profile: description.profile,
      info: description.info,
      hostKey: description.hostKey,
      outlets: description.outlets.map((outlet) => ({
        index: outlet.index,
        id: outlet.id,
        name: outlet.name,
        state: states.get(outlet.index) ?? 'unknown',
        locked: lockedSet.has(outlet.index),
        groups: [...new Set([...outlet.groups, ...groups.filter((group) => group.outlets.includes(outlet.index)).map((group) => group.name)])],
      })),
      groups,
    };
  } catch (error) {
    throw new Error(scrubText((error as Error).message || String(error), credentials));
  } finally {
    await device?.close().catch(() => undefined);
  }
}

function isEmpty(spec: unknown): boolean {
  return spec === undefined || spec === '' || (Array.isArray(spec) && spec.length === 0);
}
