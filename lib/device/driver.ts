import type { AuditRecord } from './device';
import type { ProbeTarget } from './probe';
import type {
  CommandReport, DeviceDescription, DeviceEvent, OutletInfo, OutletState, PowerAction, Snapshot,
} from '../types';

/**
 * What a transport + profile must provide so that a Device can run on it. Drivers only move
 * bytes and translate vendor data: the Device owns queueing, safety rules and verification,
 * so a driver never decides whether a command is allowed.
 */
export interface DeviceDriver {
  /** The transport's id (`snmp`, `telnet` ...), as registered. */
  readonly transport: string;
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
  /**
   * The appliance check is made where the device is, not here (a device of another site: the
   * appliance is reachable from that site, and only its Device can probe right before the off).
   * The Device then hands the probe to command() instead of probing itself.
   */
  readonly probesAtDevice?: boolean;
  /** Send one power command to these outlets. `reboot` is only asked when nativeReboot is set. */
  command(description: DeviceDescription, outlets: OutletInfo[], action: PowerAction, options?: CommandOptions): Promise<CommandReport>;
  /** Release sockets, sessions and timers. The driver may be used again afterwards. */
  close(): Promise<void>;
  /**
   * Closing: cut short the reads in flight now (they reject), so that a redeploy is not held for
   * the close grace behind a peer that is slow or stuck. A command in flight keeps its grace.
   */
  abort?(): void;
  /**
   * The device's outlets or names changed and the driver knows it by itself (a site published a
   * new description): the next command or read describes it again instead of trusting its copy.
   */
  onDescriptionChange?(listener: () => void): void;
  /**
   * Events raised where the device is and reported through the driver (a site's events for a
   * device behind it: its traps, UPS and threshold events). The Device re-emits them as
   * `reportedEvent`, for the event streams; its own users' outputs are not repeated with them.
   */
  onEvent?(listener: (event: DeviceEvent) => void): void;
  /**
   * Power commands' records made where the device is (a site's own flows, Home Assistant there),
   * not the ones this driver sent: the Device re-emits them as `reportedAudit`, for the streams.
   */
  onAudit?(listener: (record: AuditRecord) => void): void;
  /** Connection-state changes the driver notices by itself (a dropped Telnet session). */
  onConnectionChange?(listener: (state: 'connected' | 'disconnected', reason?: string) => void): void;
}

/** What a command carries besides its outlets and action. */
export interface CommandOptions {
  /** For a driver that probesAtDevice: the appliance to probe right before an off or a reboot. */
  probe?: ProbeTarget;
}

/** The credentials a pdu-config holds (Node-RED credentials: never in flows, logs or messages). */
export interface DriverCredentials {
  readCommunity?: string;
  writeCommunity?: string;
  trapCommunity?: string;
  username?: string;
  password?: string;
  authKey?: string;
  privKey?: string;
  /** SSH: an OpenSSH or PEM private key, and the passphrase that unlocks it. */
  privateKey?: string;
  passphrase?: string;
}

/**
 * Settings every driver receives, already checked: what all transports share, and the
 * transport's own settings, typed by the transport that defines them.
 */
export interface DriverOptions<Settings = unknown> {
  transport: string;
  /** Host name or address; empty for a transport that reaches its device otherwise (a serial line). */
  host: string;
  port: number;
  profile: string;
  timeout: number;
  retries: number;
  credentials: DriverCredentials;
  settings: Settings;
}
