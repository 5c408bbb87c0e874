#!/usr/bin/env node
import { simulators, startSim, type SimDevice } from './index';
import { DEFAULT_PORTS, DEFAULT_SERIAL_LINK, DEFAULT_TRAP_PORT } from './ports';
import type { CliSimOptions } from './cli/index';
import type { TrapTarget } from './snmp/traps';

// rack-power-sim: simulated power devices on loopback, for the demo, the examples and the tests.
//   rack-power-sim                       every device on its default port (sim/ports.ts)
//   rack-power-sim sentry2:16161 apc-rpdu2:16162 --reboot-delay 3000
//   rack-power-sim power-manager --pty   the power manager also on a serial line (a socat pty)
//   rack-power-sim --list
//   rack-power-sim sentry2 --traps 127.0.0.1:1162     send each device's traps there (community public)

interface CliOptions {
  devices: Array<{ kind: string; port?: number }>;
  basePort: number;
  rebootDelay: number;
  outlets?: number;
  json: boolean;
  traps?: TrapTarget;
  /** The power manager's serial line: the pty path a client opens (needs socat). */
  pty?: string;
}

const USAGE = `usage: rack-power-sim [kind[:port] ...] [--outlets N] [--reboot-delay ms] [--pty [path]] [--traps host:port]
  [--trap-community c] [--trap-version 1|2c] [--json] [--list]
kinds: ${Object.keys(simulators).join(', ')}`;

function parse(argv: string[]): CliOptions {
  const options: CliOptions = { devices: [], basePort: 16161, rebootDelay: 5000, json: false };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--list') {
      console.log(Object.keys(simulators).join('\n'));
      process.exit(0);
    } else if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else if (arg === '--reboot-delay') {
      options.rebootDelay = Number(argv[++i]);
    } else if (arg === '--outlets') {
      options.outlets = Number(argv[++i]);
    } else if (arg === '--traps') {
      options.traps = { ...options.traps, ...trapTarget(argv[++i]) };
    } else if (arg === '--trap-community') {
      options.traps = { ...options.traps, community: argv[++i] };
    } else if (arg === '--trap-version') {
      const version = argv[++i];
      if (version !== '1' && version !== '2c') throw new Error(`--trap-version must be 1 or 2c, not ${version}`);
      options.traps = { ...options.traps, version };
    } else if (arg === '--pty') {
      options.pty = argv[i + 1] && !argv[i + 1].startsWith('-') && !argv[i + 1].includes(':') && !simulators[argv[i + 1]]
        ? argv[++i] : DEFAULT_SERIAL_LINK;
    } else if (arg === '--json') {
      options.json = true;
    } else if (arg.startsWith('-')) {
      throw new Error(`unknown option ${arg}\n${USAGE}`);
    } else {
      const [kind, port] = arg.split(':');
      options.devices.push({ kind, port: port ? Number(port) : undefined });
    }
  }
  if (options.devices.length === 0) options.devices = Object.keys(simulators).map((kind) => ({ kind }));
  return options;
}

/** `host:port`, `host` or `[::1]:port`; the port defaults to pdu-trap-in's 1162. */
function trapTarget(value: string | undefined): TrapTarget {
  if (!value) throw new Error(`--traps needs host:port\n${USAGE}`);
  const match = /^\[([^\]]+)\](?::(\d+))?$/.exec(value) ?? /^([^:]+)(?::(\d+))?$/.exec(value);
  if (!match) throw new Error(`--traps ${value}: expected host:port`);
  return { host: match[1], port: match[2] ? Number(match[2]) : DEFAULT_TRAP_PORT };
}

async function main(): Promise<void> {
  const options = parse(process.argv.slice(2));
  const running: SimDevice[] = [];
  for (const [position, device] of options.devices.entries()) {
    const simOptions: CliSimOptions & { traps?: TrapTarget } = {
      port: device.port ?? DEFAULT_PORTS[device.kind] ?? options.basePort + 100 + position,
      rebootDelay: options.rebootDelay,
      driftInterval: 5000,
      outlets: options.outlets,
      traps: options.traps,
    };
    // Only the power manager has a serial line to offer.
    if (device.kind === 'power-manager' && options.pty) simOptions.pty = options.pty;
    running.push(await startSim(device.kind, simOptions));
  }
  if (options.json) console.log(JSON.stringify(running.map((device) => ({ kind: device.id, port: device.port }))));
  else for (const device of running) console.log(`rack-power-sim: ${device.summary}`);
  const stop = (): void => {
    Promise.all(running.map((device) => device.stop())).finally(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: Error) => {
  console.error(`rack-power-sim: ${error.message}`);
  process.exit(1);
});
