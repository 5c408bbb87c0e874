import fs from 'fs';
import path from 'path';
import * as snmp from 'net-snmp';
import { OidNames } from './trap-varbinds';

// MIB files a user points the trap-in node at, so traps the trap tables do not know still get
// their MIB names (and their varbinds too). Parsing a large MIB takes a second or more, so each
// folder is read once per process and shared by every node that names it.

export interface MibFolder {
  names: OidNames;
  /** Modules that loaded. */
  modules: string[];
  /** Files that could not be read or had no module in them. */
  problems: string[];
}

interface Entry { OID?: string; MACRO?: string; ENTERPRISE?: string; VALUE?: number }

const cache = new Map<string, { stamp: string; folder: Promise<MibFolder> }>();

/** Load every MIB in the folder (once for the same files; again when they change). */
export function loadMibFolder(folder: string): Promise<MibFolder> {
  const resolved = path.resolve(folder);
  let files: string[];
  try {
    files = fs.readdirSync(resolved)
      .map((name) => path.join(resolved, name))
      .filter((file) => fs.statSync(file).isFile());
  } catch (error) {
    return Promise.reject(new Error(`cannot read the MIB folder ${resolved}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`));
  }
  const stamp = files.map((file) => `${file}:${fs.statSync(file).mtimeMs}`).join('|');
  const cached = cache.get(resolved);
  if (cached && cached.stamp === stamp) return cached.folder;
  const loading = new Promise<MibFolder>((resolve) => {
    // Let the flow start first: the parse below holds the event loop while it runs.
    setImmediate(() => resolve(parseFiles(files)));
  });
  cache.set(resolved, { stamp, folder: loading });
  return loading;
}

function parseFiles(files: string[]): MibFolder {
  const store = snmp.createModuleStore();
  const problems: string[] = [];
  const modules: string[] = [];
  for (const { file, module } of dependencyOrder(files, problems)) {
    try {
      store.loadFromFile(file);
      modules.push(module);
    } catch (error) {
      problems.push(`${path.basename(file)}: ${(error as Error).message}`);
    }
  }
  return { names: namesOf(store), modules, problems };
}

/** Files in an order where each module's imports come before it (net-snmp resolves imports as it loads). */
function dependencyOrder(files: string[], problems: string[]): Array<{ file: string; module: string }> {
  const byModule = new Map<string, { file: string; imports: string[] }>();
  for (const file of files) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'latin1');
    } catch (error) {
      problems.push(`${path.basename(file)}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      continue;
    }
    const definition = /^\s*([A-Za-z][\w-]*)\s+DEFINITIONS\s*::=\s*BEGIN/m.exec(text);
    if (!definition) {
      problems.push(`${path.basename(file)}: no MIB module in it`);
      continue;
    }
    const importsBlock = /\bIMPORTS\b([\s\S]*?);/.exec(text)?.[1] ?? '';
    const imports = [...importsBlock.matchAll(/\bFROM\s+([A-Za-z][\w-]*)/g)].map((match) => match[1]);
    byModule.set(definition[1], { file, imports });
  }
  const ordered: Array<{ file: string; module: string }> = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (module: string): void => {
    const entry = byModule.get(module);
    if (!entry || state.has(module)) return;
    state.set(module, 'visiting');
    for (const imported of entry.imports) visit(imported);
    state.set(module, 'done');
    ordered.push({ file: entry.file, module });
  };
  for (const module of [...byModule.keys()].sort()) visit(module);
  return ordered;
}

function namesOf(store: snmp.ModuleStore): OidNames {
  const names = new OidNames();
  const enterprises = new Map<string, string>();
  const modules = store.getModuleNames(true).map((name) => store.getModule(name) as Record<string, Entry> | undefined);
  for (const module of modules) {
    for (const [name, entry] of Object.entries(module ?? {})) {
      if (!entry?.OID) continue;
      enterprises.set(name, entry.OID);
      // Only objects name varbinds (`enterprises.99997.2.0` would name nothing useful).
      if (entry.MACRO === 'OBJECT-TYPE') names.addObject(entry.OID, name);
      if (entry.MACRO === 'NOTIFICATION-TYPE') names.addNotification(entry.OID, name);
    }
  }
  // SMIv1 TRAP-TYPEs have no OID of their own: enterprise.0.number (RFC 3584).
  for (const module of modules) {
    for (const [name, entry] of Object.entries(module ?? {})) {
      if (entry?.MACRO !== 'TRAP-TYPE' || !entry.ENTERPRISE) continue;
      const enterprise = enterprises.get(entry.ENTERPRISE);
      if (enterprise && entry.VALUE !== undefined) names.addNotification(`${enterprise}.0.${entry.VALUE}`, name);
    }
  }
  return names;
}
