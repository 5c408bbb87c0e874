import type { AuditRecord } from '../../lib/device/device';
import type { ConnectionState, DeviceEvent } from '../../lib/types';
import type { PduConfigNode } from './config-node';

/** A node that hears every event of a device (pdu-events): what its nodes raise, its connection, its power commands. */
export interface EventStreamListener {
  event(event: DeviceEvent): void;
  status(device: string, state: ConnectionState, text: string): void;
  audit(record: AuditRecord): void;
}

/** Listeners for every device, whichever config it is (pdu-events with no device chosen). */
const everyDevice = new Set<EventStreamListener>();

export function listenToEveryDevice(listener: EventStreamListener): () => void {
  everyDevice.add(listener);
  return () => { everyDevice.delete(listener); };
}

/**
 * One pdu-config's events, to the streams that listen. An event object goes out once however
 * many ways it arrives (a device-raised event reaches the config, and again through the
 * pdu-status that outputs it), so a stream sees each event exactly once. A listener that throws
 * never stops the node that raised the event.
 */
export class EventFanOut {
  private readonly listeners = new Set<EventStreamListener>();
  private readonly seen = new WeakSet<DeviceEvent>();

  constructor(private readonly onListenerError: (error: Error) => void) {}

  listen(listener: EventStreamListener): () => void {
    this.listeners.add(listener);
    return () => { this.listeners.delete(listener); };
  }

  event(event: DeviceEvent): void {
    if (this.seen.has(event)) return;
    this.seen.add(event);
    this.each((listener) => listener.event(event));
  }

  status(device: string, state: ConnectionState, text: string): void {
    this.each((listener) => listener.status(device, state, text));
  }

  audit(record: AuditRecord): void {
    this.each((listener) => listener.audit(record));
  }

  private each(call: (listener: EventStreamListener) => void): void {
    for (const listener of [...this.listeners, ...everyDevice]) {
      try {
        call(listener);
      } catch (error) {
        this.onListenerError(error as Error);
      }
    }
  }
}

/** A node's event, handed to its device's config for the event streams; returns it, to send on. */
export function shareEvent<T extends DeviceEvent>(config: PduConfigNode | undefined, event: T): T {
  config?.shareEvent?.(event);
  return event;
}
