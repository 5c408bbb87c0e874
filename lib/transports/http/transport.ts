import { DeviceConfigError } from '../../device/errors';
import type { ConfigProperties, TransportDefinition } from '../../device/transport-registry';
import { httpProfile } from '../../profiles/http';
import type { HttpProfile } from '../../profiles/http/profile';
import { HttpDriver } from './driver';

/** The HTTP settings of a pdu-config. */
export interface HttpSettings {
  profile: HttpProfile;
  /** HTTPS, the device's certificate checked against the system's CAs or the CA file. */
  secure: boolean;
  caFile: string;
  /** Accept any certificate: for a device with a self-signed certificate only. */
  insecure: boolean;
  /** HTTPS with the port left empty: 443 (the registry's default, 80, is HTTP's). */
  port?: number;
}

const yes = (value: unknown): boolean => value === true || value === 'true';

const portEmpty = (port: unknown): boolean => port === undefined || port === null || String(port).trim() === '';

export function httpSettings(config: ConfigProperties): HttpSettings {
  const secure = yes(config.httpsOn);
  const caFile = String(config.httpCaFile ?? '').trim();
  const insecure = yes(config.httpInsecure);
  if (!secure && (caFile || insecure)) {
    throw new DeviceConfigError('a CA file or "accept any certificate" is set but HTTPS is off: tick HTTPS to use them');
  }
  if (caFile && insecure) {
    throw new DeviceConfigError('a CA file and "accept any certificate" are both set: the CA file checks the certificate, '
      + '"accept any" skips the check; choose one');
  }
  return { profile: httpProfile(config.profile), secure, caFile, insecure, port: secure && portEmpty(config.port) ? 443 : undefined };
}

export const httpTransport: TransportDefinition<HttpSettings> = {
  id: 'http',
  label: 'HTTP / JSON (DLI, NETIO, Gude)',
  defaultPort: 80,
  address: 'host',
  settings: httpSettings,
  createDriver: (options) => new HttpDriver(options),
  warnings: (settings) => (settings.insecure
    ? ['HTTPS certificate checking is off ("accept any certificate"): the connection is encrypted, but anyone on the '
      + 'path can pose as the device and read its password']
    : []),
  editorFields: ['profile', 'httpsOn', 'httpCaFile', 'httpInsecure', 'timeout', 'retries', 'username', 'password'],
};
