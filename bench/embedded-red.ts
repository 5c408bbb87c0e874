import fs from 'fs';
import http from 'http';
import os from 'os';
import path from 'path';

/** What the bench needs of Node-RED's runtime API. */
interface Red {
  init(server: http.Server, settings: Record<string, unknown>): void;
  start(): Promise<void>;
  stop(): Promise<void>;
  nodes: { getNode(id: string): { receive(msg: object): void; on(event: string, fn: (msg: unknown) => void): void } | null };
}

export interface EmbeddedRed {
  node(id: string): NonNullable<ReturnType<Red['nodes']['getNode']>>;
  stop(): Promise<void>;
}

/**
 * The real Node-RED runtime in this process (as an application embeds it), with this checkout
 * installed as a module, running `flows`. No editor, no HTTP: only the runtime is measured.
 */
export async function startEmbeddedRed(flows: unknown[], credentials: Record<string, unknown>): Promise<EmbeddedRed> {
  const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rack-power-bench-'));
  fs.mkdirSync(path.join(userDir, 'node_modules', '@rack-power'), { recursive: true });
  fs.symlinkSync(path.resolve(__dirname, '..'), path.join(userDir, 'node_modules', '@rack-power', 'node-red-rack-power'), 'dir');
  // The flows and their credentials are in place before the runtime starts, as a user's files are.
  fs.writeFileSync(path.join(userDir, 'flows.json'), JSON.stringify(flows));
  fs.writeFileSync(path.join(userDir, 'flows_cred.json'), JSON.stringify(credentials));
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const RED = require('node-red') as Red;
  RED.init(http.createServer(), {
    userDir, flowFile: 'flows.json', credentialSecret: false, httpAdminRoot: false, httpNodeRoot: false,
    logging: { console: { level: process.env.BENCH_LOG ?? 'warn' } }, diagnostics: { enabled: false }, runtimeState: { enabled: false },
    editorTheme: { projects: { enabled: false } },
  });
  await RED.start();
  const last = (flows[flows.length - 1] as { id: string }).id;
  for (let waited = 0; !RED.nodes.getNode(last); waited += 20) {
    if (waited > 20000) throw new Error('the flows did not start within 20 s');
    await new Promise((resolve) => { setTimeout(resolve, 20); });
  }
  return {
    node: (id) => {
      const found = RED.nodes.getNode(id);
      if (!found) throw new Error(`node ${id} did not start`);
      return found;
    },
    stop: async () => {
      await RED.stop();
      fs.rmSync(userDir, { recursive: true, force: true });
    },
  };
}
