import { spawnSync } from 'child_process';
import fs from 'fs';
import { powerManager, switchedCdu } from './index';
import { consoleDevice, type CliSimOptions } from './server';
import type { TerminalLink } from './terminal';

// A simulated power manager's command line on standard input and output: one session, then the
// process ends. An SSH server runs it as the session of a login (sshd's ForceCommand), which is
// how the command line over SSH is tested against a real SSH server:
//   node sim/cli/stdio.js [options.json]

export interface StdioSimOptions extends CliSimOptions {
  kind?: 'power-manager' | 'switched-cdu';
  /** The SSH login is the CLI login: start logged in as this user, without the CLI's own prompts. */
  loginAs?: string;
  /** A command matching this (regex source) is never answered. */
  hang?: string;
  /** Written after every command and outlet change: what the test looks at. */
  statusFile?: string;
}

export interface StdioSimStatus {
  pid: number;
  outlets: boolean[];
  commands: string[];
  logins: number;
  failedLogins: number;
}

function main(): void {
  const options: StdioSimOptions = process.argv[2] ? JSON.parse(fs.readFileSync(process.argv[2], 'utf8')) : {};
  const personality = options.kind === 'switched-cdu' ? switchedCdu : powerManager;
  const device = consoleDevice(personality, { rebootDelay: 300, driftInterval: 0, sessionGap: 0, ...options });
  if (options.hang) device.faults.hang = new RegExp(options.hang, 'i');
  // A device's CLI owns its terminal: no echo or line editing by the PTY (the CLI echoes what
  // it wants to), and no CR/LF translation either way.
  if (process.stdin.isTTY) spawnSync('stty', ['raw', '-echo'], { stdio: ['inherit', 'ignore', 'ignore'] });
  const report = (): void => {
    if (!options.statusFile) return;
    const status: StdioSimStatus = {
      pid: process.pid,
      outlets: device.model.outlets.map((outlet) => outlet.on),
      commands: device.stats.commands,
      logins: device.stats.logins,
      failedLogins: device.stats.failedLogins,
    };
    // Whole or not at all: a reader never sees it half written.
    const partial = `${options.statusFile}.${process.pid}`;
    fs.writeFileSync(partial, JSON.stringify(status));
    fs.renameSync(partial, options.statusFile);
  };
  const link: TerminalLink = {
    kind: 'tcp',
    write: (text) => { process.stdout.write(Buffer.from(text, 'latin1')); },
    // The session is over: the SSH channel closes once what was written is out.
    end: () => { process.stdout.write('', () => process.exit(0)); },
    drop: () => process.exit(1),
    backlog: () => process.stdout.writableLength,
  };
  const session = personality.session(link, device);
  device.model.on('change', report);
  process.stdin.on('data', (chunk: Buffer) => {
    session.input(chunk.toString('latin1'));
    report();
  });
  process.stdin.on('end', () => process.exit(0));
  process.stdout.on('error', () => process.exit(0));
  report();
  if (options.loginAs) {
    session.startAs(options.loginAs);
    report();
  } else {
    // The SSH session is the carriage return that starts a session: the banner comes at once.
    session.wake();
  }
}

main();
