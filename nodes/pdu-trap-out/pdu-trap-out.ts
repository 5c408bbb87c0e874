import type { NodeAPI, NodeDef, Node, NodeMessage } from 'node-red';
import { checkEvent } from '../../lib/notify/event-check';
import { engineIDFor, SENDER_DEFAULTS, TrapSender, type TrapTarget } from '../../lib/notify/trap-sender';
import { short } from '../shared/status';

interface TrapOutDef extends NodeDef {
  mode?: string;
  engineID?: string;
  retries?: string | number;
  timeout?: string | number;
  queueLimit?: string | number;
}

/** Where to send and with what: all of it credentials, so none of it is in a flow file. */
interface TrapOutCredentials {
  host?: string;
  port?: string;
  version?: string;
  community?: string;
  username?: string;
  authProtocol?: string;
  authKey?: string;
  privProtocol?: string;
  privKey?: string;
}

type TrapOutNode = Node<TrapOutCredentials>;

const DEFAULT_PORT = 162;

export = function register(RED: NodeAPI): void {
  function PduTrapOut(this: TrapOutNode, def: TrapOutDef): void {
    RED.nodes.createNode(this, def);
    const node = this;
    const mode = def.mode === 'inform' ? 'inform' : 'trap';
    let sent = 0;
    let failed = 0;
    let sender: TrapSender | undefined;
    let configError: string | undefined;

    try {
      sender = new TrapSender(target(node.credentials ?? {}, def, mode, node.id));
      if (node.credentials?.version === '3') node.log(RED._('pdu-trap-out.log.engineID', { engineID: sender.engineID }));
    } catch (error) {
      configError = (error as Error).message;
    }

    const showCounts = (): void => {
      const key = mode === 'inform' ? 'acknowledged' : 'sent';
      const text = RED._(`pdu-trap-out.status.${key}`, { count: sent }) + (failed ? RED._('pdu-trap-out.status.failed', { count: failed }) : '');
      node.status({ fill: failed ? 'yellow' : 'green', shape: failed ? 'ring' : 'dot', text });
    };
    // A node left unconfigured is not an error until it is given an event: the status says what is missing.
    if (configError) node.status({ fill: 'yellow', shape: 'ring', text: short(configError) });
    else node.status({ fill: 'grey', shape: 'ring', text: RED._(`pdu-trap-out.status.ready-${mode}`) });

    node.on('input', (msg: NodeMessage, send: (msg: NodeMessage) => void, done: (error?: Error) => void) => {
      let event;
      try {
        event = checkEvent(msg.payload);
      } catch (error) {
        node.status({ fill: 'red', shape: 'dot', text: short((error as Error).message) });
        done(error as Error);
        return;
      }
      if (!sender) {
        node.status({ fill: 'red', shape: 'dot', text: short(configError ?? 'not configured') });
        done(new Error(RED._('pdu-trap-out.errors.not-configured', { error: configError ?? '' })));
        return;
      }
      if (mode === 'inform') node.status({ fill: 'blue', shape: 'ring', text: RED._('pdu-trap-out.status.waiting', { count: sender.pending + 1 }) });
      sender.send(event).then(() => {
        sent += 1;
        showCounts();
        send(msg);
        done();
      }, (error: Error) => {
        failed += 1;
        node.status({ fill: 'red', shape: 'dot', text: short(error.message) });
        done(error);
      });
    });

    node.on('close', (_removed: boolean, done: () => void) => {
      sender?.close();
      node.status({});
      done();
    });
  }

  RED.nodes.registerType('pdu-trap-out', PduTrapOut as never, {
    credentials: {
      host: { type: 'text' },
      port: { type: 'text' },
      version: { type: 'text' },
      community: { type: 'password' },
      username: { type: 'text' },
      authProtocol: { type: 'text' },
      authKey: { type: 'password' },
      privProtocol: { type: 'text' },
      privKey: { type: 'password' },
    },
  } as never);
};

/** The sender's target from the node's credentials and settings. */
function target(credentials: TrapOutCredentials, def: TrapOutDef, mode: 'trap' | 'inform', id: string): TrapTarget {
  const version = credentials.version === '3' ? '3' : '2c';
  return {
    host: (credentials.host ?? '').trim(),
    port: credentials.port ? Number(credentials.port) : DEFAULT_PORT,
    version,
    mode,
    community: credentials.community,
    user: version === '3' ? {
      username: credentials.username ?? '',
      securityLevel: 'authPriv',
      authProtocol: credentials.authProtocol || 'sha',
      authKey: credentials.authKey,
      privProtocol: credentials.privProtocol || 'aes',
      privKey: credentials.privKey,
    } : undefined,
    // Stable across restarts, so that the NMS's `createUser -e` entry for this sender keeps matching.
    engineID: (def.engineID ?? '').trim() || engineIDFor(id),
    retries: whole(def.retries, SENDER_DEFAULTS.retries, 0, 'retries'),
    timeoutMs: whole(def.timeout, SENDER_DEFAULTS.timeoutMs, 1, 'timeout'),
    queueLimit: whole(def.queueLimit, SENDER_DEFAULTS.queueLimit, 1, 'queue limit'),
  };
}

function whole(value: string | number | undefined, fallback: number, min: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < min) throw new Error(`${name} must be a whole number from ${min}, not "${value}"`);
  return number;
}
