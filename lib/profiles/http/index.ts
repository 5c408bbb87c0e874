import { DeviceConfigError } from '../../device/errors';
import { dliRest } from './dli-rest';
import { gudeHttp } from './gude-http';
import { netioJson } from './netio-json';
import type { HttpProfile } from './profile';

export type { HttpProfile, HttpRequestTemplate } from './profile';

/** Every HTTP/JSON PDU API the pack speaks. */
export const httpProfiles: readonly HttpProfile[] = [dliRest, netioJson, gudeHttp];

export function httpProfile(id: string | undefined): HttpProfile {
  const found = httpProfiles.find((profile) => profile.id === id);
  if (found) return found;
  const known = httpProfiles.map((profile) => profile.id).join(', ');
  if (!id || id === 'auto') throw new DeviceConfigError(`choose the device's HTTP API in the device config (${known})`);
  throw new DeviceConfigError(`"${id}" is not an HTTP PDU profile (known: ${known})`);
}
