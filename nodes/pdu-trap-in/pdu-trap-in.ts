import type { NodeAPI, NodeDef, Node, NodeMessage } from 'node-red';
import { loadMibFolder } from '../../lib/events/mib-folder';
import { TrapCounters, Throttle } from '../../lib/events/trap-counters';
import { TrapDecoder, type ReceivedNotification } from '../../lib/events/trap-decoder';
import {
  acquireTrapListener, releaseTrapListener, type TrapDrop, type TrapListener, type TrapSource, type TrapSubscriber,
} from '../../lib/transports/snmp/trap-listener';
import { trapSource } from '../../lib/transports/snmp/trap-source';
import type { PduConfigNode } from '../shared/config-node';
import { shareEvent } from '../shared/event-hub';

interface TrapInDef extends NodeDef {
  devices?: string[];
  anySource?: boolean;
  port?: string | number;
  bufferSize?: string | number;
  mibPath?: string;
  diagnostics?: boolean;
}

type TrapInNode = Node<{ community?: string }>;

const DEFAULT_PORT = 1162;
const STATUS_EVERY_MS = 250;

export = function register(RED: NodeAPI): void {
  const settings = RED.settings as unknown as { pduTrapInPort?: number | string; pduTrapInEngineID?: string };

  function PduTrapIn(this: TrapInNode, def: TrapInDef): void {
    RED.nodes.createNode(this, def);
    const node = this;
    const counters = new TrapCounters();
    const throttle = new Throttle();
    const diagnostics = def.diagnostics === true;
    let decoder = new TrapDecoder();
    let listener: TrapListener | undefined;
    let statusTimer: NodeJS.Timeout | undefined;
    let closed = false;

    /**
     * An error a Catch node sees (node.error with a message), and the status that says it. While
     * the flow starts, Catch nodes may not exist yet: errors found then wait for the next tick.
     */
    const failLater = (message: string): void => {
      setImmediate(() => fail(message));
    };
    const fail = (message: string, status = message): void => {
      node.error(message, { topic: 'error', payload: message } as NodeMessage);
      node.status({ fill: 'red', shape: 'dot', text: status.length > 40 ? `${status.slice(0, 39)}…` : status });
    };

    let port: number;
    try {
      port = listenPort(def.port, settings.pduTrapInPort);
    } catch (error) {
      failLater((error as Error).message);
      node.on('close', (_removed: boolean, done: () => void) => done());
      return;
    }

    const sources: TrapSource[] = [];
    /** Each source's config, by the name its traps carry: their events go to its event streams. */
    const configs = new Map<string, PduConfigNode>();
    let wrongKinds = 0;
    for (const id of def.devices ?? []) {
      const config = RED.nodes.getNode(id) as PduConfigNode | null;
      if (!config) {
        node.warn(RED._('pdu-trap-in.errors.missing-device', { id }));
        continue;
      }
      const name = config.name || config.settings?.driver.host || id;
      const transport = config.settings?.driver.transport;
      if (transport && transport !== 'snmp') {
        // A NUT, PowerMan or command-line device sends no SNMP traps: say so, do not listen for it.
        failLater(RED._('pdu-trap-in.errors.wrong-kind', { config: name, transport }));
        wrongKinds += 1;
        continue;
      }
      try {
        if (!config.settings) throw config.settingsError ?? new Error('device config missing');
        const source = trapSource({ name, settings: config.settings, engineID: config.engineID });
        for (const problem of source.problems) node.warn(problem);
        sources.push(source);
        configs.set(name, config);
      } catch (error) {
        node.warn(`${name}: ${(error as Error).message}`);
      }
    }
    const anySource = def.anySource === true;
    if (anySource && node.credentials?.community) {
      sources.push({ name: node.name || RED._('pdu-trap-in.label.anySource'), communities: [node.credentials.community], users: [] });
    }
    if (sources.length === 0) {
      // The wrong kind of device already said what is wrong.
      if (wrongKinds === 0) failLater(RED._(anySource ? 'pdu-trap-in.errors.no-credentials' : 'pdu-trap-in.errors.no-device'));
      node.on('close', (_removed: boolean, done: () => void) => done());
      return;
    }

    const showStatus = (): void => {
      statusTimer = undefined;
      if (!listener || closed) return;
      if (listener.state === 'failed') {
        node.status({ fill: 'red', shape: 'dot', text: RED._('pdu-trap-in.status.failed', { port, error: shortError(listener.error) }) });
      } else if (listener.state === 'opening') {
        node.status({ fill: 'yellow', shape: 'ring', text: RED._('pdu-trap-in.status.opening', { port }) });
      } else {
        const { received, dropped } = counters.snapshot();
        const key = dropped ? 'dropped' : received === 1 ? 'trap' : 'traps';
        const text = RED._(`pdu-trap-in.status.${key}`, { port, received, dropped });
        node.status({ fill: dropped ? 'yellow' : 'green', shape: dropped ? 'ring' : 'dot', text });
      }
    };
    const scheduleStatus = (): void => {
      if (!statusTimer && !closed) statusTimer = setTimeout(showStatus, STATUS_EVERY_MS);
    };

    const sendDiagnostics = (drop: TrapDrop): void => {
      if (!diagnostics) return;
      const { send, suppressed } = throttle.take();
      if (!send) return;
      node.send([null, {
        topic: 'dropped',
        payload: { ...drop, ...(suppressed ? { suppressed } : {}), counts: counters.snapshot(), port },
      }]);
    };

    const subscriber: TrapSubscriber = {
      sources,
      anySource,
      recvBufferSize: bufferBytes(def.bufferSize),
      onTrap(notification: ReceivedNotification, device: string | undefined) {
        let decoded;
        try {
          decoded = decoder.decode(notification, device);
        } catch (error) {
          subscriber.onDrop({ reason: 'malformed', source: notification.source, detail: (error as Error).message });
          return;
        }
        counters.trap();
        scheduleStatus();
        node.send([{ topic: decoded.event.event, payload: shareEvent(configs.get(device ?? ''), decoded.event, (error) => node.warn(error.message)), snmp: decoded.snmp } as NodeMessage, null]);
      },
      onDrop(drop: TrapDrop) {
        counters.drop(drop);
        scheduleStatus();
        sendDiagnostics(drop);
      },
      onState(changed: TrapListener) {
        if (changed.state === 'failed' && changed.error) {
          fail(changed.error.message, `udp ${port}: ${shortError(changed.error)}`);
          return;
        }
        if (changed.state === 'listening') {
          node.log(RED._('pdu-trap-in.log.listening', {
            port, families: changed.families.join(' + '), buffer: Math.round((changed.recvBufferSize ?? 0) / 1024),
          }));
          for (const note of changed.notes) node.warn(`udp ${port}: ${note}`);
        }
        showStatus();
      },
    };

    listener = acquireTrapListener(port, subscriber, { engineID: settings.pduTrapInEngineID || undefined });
    showStatus();

    if (def.mibPath && def.mibPath.trim()) {
      loadMibFolder(def.mibPath.trim()).then((folder) => {
        if (closed) return;
        decoder = new TrapDecoder({ mibNames: folder.names });
        node.log(RED._('pdu-trap-in.log.mibs', { count: folder.modules.length, path: def.mibPath ?? '' }));
        for (const problem of folder.problems) node.warn(problem);
      }).catch((error: Error) => fail(error.message));
    }

    node.on('close', (_removed: boolean, done: () => void) => {
      closed = true;
      if (statusTimer) clearTimeout(statusTimer);
      const leaving = listener;
      listener = undefined;
      (leaving ? releaseTrapListener(leaving, subscriber) : Promise.resolve())
        .catch(() => undefined)
        .then(() => {
          node.status({});
          done();
        });
    });
  }

  RED.nodes.registerType('pdu-trap-in', PduTrapIn as never, {
    credentials: { community: { type: 'password' } },
    settings: {
      pduTrapInPort: { value: DEFAULT_PORT, exportable: true },
      pduTrapInEngineID: { value: '', exportable: false },
    },
  } as never);
};

/** The node's port, else settings.js pduTrapInPort, else 1162. */
function listenPort(value: string | number | undefined, fromSettings: string | number | undefined): number {
  const chosen = value !== undefined && value !== '' ? value : fromSettings !== undefined && fromSettings !== '' ? fromSettings : DEFAULT_PORT;
  const port = Number(chosen);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`trap port must be 1 to 65535, not "${chosen}"`);
  return port;
}

/** KiB as the editor stores it -> bytes; empty means the listener's default. */
function bufferBytes(value: string | number | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const kib = Number(value);
  return Number.isFinite(kib) && kib > 0 ? Math.round(kib * 1024) : undefined;
}

function shortError(error: Error | undefined): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EACCES') return 'no permission (EACCES), see debug';
  if (code === 'EADDRINUSE') return 'port in use';
  return error?.message.slice(0, 30) ?? 'error';
}
