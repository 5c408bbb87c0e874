import type { NodeAPI, NodeDef, NodeMessageInFlow } from 'node-red';
import { parseAction } from '../../lib/device/actions';
import type { SwitchResult } from '../../lib/device/device';
import { configNode, type DeviceUser } from '../shared/config-node';
import { closeWith } from '../shared/close';
import { errorStatus, short } from '../shared/status';

interface OutletDef extends NodeDef {
  device: string;
  outlet: string;
  action: string;
  allowAll: boolean;
  verify: boolean;
  probeHost: string;
  probePort: string;
}

type OutletMessage = NodeMessageInFlow & { outlet?: unknown; force?: unknown };

export = function register(RED: NodeAPI): void {
  function PduOutlet(this: DeviceUser, def: OutletDef): void {
    RED.nodes.createNode(this, def);
    const node = this;
    const config = configNode(RED, def.device);
    if (!config) {
      node.status({ fill: 'red', shape: 'dot', text: RED._('pdu-outlet.status.no-device') });
    } else {
      config.register(node);
    }

    node.on('input', (msg: OutletMessage, send, done) => {
      if (!config) {
        done(new Error(RED._('pdu-outlet.errors.no-device')));
        return;
      }
      let action;
      let targets;
      try {
        action = parseAction(msg.payload, def.action);
        targets = msg.outlet ?? def.outlet;
        if (targets !== undefined && typeof targets !== 'string' && typeof targets !== 'number' && !Array.isArray(targets)) {
          throw new Error(RED._('pdu-outlet.errors.outlet-type'));
        }
      } catch (error) {
        node.showsOutcome = true;
        node.status(errorStatus(error));
        done(error as Error);
        return;
      }
      // From now on the node shows its own outcome, not the connection's state.
      node.showsOutcome = true;
      const port = def.probePort ? Number(def.probePort) : undefined;
      const named = String(targets);
      node.status({ fill: 'blue', shape: 'ring', text: RED._('pdu-outlet.status.sending', { action, outlets: short(named, 24) }) });
      Promise.resolve()
        .then(() => config.device().switch({
          targets: targets as never,
          action,
          allowAll: def.allowAll === true,
          verify: def.verify !== false,
          force: msg.force === true,
          probe: def.probeHost ? { host: def.probeHost, port } : undefined,
          requester: { id: node.id, name: node.name },
        }))
        .then((result: SwitchResult) => {
          const verified = result.outlets.every((outlet) => outlet.verified);
          const switched = RED._(`pdu-outlet.status.${verified ? 'done' : 'unverified'}`,
            { action: result.action, outlets: result.outlets.map((outlet) => outlet.index).join(',') });
          node.status({
            fill: verified ? 'green' : 'yellow',
            shape: 'dot',
            text: result.locked.length ? RED._('pdu-outlet.status.locked', { text: switched, count: result.locked.length }) : switched,
          });
          msg.payload = result;
          msg.topic = result.device;
          send(msg);
          done();
        })
        .catch((error: Error) => {
          node.status(errorStatus(error));
          done(error);
        });
    });

    closeWith(node, config);
  }

  RED.nodes.registerType('pdu-outlet', PduOutlet as never);
};
