import type { Node } from 'node-red';
import type { DeviceUser, PduConfigNode } from './config-node';

/**
 * On close (stop, redeploy): the node's own cleanup, then leave its config, which closes the
 * device once its last user has gone. Close never fails: Node-RED must be able to stop.
 */
export function closeWith(node: Node, config: PduConfigNode | undefined, cleanup: () => void = () => undefined): void {
  node.on('close', (_removed: boolean, done: () => void) => {
    try {
      cleanup();
    } finally {
      (config ? config.deregister(node as DeviceUser) : Promise.resolve()).catch(() => undefined).then(() => done());
    }
  });
}
