import fs from 'fs';
import * as snmp from 'net-snmp';
import path from 'path';

/**
 * The vendors' MIB files are not ours to ship: they live in a `shared/mibs` folder beside the
 * repository (or wherever RACK_POWER_MIBS says). Looked for in every folder above the checkout,
 * so a git worktree finds them too. Undefined when there are none: the MIB tests then skip.
 */
export function mibFolder(): string | undefined {
  if (process.env.RACK_POWER_MIBS) return process.env.RACK_POWER_MIBS;
  for (let dir = path.resolve(__dirname, '../..'); ; dir = path.dirname(dir)) {
    const candidate = path.join(path.dirname(dir), 'shared', 'mibs');
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}

const NET_SNMP_MIBS = path.join(path.dirname(require.resolve('net-snmp')), 'lib/mibs');

/** Imports the vendor MIBs need that net-snmp's own store does not carry. */
const BASE_FILES = ['SNMP-FRAMEWORK-MIB', 'INET-ADDRESS-MIB'];

/**
 * net-snmp's module store with these vendor MIB files (and their imports) loaded; undefined, and
 * a line in the test output, when the MIB folder is not there.
 */
export function loadMibStore(files: string[]): snmp.ModuleStore | undefined {
  const folder = mibFolder();
  if (!folder) {
    console.log('      (skipped: no shared/mibs folder above the checkout; set RACK_POWER_MIBS)');
    return undefined;
  }
  const store = snmp.createModuleStore();
  for (const file of new Set([...BASE_FILES, ...files])) {
    // Standard MIBs net-snmp ships but does not preload (IF-MIB, which PM-MIB imports) come from its copy.
    const own = path.join(NET_SNMP_MIBS, `${file}.mib`);
    store.loadFromFile(fs.existsSync(path.join(folder, file)) || !fs.existsSync(own) ? path.join(folder, file) : own);
  }
  return store;
}
