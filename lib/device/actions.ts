import type { PowerAction } from '../types';

// A Map, not an object literal: `constructor` or `__proto__` must not be found as an action word.
const WORDS = new Map<string, PowerAction>([
  ['on', 'on'], ['off', 'off'], ['reboot', 'reboot'], ['cycle', 'reboot'],
  ['true', 'on'], ['false', 'off'], ['1', 'on'], ['0', 'off'],
]);

/**
 * The action a message asks for. `msg.payload` may be `on`, `off`, `reboot` (or `cycle`), a
 * boolean, or 1/0; anything else that is not a plain trigger (an inject timestamp, an empty
 * payload) falls back to the node's configured action. A word we do not know is an error,
 * never a guess: `of` must not fall back to a configured `reboot`.
 */
export function parseAction(payload: unknown, fallback: string | undefined): PowerAction {
  const configured = fallback && fallback !== 'msg' ? WORDS.get(fallback) : undefined;
  if (typeof payload === 'boolean') return payload ? 'on' : 'off';
  if (typeof payload === 'string') {
    const word = WORDS.get(payload.trim().toLowerCase());
    if (word) return word;
    if (payload.trim() === '' && configured) return configured;
    throw new Error(`unknown action "${payload.slice(0, 30)}": msg.payload must be on, off, reboot or a boolean`);
  }
  if (typeof payload === 'number') {
    if (payload === 1 || payload === 0) return payload ? 'on' : 'off';
    if (configured) return configured;
  }
  if ((payload === undefined || payload === null) && configured) return configured;
  if (payload !== null && typeof payload === 'object') {
    throw new Error('msg.payload must be on, off, reboot or a boolean, not an object');
  }
  throw new Error('no action: send on, off or reboot in msg.payload, or set the node\'s action');
}
