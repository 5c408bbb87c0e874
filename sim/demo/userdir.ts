import fs from 'fs';
import path from 'path';
import { DEMO_CREDENTIALS } from './credentials';

export const REPO = path.resolve(__dirname, '../..');
const PACKAGE = '@rack-power/node-red-rack-power';

export interface UserDirOptions {
  dir: string;
  port: number;
  /** Replace flows.json even when the user already has one. */
  resetFlows?: boolean;
}

/**
 * A Node-RED user directory that loads this checkout as an installed module (a symlink, as
 * `npm install <path>` makes) with every example deployed, each on its own tab.
 */
export function prepareUserDir(options: UserDirOptions): { flowsWritten: boolean; skipped?: string[] } {
  const { dir } = options;
  fs.mkdirSync(path.join(dir, 'node_modules', '@rack-power'), { recursive: true });
  const link = path.join(dir, 'node_modules', PACKAGE);
  if (!fs.existsSync(link)) fs.symlinkSync(REPO, link, 'dir');
  fs.writeFileSync(path.join(dir, 'settings.js'), settingsFile(options.port));
  const flowsFile = path.join(dir, 'flows.json');
  if (fs.existsSync(flowsFile) && !options.resetFlows) return { flowsWritten: false };
  const { flows, credentials, skipped } = exampleFlows();
  fs.writeFileSync(flowsFile, JSON.stringify(flows, null, 2));
  fs.writeFileSync(path.join(dir, 'flows_cred.json'), JSON.stringify(credentials, null, 2));
  return { flowsWritten: true, skipped };
}

/** Every example on a tab of its own, with the simulators' demo credentials for its device configs. */
export function exampleFlows(): { flows: unknown[]; credentials: Record<string, Record<string, string>>; skipped: string[] } {
  const examples = path.join(REPO, 'examples');
  const flows: Array<Record<string, unknown>> = [];
  const skipped: string[] = [];
  const credentials: Record<string, Record<string, string>> = {};
  const known = installedNodeTypes();
  // Examples share their configs (the same id): the demo keeps one of each, as Import does.
  const configs = new Set<string>();
  for (const file of demoOrder(fs.readdirSync(examples).filter((name) => name.endsWith('.json')))) {
    const nodes = JSON.parse(fs.readFileSync(path.join(examples, file), 'utf8')) as Array<Record<string, unknown>>;
    // Node-RED starts no flow at all while a node type is missing: leave such an example out.
    const missing = [...new Set(nodes.map((node) => String(node.type)).filter((type) => !known.has(type)))];
    if (missing.length > 0) {
      skipped.push(`examples/${file} (needs ${missing.join(', ')}: install its module in .demo/ and import it)`);
      continue;
    }
    const title = nodes.find((node) => node.type === 'comment')?.name ?? file;
    // An example may bring its own tab; otherwise it gets one, as Import puts it on the open tab.
    const own = nodes.find((node) => node.type === 'tab');
    // The tab's Info (the editor's sidebar) explains the example as its comment does.
    const info = String(nodes.find((node) => node.type === 'comment')?.info ?? `examples/${file}`);
    const tab = own ?? { id: `demo-tab-${file.replace(/\W/g, '-')}`, type: 'tab', label: title, info };
    if (!own) flows.push(tab);
    for (const node of nodes) {
      if ('x' in node && !node.z) node.z = tab.id;
      // Shared configs (a device's pdu-config, a broker, the dashboard's base and theme) once.
      if (configs.has(String(node.id))) continue;
      configs.add(String(node.id));
      if (node.type === 'pdu-config') credentials[String(node.id)] = { ...(DEMO_CREDENTIALS[String(node.transport)] ?? {}) };
      flows.push(node);
    }
  }
  return { flows, credentials, skipped };
}

/**
 * The demo's tabs from the first steps to the bigger flows: switching, status, the dashboard,
 * then alarms, UPS handling and the other transports; examples not listed come last.
 */
const DEMO_ORDER = ['switch-outlet.json', 'pdu-status-thresholds.json', 'dashboard.json', 'scheduled-power.json', 'ping-watchdog.json',
  'trap-alerts.json', 'trap-alerts-email.json', 'trap-out.json', 'event-log.json', 'ups-alerts.json', 'ups-load-shedding.json', 'power-sequence.json', 'nut-pdu-outlets.json',
  'many-sites-spoke.json', 'many-sites-hub.json', 'many-sites-dashboard.json', 'serial-router-reboot.json', 'powerman-nodes.json'];

export function demoOrder(files: string[]): string[] {
  const rank = (file: string): number => (DEMO_ORDER.includes(file) ? DEMO_ORDER.indexOf(file) : DEMO_ORDER.length);
  return [...files].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/**
 * Node types this Node-RED has: its core nodes, this pack's, the modules installed beside
 * Node-RED (it loads them too, e.g. the dashboard, a devDependency), and the tab/subflow/group kinds.
 */
function installedNodeTypes(): Set<string> {
  const types = new Set(['tab', 'subflow', 'group', 'junction']);
  const core = path.join(path.dirname(require.resolve('@node-red/nodes/package.json')), 'core');
  for (const folder of fs.readdirSync(core)) {
    for (const file of fs.readdirSync(path.join(core, folder)).filter((name) => name.endsWith('.js'))) {
      registeredTypes(path.join(core, folder, file), types);
    }
  }
  const pack = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
  for (const type of Object.keys(pack['node-red'].nodes)) types.add(type);
  for (const type of besideNodeRed()) types.add(type);
  return types;
}

/** The node types of the Node-RED modules in the node_modules that holds node-red itself. */
function besideNodeRed(): string[] {
  const modules = path.resolve(path.dirname(require.resolve('node-red/package.json')), '..');
  const folders = fs.readdirSync(modules).flatMap((name) => (name.startsWith('@')
    ? fs.readdirSync(path.join(modules, name)).map((sub) => path.join(name, sub)) : [name]));
  const types = new Set<string>();
  for (const folder of folders) {
    const manifest = path.join(modules, folder, 'package.json');
    if (folder === 'node-red' || folder.startsWith('@node-red/') || !fs.existsSync(manifest)) continue;
    const nodes = (JSON.parse(fs.readFileSync(manifest, 'utf8'))['node-red'] ?? {}).nodes ?? {};
    for (const file of Object.values(nodes) as string[]) registeredTypes(path.join(modules, folder, file), types);
  }
  return [...types];
}

/** Add the node types a node's .js file registers. */
function registeredTypes(file: string, types: Set<string>): void {
  const text = fs.readFileSync(file, 'utf8');
  for (const match of text.matchAll(/registerType\(\s*["']([^"']+)["']/g)) types.add(match[1]);
}

function settingsFile(port: number): string {
  return `// Written by \`npm start\` (sim/demo/userdir.ts) for the Rack Power demo.
module.exports = {
  uiHost: '127.0.0.1',
  uiPort: ${port},
  flowFile: 'flows.json',
  // The demo's credentials are the simulators' own; a real installation sets a secret here.
  credentialSecret: false,
  pduTrapInPort: 1162,
  diagnostics: { enabled: false },
  telemetry: { enabled: false },
  runtimeState: { enabled: false },
  editorTheme: { projects: { enabled: false }, tours: false },
  logging: { console: { level: 'info', metrics: false, audit: false } },
};
`;
}
