import type { Node, NodeAPI, NodeDef } from 'node-red';
import { eventFilter } from '../../lib/events/event-filter';
import { EventValve } from '../../lib/events/event-valve';
import { auditEvent, ConnectionEvents, streamEvent, type StreamEvent } from '../../lib/events/stream-event';
import type { Severity } from '../../lib/types';
import type { PduConfigNode } from '../shared/config-node';
import { listenToEveryDevice, type EventStreamListener } from '../shared/event-hub';
import { errorStatus } from '../shared/status';

interface EventsDef extends NodeDef {
  /** pdu-config ids; none: every device. */
  devices?: string[];
  severity?: string;
  events?: string;
  sources?: string[];
  /** Events sent per second at most, and how many may wait beyond that. */
  rate?: string | number;
  queue?: string | number;
}

/** What the stream says when a flood did not fit: how many events it dropped, by severity. */
interface DroppedNotice {
  event: 'eventsDropped';
  severity: 'warning';
  device: string;
  /** Not a device's: the stream's own (pdu-trap-out sends it as source stream(5)). */
  source: 'stream';
  origin: 'stream';
  dropped: number;
  bySeverity: Partial<Record<Severity, number>>;
  text: string;
  time: string;
}

const DEFAULT_RATE = 100;
const DEFAULT_QUEUE = 1000;
const STATUS_EVERY_MS = 500;

export = function register(RED: NodeAPI): void {
  function PduEvents(this: Node, def: EventsDef): void {
    RED.nodes.createNode(this, def);
    const node = this;
    const stops: Array<() => void> = [];
    let statusTimer: NodeJS.Timeout | undefined;
    let valve: EventValve<StreamEvent> | undefined;

    const showStatus = (): void => {
      statusTimer = undefined;
      if (!valve) return;
      const { sent, droppedTotal: dropped } = valve;
      node.status(dropped
        ? { fill: 'yellow', shape: 'ring', text: RED._('pdu-events.status.dropped', { sent, dropped }) }
        : { fill: 'green', shape: 'dot', text: RED._(sent === 1 ? 'pdu-events.status.event' : 'pdu-events.status.events', { sent }) });
    };
    const scheduleStatus = (): void => {
      if (!statusTimer) statusTimer = setTimeout(showStatus, STATUS_EVERY_MS);
    };

    try {
      const rate = positive(def.rate, DEFAULT_RATE, 'events per second');
      const queue = positive(def.queue, DEFAULT_QUEUE, 'queue');
      const passes = eventFilter({ severity: def.severity, events: def.events, origins: def.sources });
      valve = new EventValve<StreamEvent>({
        rate,
        queue,
        severity: (event) => event.severity,
        send: (event) => {
          node.send({ topic: event.event, payload: event });
          scheduleStatus();
        },
        dropped: (count, bySeverity) => {
          const notice: DroppedNotice = {
            event: 'eventsDropped', severity: 'warning', device: node.name || 'pdu-events', source: 'stream', origin: 'stream', dropped: count, bySeverity,
            text: RED._('pdu-events.dropped', { count, rate, queue }), time: new Date().toISOString(),
          };
          node.warn(notice.text);
          node.send({ topic: notice.event, payload: notice });
          scheduleStatus();
        },
      });
      const started = valve;
      const connections = new ConnectionEvents();
      const accept = (event: StreamEvent | undefined): void => {
        if (event && passes(event)) started.push(event);
      };
      const listener: EventStreamListener = {
        event: (event) => accept(streamEvent(event)),
        status: (device, state, text) => accept(connections.change(device, state, text)),
        audit: (record) => accept(auditEvent(record)),
      };
      const chosen = Array.isArray(def.devices) ? def.devices.filter(Boolean) : [];
      if (chosen.length === 0) stops.push(listenToEveryDevice(listener));
      for (const id of chosen) {
        const config = RED.nodes.getNode(id) as PduConfigNode | null;
        if (!config || !config.listen) {
          node.warn(RED._('pdu-events.errors.missing-device', { id }));
          continue;
        }
        stops.push(config.listen(listener));
      }
      node.status({ fill: 'green', shape: 'ring', text: RED._('pdu-events.status.listening', {
        devices: chosen.length === 0 ? RED._('pdu-events.label.allDevices') : String(stops.length),
      }) });
    } catch (error) {
      // After the flow has started, so its Catch nodes see it.
      const text = (error as Error).message;
      setImmediate(() => node.error(text, { topic: 'config', payload: text } as never));
      node.status(errorStatus(error));
    }

    node.on('close', (_removed: boolean, done: () => void) => {
      for (const stop of stops) stop();
      // What a flood left waiting is not sent by a stopped node: said, not lost silently.
      if (valve && valve.queued > 0) node.warn(RED._('pdu-events.stopped-waiting', { count: valve.queued }));
      valve?.stop();
      if (statusTimer) clearTimeout(statusTimer);
      done();
    });
  }

  RED.nodes.registerType('pdu-events', PduEvents);
};

/** A whole number above 0, or the default when empty; anything else is a clear error. */
function positive(value: string | number | undefined, fallback: number, what: string): number {
  if (value === undefined || value === '') return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new Error(`${what} must be a whole number above 0, not "${value}"`);
  return number;
}
