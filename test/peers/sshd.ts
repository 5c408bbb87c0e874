import { execFileSync, spawn, spawnSync, type ChildProcess } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import type { StdioSimOptions, StdioSimStatus } from '../../sim/cli/stdio';
import { freeTcpPort, isListening, waitFor } from './ports';

/** As root, sshd logs in this user (made once, with this password); otherwise only the user running the tests. */
export const SSH_TEST_USER = 'pduadmin';
export const SSH_TEST_PASSWORD = 'pdupass1';
const SSHD = '/usr/sbin/sshd';
const SIM = path.join(__dirname, '../../sim/cli/stdio.js');

/** Why password and keyboard-interactive logins cannot be tested here, if they cannot. */
export function sshdPasswordProblem(): string | undefined {
  if (process.getuid?.() === 0) return undefined;
  return 'not root, so sshd runs as this user without PAM and checks no passwords';
}

/**
 * Why sshd cannot give a session a terminal here, if it cannot. A PTY must end up in the tty
 * group; a non-root sshd cannot change its group, so it works only where /dev/pts hands out
 * PTYs in that group already (mounted with gid=5, as on most systems; not in every container).
 */
export function sshdTerminalProblem(): string | undefined {
  if (process.getuid?.() === 0) return undefined;
  const tty = /^tty:[^:]*:(\d+):/m.exec(fs.readFileSync('/etc/group', 'utf8'))?.[1] ?? '5';
  const devpts = fs.readFileSync('/proc/mounts', 'utf8').split('\n').filter((line) => line.split(' ')[1] === '/dev/pts');
  if (devpts.length && devpts.every((line) => new RegExp(`[ ,]gid=${tty}[ ,]`).test(line))) return undefined;
  return 'not root, and /dev/pts is mounted without gid=tty, so a non-root sshd cannot hand out a terminal';
}

export interface SshdOptions {
  /** sshd's AuthenticationMethods: `publickey`, `password`, `keyboard-interactive`. */
  methods?: string;
  /** The simulator's options (faults, a CLI login done by SSH). */
  sim?: StdioSimOptions;
  /** Reuse this port (a server started again after a kill). */
  port?: number;
  /** Authorize the client keys of that server (another host key, the same client). */
  clientKeyFrom?: Pick<Sshd, 'clientKey' | 'encryptedKey' | 'passphrase'>;
}

