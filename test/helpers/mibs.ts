import fs from 'fs';
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
