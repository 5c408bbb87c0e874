import type {
  CommandReport, DeviceDescription, OutletInfo, OutletState, PowerAction, Snapshot, Transport,
} from '../types';

/**
 * What a transport + profile must provide so that a Device can run on it. Drivers only move
 * bytes and translate vendor data: the Device owns queueing, safety rules and verification,
 * so a driver never decides whether a command is allowed.
 */
export interface DeviceDriver {
  readonly transport: Transport;
  /** Where the driver talks to, for messages (`10.0.0.5:161`, `/dev/ttyS0`). */
  readonly address: string;
  /** Identify the device and list its outlets. Called again after a reconnect. */
  describe(): Promise<DeviceDescription>;
  /** Read everything the profile knows. */
  read(description: DeviceDescription): Promise<Snapshot>;
  /**
   * Whether read() reports the outlets' names as the device has them now (not as described), so
   * that each poll keeps the names the device layer resolves targets against fresh.
   */
  readonly readsNames?: boolean;
  /** Read only the states of some outlets (cheap; used to verify a command). */
  readStates(description: DeviceDescription, outlets: OutletInfo[]): Promise<Map<number, OutletState>>;
  /** Send one power command to these outlets. `reboot` is only asked when nativeReboot is set. */
  command(description: DeviceDescription, outlets: OutletInfo[], action: PowerAction): Promise<CommandReport>;
  /** Release sockets, sessions and timers. The driver may be used again afterwards. */
  close(): Promise<void>;
  /**
   * Closing: cut short the reads in flight now (they reject), so that a redeploy is not held for
   * the close grace behind a peer that is slow or stuck. A command in flight keeps its grace.
   */
  abort?(): void;
  /** Connection-state changes the driver notices by itself (a dropped Telnet session). */
  onConnectionChange?(listener: (state: 'connected' | 'disconnected', reason?: string) => void): void;
}

/** Settings every driver receives: the pdu-config properties and credentials, already checked. */
export interface DriverOptions {
  transport: Transport;
  host: string;
  port?: number;
  profile: string;
  timeout: number;
  retries: number;
  snmpVersion?: '1' | '2c' | '3';
  securityLevel?: 'noAuthNoPriv' | 'authNoPriv' | 'authPriv';
  authProtocol?: string;
  privProtocol?: string;
  serialPath?: string;
  baudRate?: number;
  /** Extra transport settings (a user-defined CLI dialect, an idle time, a CA file ...). */
  extra?: Record<string, unknown>;
  credentials: {
    readCommunity?: string;
    writeCommunity?: string;
    trapCommunity?: string;
    username?: string;
    password?: string;
    authKey?: string;
    privKey?: string;
  };
}

export type DriverFactory = (options: DriverOptions) => DeviceDriver;

const factories = new Map<Transport, DriverFactory>();

/** Each transport registers its factory once at load time (see lib/device/drivers.ts). */
export function registerDriver(transport: Transport, factory: DriverFactory): void {
  factories.set(transport, factory);
}

export function createDriver(options: DriverOptions): DeviceDriver {
  const factory = factories.get(options.transport);
  if (!factory) {
    throw new Error(`transport "${options.transport}" is not supported (known: ${[...factories.keys()].join(', ')})`);
  }
  return factory(options);
}
