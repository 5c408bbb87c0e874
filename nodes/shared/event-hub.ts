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

/**
 * Events already streamed, across configs and deploys: an outlet a stopped flow left off is
 * offered to the next flow's streams and again when its pdu-status takes it.
 */
const streamed = new WeakSet<DeviceEvent>();

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

  constructor(private readonly onListenerError: (error: Error) => void) {}

  listen(listener: EventStreamListener): () => void {
    this.listeners.add(listener);
    return () => { this.listeners.delete(listener); };
  }

  event(event: DeviceEvent): void {
    if (streamed.has(event)) return;
    streamed.add(event);
    this.each((listener) => listener.event(event));
  }

  status(device: string, state: ConnectionState, text: string): void {
    this.each((listener) => listener.status(device, state, text));
  }

  audit(record: AuditRecord): void {
    this.each((listener) => listener.audit(record));
  }

  private each(call: (listener: EventStreamListener) => void): void {
    deliver([...this.listeners, ...everyDevice], call, this.onListenerError);
  }
}

function deliver(listeners: EventStreamListener[], call: (listener: EventStreamListener) => void, onError: (error: Error) => void): void {
  for (const listener of listeners) {
    try {
      call(listener);
    } catch (error) {
      onError(error as Error);
    }
  }
}

/**
 * A node's event, handed to its device's config for the event streams; returns it, to send on.
 * An event of no config (a trap from a source no pdu-config names, taken by a pdu-trap-in on
 * "any source") goes to the streams on every device: a stream on chosen devices never asked
 * for it, but one on every device would otherwise miss an agent nobody configured yet.
 */
export function shareEvent<T extends DeviceEvent>(config: PduConfigNode | undefined, event: T,
  onListenerError: (error: Error) => void = () => undefined): T {
  if (config) {
    config.shareEvent?.(event);
  } else if (!streamed.has(event)) {
    streamed.add(event);
    deliver([...everyDevice], (listener) => listener.event(event), onListenerError);
  }
  return event;
}
