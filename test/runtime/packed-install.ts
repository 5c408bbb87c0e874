import { execFileSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';

const REPO = path.resolve(__dirname, '../..');
export const PACKAGE = '@rack-power/node-red-rack-power';

/** npm without the npm_* variables of an `npx mocha` or `npm test` around us, which would steer it. */
function npm(args: string[], cwd: string): string {
  const env = { ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key))), npm_config_ignore_scripts: 'true' };
  return execFileSync('npm', args, { cwd, encoding: 'utf8', env });
}

/** What `npm pack` would publish, as a file list (the checkout must be built). */
export function packedFiles(): string[] {
  const out = npm(['pack', '--dry-run', '--json', '--ignore-scripts'], REPO);
  return (JSON.parse(out) as Array<{ files: Array<{ path: string }> }>)[0].files.map((file) => file.path);
}

/** The tarball `npm pack` makes of the checkout, in a temporary folder. */
export function packTarball(): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'rack-power-pack-'));
  const out = npm(['pack', '--json', '--ignore-scripts', '--pack-destination', folder], REPO);
  return path.join(folder, (JSON.parse(out) as Array<{ filename: string }>)[0].filename);
}

/**
 * Install the tarball into a Node-RED user directory as `npm install <tarball>` would, without
 * the network: its files unpacked under node_modules, and its dependencies (already installed
 * for this checkout) linked beside it.
 */
export function installTarball(tarball: string): (userDir: string) => void {
  return (userDir) => {
    const target = path.join(userDir, 'node_modules', PACKAGE);
    fs.mkdirSync(target, { recursive: true });
    execFileSync('tar', ['-xzf', tarball, '-C', target, '--strip-components=1']);
    const pkg = JSON.parse(fs.readFileSync(path.join(target, 'package.json'), 'utf8'));
    for (const dependency of Object.keys(pkg.dependencies ?? {})) {
      const installed = path.dirname(require.resolve(`${dependency}/package.json`, { paths: [REPO] }));
      fs.mkdirSync(path.dirname(path.join(userDir, 'node_modules', dependency)), { recursive: true });
      fs.symlinkSync(installed, path.join(userDir, 'node_modules', dependency), 'dir');
    }
  };
}
