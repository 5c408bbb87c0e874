import fs from 'fs';
import path from 'path';
import { sharedFolder } from './shared-folder';

/**
 * Recordings of real devices are not ours to ship: they live in a `shared/realdata` folder beside
 * the repository (or wherever RACK_POWER_REALDATA says). Undefined when there is none: those tests then skip.
 */
export function realdataFolder(): string | undefined {
  return sharedFolder('realdata', 'RACK_POWER_REALDATA');
}

/** One kind of recording in it (`snmprec`, `nut-ddl`), when it is there. */
export function realdataKind(kind: 'snmprec' | 'nut-ddl'): string | undefined {
  const folder = realdataFolder();
  const candidate = folder && path.join(folder, kind);
  return candidate && fs.existsSync(candidate) ? candidate : undefined;
}

export const NO_REALDATA = '(skipped: no shared/realdata folder above the checkout; set RACK_POWER_REALDATA)';

/** Says why a suite skips, once, in the test output. */
export function skipWithoutRealdata(context: Mocha.Context): string {
  const folder = realdataFolder();
  if (!folder || !fs.existsSync(path.join(folder, 'nut-ddl'))) {
    console.log(`      (skipped: no ${folder ? `nut-ddl folder in ${folder}` : 'shared/realdata folder above the checkout'}; set RACK_POWER_REALDATA)`);
    context.skip();
  }
  return folder!;
}

/**
 * An `upsc` dump of the NUT Devices Dumps Library (shared/realdata/nut-ddl), ready for dummy-ups:
 * lines with an empty value are left out, because dummy-ups 2.8.0 gives such a variable the value
 * of the line before it (so `outlet.10.desc: ` would read `no`). Everything else is served as is.
 */
export function nutDump(folder: string, file: string): string {
  const text = fs.readFileSync(path.join(folder, 'nut-ddl', file), 'utf8');
  return text.split('\n').filter((line) => !/^[\w.-]+:\s*$/.test(line)).join('\n');
}
