import fs from 'fs';
import path from 'path';

/**
 * Recordings of real devices are not ours to ship: they live in a `shared/realdata` folder beside
 * the repository (or wherever RACK_POWER_REALDATA says), looked for in every folder above the
 * checkout, so a git worktree finds them too. Undefined when there are none: those tests skip.
 */
export function realdataFolder(kind: 'snmprec'): string | undefined {
  if (process.env.RACK_POWER_REALDATA) {
    const given = path.join(process.env.RACK_POWER_REALDATA, kind);
    return fs.existsSync(given) ? given : undefined;
  }
  for (let dir = path.resolve(__dirname, '../..'); ; dir = path.dirname(dir)) {
    const candidate = path.join(path.dirname(dir), 'shared', 'realdata', kind);
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}

export const NO_REALDATA = '(skipped: no shared/realdata folder above the checkout; set RACK_POWER_REALDATA)';
