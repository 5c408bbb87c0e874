// Shared shapes of the device model. These are the public contract that nodes, flows and
// examples depend on.

export type OutletState = 'on' | 'off' | 'unknown';
export type ModuleStatus = 'normal' | 'noResponse' | 'onFail' | 'offFail';
export type PowerAction = 'on' | 'off' | 'reboot';
export type Transport = 'snmp' | 'telnet' | 'ssh' | 'serial' | 'nut' | 'powerman' | 'http' | 'site';
export type ConnectionState = 'connecting' | 'connected' | 'disconnected' | 'error';

/** One outlet as the device describes it. `key` is the transport's own address for it. */
export interface OutletInfo {
  /** 1-based number the operator sees on the label (or the position in the chain). */
  index: number;
  /** Absolute id as the vendor writes it: `.A1` (Sentry2), `AA1` (Sentry3), or the number. */
  id: string;
  name: string;
  /** Groups (from the device or the config) this outlet belongs to. */
  groups: string[];
  /** Transport-specific address: an SNMP row index, a CLI port name, a NUT outlet number. */
  key: string;
}

export interface Capabilities {
  switch: boolean;
  /** The device's own reboot command keeps the outlet off for its own delay. */
  nativeReboot: boolean;
  outletCurrent: boolean;
  outletPower: boolean;
  moduleStatus: boolean;
  inputCurrent: boolean;
  temperature: boolean;
  humidity: boolean;
}

export interface DeviceDescription {
  vendor: string;
  model: string;
  /** Profile id in use (after `auto` picked one). */
  profile: string;
  outlets: OutletInfo[];
  capabilities: Capabilities;
  /** Free-form identification the device reported (sysDescr, banner, driver name). */
  info?: string;
  /**
   * Over SSH: the host key the device showed (`SHA256:...`), and whether the config pins it (else
   * it was trusted on first use and should be pinned).
   */
  hostKey?: { fingerprint: string; pinned: boolean };
}

export interface OutletReading {
  index: number;
  id: string;
  name: string;
  state: OutletState;
  module?: ModuleStatus;
  /** Amperes. */
  current?: number;
  /** Watts. */
  power?: number;
}

export interface InputReading {
  index: number;
  name: string;
  /** Amperes. */
  current?: number;
  /** Watts. */
  power?: number;
  /** Volts. */
  voltage?: number;
}

export type SensorKind = 'temperature' | 'humidity';

export interface SensorReading {
  index: number;
  name: string;
  type: SensorKind;
  /** °C for temperature, % relative humidity for humidity. */
  value: number;
  unit: '°C' | '%';
}

export interface Snapshot {
  outlets: OutletReading[];
  inputs: InputReading[];
  sensors: SensorReading[];
}

/** What a driver reports after sending a power command. */
export interface CommandReport {
  /** Outlet indexes the device itself refused because they are locked there. */
  lockedByDevice?: number[];
  /** Raw answer, for the audit line (a CLI's `2 port(s) turned on, 0 port(s) locked`). */
  answer?: string;
  /**
   * The device answered only once the whole command was done (PowerMan's `cycle` returns when
   * the outlet is on again), so verification must not wait to see a rebooted outlet go off.
   */
  completed?: boolean;
}

export type Severity = 'info' | 'warning' | 'critical';

/** The one event shape shared by traps, threshold alarms, NUT changes and command notices. */
export interface DeviceEvent {
  event: string;
  severity: Severity;
  device: string;
  /** `command`: what a power command left behind (an outlet left off when its flow stopped). */
  source: 'trap' | 'poll' | 'nut' | 'command';
  outlet?: { index?: number; id?: string; name?: string };
  sensor?: { index?: number; name?: string; type?: string };
  value?: number | string;
  threshold?: number;
  text: string;
  raw?: unknown;
  /** An event a site reported for a device behind it (at a hub): the site, and its name for the device. */
  site?: { name: string; device: string };
}
