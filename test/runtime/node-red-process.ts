import { ChildProcess, spawn } from 'child_process';
import fs from 'fs';
import net from 'net';
import os from 'os';
import path from 'path';

const REPO = path.resolve(__dirname, '../..');

export interface NodeRedProcess {
  url: string;
  userDir: string;
  /** Everything Node-RED printed so far. */
  output(): string;
  request(method: string, route: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; text: string }>;
  stop(): Promise<void>;
  /** Killed hard (SIGKILL), as a crash or a power cut: no close handlers run. */
  kill(): Promise<void>;
}

function linkCheckout(userDir: string): void {
  fs.mkdirSync(path.join(userDir, 'node_modules', '@rack-power'), { recursive: true });
  fs.symlinkSync(REPO, path.join(userDir, 'node_modules', '@rack-power', 'node-red-rack-power'), 'dir');
}

function freeTcpPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A real Node-RED 4 process with this checkout installed as a module (a symlink, as `npm install
 * <dir>` makes), or with `install` putting the pack into the fresh user directory its own way.
 */
export async function startNodeRed(settings: Record<string, unknown> = {},
  install: (userDir: string) => void = linkCheckout): Promise<NodeRedProcess> {
  const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rack-power-red-'));
  install(userDir);
  const port = await freeTcpPort();
  fs.writeFileSync(path.join(userDir, 'settings.js'), `module.exports = ${JSON.stringify({
    uiHost: '127.0.0.1', uiPort: port, flowFile: 'flows.json', credentialSecret: 'test-secret-for-this-run',
    logging: { console: { level: 'trace', metrics: false, audit: true } }, diagnostics: { enabled: false },
    // No first-run prompts (update notifications, tours) over the editor.
    telemetry: { enabled: false }, editorTheme: { tours: false },
    ...settings,
  })};`);
  let output = '';
  const child: ChildProcess = spawn(process.execPath, [require.resolve('node-red/red.js'), '--userDir', userDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (data) => { output += data; });
  child.stderr!.on('data', (data) => { output += data; });
  const url = `http://127.0.0.1:${port}`;
  const request = async (method: string, route: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${url}${route}`, {
      method,
      headers: { 'Content-Type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, text: await response.text() };
  };
  const end = (signal: NodeJS.Signals): Promise<void> => new Promise((resolve) => {
    const gone = (): void => {
      fs.rmSync(userDir, { recursive: true, force: true });
      resolve();
    };
    if (child.exitCode !== null || child.signalCode !== null) {
      gone();
      return;
    }
    child.once('exit', gone);
    child.kill(signal);
  });
  const deadline = Date.now() + 20000;
  for (;;) {
    try {
      // Up: it answers, with the settings, or 401 where adminAuth wants a login first.
      if ([200, 401].includes((await request('GET', '/settings')).status)) break;
    } catch { /* not up yet */ }
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`Node-RED did not start:\n${output}`);
    await new Promise((resolve) => { setTimeout(resolve, 100); });
  }
  return {
    url,
    userDir,
    output: () => output,
    request,
    stop: () => end('SIGINT'),
    kill: () => end('SIGKILL'),
  };
}
