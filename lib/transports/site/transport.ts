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
}

export function siteSettings(config: ConfigProperties): SiteSettings {
  const broker = String(config.mqttBroker ?? '').trim();
  if (!broker) throw new DeviceConfigError('choose the MQTT broker the site publishes on');
  try {
    return {
      broker,
      site: checkTopicName('site', String(config.site ?? '')),
      device: checkTopicName('device', String(config.siteDevice ?? '')),
    };
  } catch (error) {
    throw new DeviceConfigError((error as Error).message);
  }
}

export const siteTransport: TransportDefinition<SiteSettings> = {
  id: 'site',
  label: 'Remote site (MQTT)',
  address: 'none',
  settings: siteSettings,
  createDriver: (options) => new RemoteSiteDriver(options),
  editorFields: ['mqttBroker', 'site', 'siteDevice', 'timeout'],
};
