import { helper, loadFlow } from './red';

// Node-RED with a persistent default context store (localfilesystem in a folder of the test's),
// and a restart that keeps it: the test helper alone starts every flow on a fresh memory store
// and wipes every store when it unloads.

interface HelperInternals {
  _redNodes: { loadFlows(...args: unknown[]): Promise<unknown>; loadContextsPlugin(): Promise<unknown>; stopFlows(): Promise<unknown>;
    closeContextsPlugin(): Promise<unknown>; clearRegistry(): void };
  _logSpy?: { restore(): void };
  _sandbox: { restore(): void };
}

const internals = helper as unknown as HelperInternals;

/**
 * Load a flow as Node-RED does with a localfilesystem context store in settings.js: as the default
 * store (`contextStorage: { default: { module: 'localfilesystem' } }`), or beside the memory
 * default under a name of its own.
 */
export async function loadFlowWithFileStore(flow: Array<Record<string, unknown>>, credentials: Record<string, unknown>, dir: string,
  name = 'default'): Promise<void> {
  const file = { module: 'localfilesystem', config: { dir } };
  helper.settings({ contextStorage: name === 'default' ? { default: file } : { default: { module: 'memory' }, [name]: file } } as never);
  const nodes = internals._redNodes;
  const loadFlows = nodes.loadFlows;
  // The runtime loads its context stores between initialising the nodes and loading the flows.
  nodes.loadFlows = async (...args: unknown[]) => {
    await nodes.loadContextsPlugin();
    return loadFlows.apply(nodes, args);
  };
  try {
    await loadFlow(flow, credentials);
  } finally {
    nodes.loadFlows = loadFlows;
  }
}

/** Stop Node-RED as a restart does (every node closes, the stores close, kept on disk), then start it again. */
export async function restartWithFileStore(flow: Array<Record<string, unknown>>, credentials: Record<string, unknown>, dir: string,
  name = 'default'): Promise<void> {
  const nodes = internals._redNodes;
  await nodes.stopFlows();
  await nodes.closeContextsPlugin();
  nodes.clearRegistry();
  internals._logSpy?.restore();
  internals._sandbox.restore();
  await loadFlowWithFileStore(flow, credentials, dir, name);
}

/** Back to the helper's own settings (a memory store) for the tests that follow. */
export function forgetFileStore(): void {
  helper.settings({ contextStorage: undefined } as never);
}
