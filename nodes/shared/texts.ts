/**
 * The pack's shared runtime texts (statuses, connection reports) live in pdu-config's message
 * catalog, which every node of the pack has beside it: each node's own RED._ reaches it by the
 * catalog's name, so the texts are written once and translated like the rest of the UI.
 */
const CATALOG = '@rack-power/node-red-rack-power/pdu-config';

export type Texts = (key: string, vars?: Record<string, string | number>) => string;

export function packTexts(RED: { _: (key: string, vars?: Record<string, string | number>) => string }): Texts {
  return (key, vars) => RED._(`${CATALOG}:pdu-config.runtime.${key}`, vars);
}
