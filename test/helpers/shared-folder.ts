import fs from 'fs';
import path from 'path';

/**
 * Files that are not ours to ship (vendor MIBs, recordings of real devices) live in a `shared/`
 * folder beside the repository, found in every folder above the checkout so that a git worktree
 * finds them too, or wherever the environment variable says. Undefined when there is none.
 */
export function sharedFolder(name: string, environmentVariable: string): string | undefined {
  if (process.env[environmentVariable]) return process.env[environmentVariable];
  for (let dir = path.resolve(__dirname, '../..'); ; dir = path.dirname(dir)) {
    const candidate = path.join(path.dirname(dir), 'shared', name);
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}
