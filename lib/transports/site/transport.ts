import { DeviceConfigError } from '../../device/errors';
import type { ConfigProperties, TransportDefinition } from '../../device/transport-registry';
import { checkTopicName } from '../../sites/topics';
import { RemoteSiteDriver } from './driver';

// A device published by another Node-RED (a site, with pdu-site) on an MQTT broker: the hub
// reads what the site publishes and sends it commands, which the site runs through its own
// safety rules. The connection is a Node-RED mqtt-broker config, so its TLS, certificates,
// credentials and MQTT version apply.

export interface SiteSettings {
  /** The id of the mqtt-broker config node. */
  broker: string;
  site: string;
  /** The device's name in the site's topics. */
  device: string;
  /** How long a command may wait (at the broker, at the site) before it must not start any more, s. */
  commandExpiry: number;
}

/** Default, least and most for a command's expiry, s (a site refuses one more than 10 minutes ahead). */
export const COMMAND_EXPIRY = { default: 60, min: 5, max: 600 } as const;

export function siteSettings(config: ConfigProperties): SiteSettings {
  const broker = String(config.mqttBroker ?? '').trim();
  if (!broker) throw new DeviceConfigError('choose the MQTT broker the site publishes on');
  try {
    return {
      broker,
      site: checkTopicName('site', String(config.site ?? '')),
      device: checkTopicName('device', String(config.siteDevice ?? '')),
      commandExpiry: commandExpiry(config.commandExpiry),
    };
  } catch (error) {
    throw new DeviceConfigError((error as Error).message);
  }
}

/** The expiry setting, in seconds: empty is the default; anything else a whole number within the bounds. */
function commandExpiry(value: unknown): number {
  if (value === undefined || value === null || String(value).trim() === '') return COMMAND_EXPIRY.default;
  const seconds = Number(value);
  if (!Number.isInteger(seconds) || seconds < COMMAND_EXPIRY.min || seconds > COMMAND_EXPIRY.max) {
    throw new Error(`"Commands expire after" must be a whole number of seconds from ${COMMAND_EXPIRY.min} to ${COMMAND_EXPIRY.max} (got "${String(value)}")`);
  }
  return seconds;
}

export const siteTransport: TransportDefinition<SiteSettings> = {
  id: 'site',
  label: 'Remote site (MQTT)',
  address: 'none',
  settings: siteSettings,
  createDriver: (options) => new RemoteSiteDriver(options),
  editorFields: ['mqttBroker', 'site', 'siteDevice', 'commandExpiry', 'timeout'],
};
