import type { Node } from 'node-red';
import type { AuditRecord, Device } from '../../lib/device/device';
import type { DeviceSettings } from '../../lib/device/config';
import type { NutClient } from '../../lib/transports/nut/client';
import type { DeviceEvent } from '../../lib/types';
import type { EventStreamListener } from './event-hub';

/** A node that uses a pdu-config: it registers to get the device and its connection status. */
export interface DeviceUser extends Node {
  onDeviceStatus?(state: string, text: string): void;
  /** Events the device raises by itself (an outlet a stopped flow left off), for an events output. */
  onDeviceEvent?(event: DeviceEvent): void;
  /** Every power command's audit record (whoever asked), for a node that keeps or forwards them. */
  onDeviceAudit?(record: AuditRecord): void;
  /**
   * The node shows its own outcome (a command's result or error): connection changes leave its
   * status alone until its next outcome, so a failure is not painted over by "connected".
   */
  showsOutcome?: boolean;
}

/** What pdu-config offers the nodes that use it. */
export interface PduConfigNode extends Node {
  /** The checked settings, or the reason they are wrong. */
  settings?: DeviceSettings;
  settingsError?: Error;
  /** The device; throws the configuration error when the config is wrong. */
  device(): Device;
  /** The config's NUT connection (transport nut only), shared with its Device. */
  nutClient(): NutClient;
  register(user: DeviceUser): void;
  deregister(user: DeviceUser): Promise<void>;
  credentials: DeviceSettings['driver']['credentials'];
  /** An event one of its nodes raised (poll, trap, UPS), for the event streams (pdu-events). */
  shareEvent?(event: DeviceEvent): void;
  /** Hear every event of the device: shared, device-raised, connection changes, audit records. Returns the way to stop. */
  listen?(listener: EventStreamListener): () => void;
  /** The device's SNMPv3 engine ID (hex) its v3 traps carry, for pdu-trap-in; unset: any. */
  engineID?: string;
}

/** Look up a node's pdu-config, with a clear error when none is selected. */
export function configNode(RED: { nodes: { getNode(id: string): Node | null } }, id: string | undefined): PduConfigNode | undefined {
  if (!id) return undefined;
  return (RED.nodes.getNode(id) as PduConfigNode | null) ?? undefined;
}
