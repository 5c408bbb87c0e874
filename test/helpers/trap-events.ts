import { TrapDecoder } from '../../lib/events/trap-decoder';
import { acquireTrapListener, releaseTrapListener } from '../../lib/transports/snmp/trap-listener';
import type { DeviceEvent } from '../../lib/types';
import { freeUdpPort } from '../../sim/snmp/agent';
import { until } from './red';

/** pdu-trap-in's listener and decoder on a free loopback port: every trap there, as our event. */
export interface DecodedTraps {
  port: number;
  events: DeviceEvent[];
  /** The trap names (from the vendor's table) of the same notifications. */
  trapNames: string[];
  close(): Promise<void>;
}

export async function decodedTraps(community = 'public'): Promise<DecodedTraps> {
  const port = await freeUdpPort();
  const decoder = new TrapDecoder();
  const events: DeviceEvent[] = [];
  const trapNames: string[] = [];
  const subscriber = {
    anySource: true,
    sources: [{ name: 'pdu', communities: [community], users: [] }],
    onTrap: (notification: Parameters<TrapDecoder['decode']>[0]) => {
      const decoded = decoder.decode(notification);
      events.push(decoded.event);
      trapNames.push(String(decoded.snmp.trapName));
    },
    onDrop: (drop: { reason: string; detail?: string }) => { throw new Error(`dropped: ${drop.reason} ${drop.detail}`); },
  };
  const listener = acquireTrapListener(port, subscriber, { address6: false });
  await until(() => listener.state === 'listening', 3000, 'listener');
  return { port, events, trapNames, close: () => releaseTrapListener(listener, subscriber) };
}
