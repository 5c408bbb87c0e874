import fs from 'fs';
import path from 'path';
import helper from 'node-red-node-test-helper';

helper.init(require.resolve('node-red'));
// The helper never initialises the runtime's settings, so core nodes that register settings of
// their own (function, debug) fail to load; an empty init makes them load as in Node-RED.
(helper as unknown as { _settings: { init(settings: object): void } })._settings.init({});

const NODES = ['pdu-config', 'pdu-outlet', 'pdu-status', 'ups-nut', 'pdu-trap-in', 'pdu-site', 'pdu-fleet', 'pdu-trap-out', 'pdu-events', 'pdu-sequence'];

/**
 * The pack's English message catalogs, merged. The test helper's RED._ returns the key itself;
 * Node-RED looks it up (a key may name its catalog: `catalog:key`), and so do the tests, so
 * that what they read is what a user reads.
 */
const catalog: Record<string, unknown> = Object.assign({}, ...NODES.map((name) => JSON.parse(
  fs.readFileSync(path.join(__dirname, `../../nodes/${name}/locales/en-US/${name}.json`), 'utf8'))));

export function translate(key: string, vars: Record<string, unknown> = {}): string {
  const bare = key.slice(key.indexOf(':') + 1);
  const text = bare.split('.').reduce<unknown>((at, part) => (at as Record<string, unknown> | undefined)?.[part], catalog);
  if (typeof text !== 'string') return key;
  return text.replace(/__(\w+)__/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

/** The pack's node modules, as Node-RED loads them, with the catalog behind RED._. */
export const packNodes = NODES.map((name) => {
  const register = require(`../../nodes/${name}/${name}`) as (RED: object) => unknown;
  return (RED: object) => register(new Proxy(RED, { get: (target, key, receiver) => (key === '_' ? translate : Reflect.get(target, key, receiver)) }));
});

/** Core nodes the flows and examples use, loaded from Node-RED itself. */
const core = (file: string) => require(`@node-red/nodes/core/${file}`);
export const coreNodes = [
  core('common/20-inject.js'), core('common/25-catch.js'), core('common/24-complete.js'), core('common/90-comment.js'),
  core('common/21-debug.js'), core('common/25-status.js'), core('common/60-link.js'), core('function/10-function.js'),
  core('function/10-switch.js'), core('function/15-change.js'), core('function/89-trigger.js'),
  core('function/89-delay.js'), core('function/rbe.js'), core('function/16-range.js'), core('function/90-exec.js'),
  core('network/21-httprequest.js'), core('network/10-mqtt.js'),
];

export { helper };

/** Load a flow with the pack's nodes and the core nodes. */
export async function loadFlow(flow: Array<Record<string, unknown>>, credentials: Record<string, unknown> = {}): Promise<void> {
  await helper.load([...packNodes, ...coreNodes] as never, flow as never, credentials as never);
}

export type FlowNode = Record<string, unknown> & { id: string; type: string };

/** Resolves with the next message a node sends (on any output), or rejects after `ms`. */
export function nextMessage<T = Record<string, unknown>>(node: { on(event: string, fn: (msg: T) => void): void },
  ms = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no message within ${ms} ms`)), ms);
    node.on('input', (msg: T) => {
      clearTimeout(timer);
      resolve(msg);
    });
  });
}

/** Collects every message a helper node receives. */
export function collect<T = Record<string, unknown>>(node: { on(event: string, fn: (msg: T) => void): void }): T[] {
  const messages: T[] = [];
  node.on('input', (msg: T) => { messages.push(msg); });
  return messages;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => { setTimeout(resolve, ms); });
}

/** Wait until `check` returns a truthy value, polling every 20 ms. */
export async function until<T>(check: () => T | undefined | null | false, ms = 5000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/**
 * Errors a node reported with done(err) or node.error(err, msg), as Catch nodes see them.
 * The test-helper records them as log events of level ERROR (50).
 */
export function reportedErrors(): Array<{ msg: string; id?: string }> {
  const spy = helper.log();
  return spy.args.map((args: unknown[]) => args[0] as { level: number; msg: unknown; id?: string })
    .filter((event) => event.level === 20)
    .map((event) => ({ msg: String((event.msg as Error)?.message ?? event.msg), id: event.id }));
}
