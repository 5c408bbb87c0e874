import type { ConfigProperties, TransportDefinition } from '../../device/transport-registry';
import { PowermanDriver } from './driver';
import { expandHostlist } from './hostlist';

/** The PowerMan settings of a pdu-config. */
export interface PowermanSettings {
  /** Only these nodes (from a host list such as `web[1-8],db1`); all of powermand's nodes when unset. */
  nodes?: string[];
}

export function powermanSettings(config: ConfigProperties): PowermanSettings {
  const extra = config.extra && typeof config.extra === 'object' ? config.extra as { nodes?: unknown } : {};
  const list = String(extra.nodes ?? '').trim();
  // A host list that does not expand is a deploy-time error, not a surprise at the first command.
  return list ? { nodes: expandHostlist(list) } : {};
}

export const powermanTransport: TransportDefinition<PowermanSettings> = {
  id: 'powerman',
  label: 'PowerMan (powermand)',
  defaultPort: 10101,
  address: 'host',
  settings: powermanSettings,
  createDriver: (options) => new PowermanDriver(options),
  // `nodes` (the plugs this config may switch) is kept in `extra`.
  editorFields: ['timeout', 'nodes'],
};
