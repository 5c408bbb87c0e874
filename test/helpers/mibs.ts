import * as snmp from 'net-snmp';
import fs from 'fs';
import path from 'path';
import { sharedFolder } from './shared-folder';

/**
 * The vendors' MIB files are not ours to ship: they live in a `shared/mibs` folder beside the
 * repository (or wherever RACK_POWER_MIBS says). Undefined when there are none: the MIB tests then skip.
 */
export function mibFolder(): string | undefined {
  return sharedFolder('mibs', 'RACK_POWER_MIBS');
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
