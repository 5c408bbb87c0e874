import type { NodeStatus } from 'node-red';
import type { ConnectionState } from '../../lib/types';
import type { Texts } from './texts';

/** The editor shows a status under the node: keep it short; the whole text goes to Catch and the log. */
export function short(text: string, length = 40): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}

/** Node-RED status for a device connection state. */
export function connectionStatus(state: ConnectionState, text: string, texts: Texts): NodeStatus {
  const detail = short(text);
  switch (state) {
    case 'connected': return { fill: 'green', shape: 'dot', text: detail ? texts('status.connectedAs', { detail }) : texts('status.connected') };
    case 'connecting': return { fill: 'yellow', shape: 'ring', text: texts('status.connecting') };
    case 'error': return { fill: 'red', shape: 'dot', text: detail || texts('status.error') };
    default: return { fill: 'red', shape: 'ring', text: detail || texts('status.disconnected') };
  }
}

export function errorStatus(error: unknown): NodeStatus {
  return { fill: 'red', shape: 'dot', text: short(error instanceof Error ? error.message : String(error)) };
}