export interface Sshd {
  port: number;
  dir: string;
  /** Who may log in; as root a test user with a password, else the current user with the key only. */
  user: string;
  /** Password logins work (root only: PAM checks the test user's password). */
  passwords: boolean;
  password?: string;
  /** The client's private key (OpenSSH text), authorized for the user; and one encrypted with `passphrase`. */
  clientKey: string;
  encryptedKey: string;
  passphrase: string;
  /** The server's host key fingerprint, as `ssh-keygen -l` prints it. */
  fingerprint: string;
  /** What the simulator behind the last login reports (outlets, commands seen). */
  simStatus(): StdioSimStatus | undefined;
  /** Change the simulator's options for the next login. */
  setSim(options: StdioSimOptions): void;
  /** Kill sshd and every session it runs, at once (SIGKILL): a server that dies. */
  kill(): void;
  /** Start it again on the same port with the same keys. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * OpenSSH's sshd on a free loopback port, in a temporary directory, whose every session is the
 * power-manager simulator on standard input and output (ForceCommand). As root it logs in a test
 * user by password (PAM), keyboard-interactive or key; as any other user sshd can only log in
 * that user, by key (no PAM, no StrictModes for the temporary directory).
 */
export async function startSshd(options: SshdOptions = {}): Promise<Sshd> {
  const root = process.getuid?.() === 0;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rack-power-sshd-'));
  // The test user reads the authorized keys and the simulator's options, and writes its status.
  fs.chmodSync(dir, 0o777);
  const user = root ? ensureTestUser() : os.userInfo().username;
  const keygen = (file: string, passphrase = ''): void => {
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', passphrase, '-C', 'rack-power-test', '-f', path.join(dir, file)]);
  };
  keygen('host_ed25519');
  const passphrase = options.clientKeyFrom?.passphrase ?? 'key-passphrase-7';
  if (options.clientKeyFrom) {
    const copy = (file: string, key: string): void => {
      fs.writeFileSync(path.join(dir, file), key, { mode: 0o600 });
      const publicKey = execFileSync('ssh-keygen', ['-y', '-P', passphrase, '-f', path.join(dir, file)], { encoding: 'utf8' });
      fs.writeFileSync(path.join(dir, `${file}.pub`), publicKey);
    };
    copy('client_ed25519', options.clientKeyFrom.clientKey);
    copy('client_encrypted', options.clientKeyFrom.encryptedKey);
  } else {
    keygen('client_ed25519');
    keygen('client_encrypted', passphrase);
  }
  const authorized = ['client_ed25519.pub', 'client_encrypted.pub'].map((file) => fs.readFileSync(path.join(dir, file), 'utf8')).join('');
  fs.writeFileSync(path.join(dir, 'authorized_keys'), authorized, { mode: 0o644 });
  const fingerprint = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', path.join(dir, 'host_ed25519.pub')], { encoding: 'utf8' })
    .split(' ')[1];
  const statusFile = path.join(dir, 'sim-status.json');
  const simFile = path.join(dir, 'sim.json');
  // The device's own CLI login takes the same user and password as its SSH login.
  const users = [{ name: user, password: root ? SSH_TEST_PASSWORD : '', admin: true }];
  const setSim = (sim: StdioSimOptions): void => {
    fs.writeFileSync(simFile, JSON.stringify({ users, ...sim, statusFile }), { mode: 0o644 });
    fs.rmSync(statusFile, { force: true });
  };
  setSim(options.sim ?? {});
  const port = options.port ?? await freeTcpPort();
  const methods = options.methods ?? (root ? 'password' : 'publickey');
  const config = [
    `Port ${port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${path.join(dir, 'host_ed25519')}`,
    `PidFile ${path.join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`,
    `AllowUsers ${user}`,
    `AuthenticationMethods ${methods}`,
    'PubkeyAuthentication yes',
    `PasswordAuthentication ${root ? 'yes' : 'no'}`,
    `KbdInteractiveAuthentication ${root ? 'yes' : 'no'}`,
    `UsePAM ${root ? 'yes' : 'no'}`,
    'StrictModes no',
    'PermitRootLogin no',
    'X11Forwarding no',
    'AllowTcpForwarding no',
    'PrintMotd no',
    'PrintLastLog no',
    'Banner none',
    'LogLevel VERBOSE',
    `ForceCommand ${process.execPath} ${SIM} ${simFile}`,
  ].join('\n');
  fs.writeFileSync(path.join(dir, 'sshd_config'), `${config}\n`);
  // sshd, run as root, wants its privilege separation directory.
  if (root) fs.mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });

  let child: ChildProcess | undefined;
  const start = async (): Promise<void> => {
    const started = spawn(SSHD, ['-D', '-f', path.join(dir, 'sshd_config'), '-E', path.join(dir, 'sshd.log')], { stdio: 'ignore' });
    child = started;
    let exited = false;
    started.once('exit', () => { exited = true; });
    await waitFor(() => exited || isListening(port), 10000, `sshd listening on ${port}`);
    if (exited) throw new Error(`sshd did not start: ${fs.readFileSync(path.join(dir, 'sshd.log'), 'utf8').slice(-2000)}`);
  };
  await start();

  const kill = (): void => {
    const main = child?.pid;
    if (!main) return;
    for (const pid of [main, ...descendants(main)]) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Gone already.
      }
    }
    child = undefined;
  };
  return {
    port,
    dir,
    user,
    passwords: root,
    password: root ? SSH_TEST_PASSWORD : undefined,
    clientKey: fs.readFileSync(path.join(dir, 'client_ed25519'), 'utf8'),
    encryptedKey: fs.readFileSync(path.join(dir, 'client_encrypted'), 'utf8'),
    passphrase,
    fingerprint,
    simStatus() {
      if (!fs.existsSync(statusFile)) return undefined;
      return JSON.parse(fs.readFileSync(statusFile, 'utf8')) as StdioSimStatus;
    },
    setSim,
    kill,
    async restart() {
      kill();
      await waitFor(() => !isListening(port), 5000, `port ${port} free again`);
      await start();
    },
    async stop() {
      kill();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The test user, made once for every run on this machine: runs in parallel may both try, and
 * the loser's "already exists" is fine. The password is set each time (the same one).
 */
function ensureTestUser(): string {
  if (spawnSync('id', [SSH_TEST_USER], { stdio: 'ignore' }).status !== 0) {
    const made = spawnSync('useradd', ['-M', '-s', '/bin/sh', SSH_TEST_USER], { encoding: 'utf8' });
    // 9: the name is taken (another run made it just now).
    if (made.status !== 0 && made.status !== 9) throw new Error(`useradd ${SSH_TEST_USER} failed: ${made.stderr}`);
  }
  execFileSync('chpasswd', { input: `${SSH_TEST_USER}:${SSH_TEST_PASSWORD}\n` });
  return SSH_TEST_USER;
}

/** Every process below this one, read from /proc (sshd's sessions leave its process group). */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // The process ended while we looked.
    }
  }
  const found: number[] = [];
  const walk = (id: number): void => {
    for (const child of children.get(id) ?? []) {
      found.push(child);
      walk(child);
    }
  };
  walk(pid);
  return found;
}
