import type { NodeStatus } from 'node-red';
import type { ConnectionState } from '../../lib/types';

/** Node-RED status for a device connection state; the text is short, as the editor shows it. */
export function connectionStatus(state: ConnectionState, text: string): NodeStatus {
  const short = text.length > 40 ? `${text.slice(0, 39)}…` : text;
  switch (state) {
    case 'connected': return { fill: 'green', shape: 'dot', text: short ? `connected: ${short}` : 'connected' };
    case 'connecting': return { fill: 'yellow', shape: 'ring', text: 'connecting' };
    case 'error': return { fill: 'red', shape: 'dot', text: short || 'error' };
    default: return { fill: 'red', shape: 'ring', text: short || 'disconnected' };
  }
}

export function errorStatus(error: unknown): NodeStatus {
  const message = error instanceof Error ? error.message : String(error);
  return { fill: 'red', shape: 'dot', text: message.length > 40 ? `${message.slice(0, 39)}…` : message };
}
