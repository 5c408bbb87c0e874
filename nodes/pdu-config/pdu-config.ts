import type { NodeAPI, NodeDef } from 'node-red';
import type { ConfigProperties } from '../../lib/device/config';
import { Device, type AuditRecord } from '../../lib/device/device';
import { DeviceConfigError } from '../../lib/device/errors';
import { deviceSettings, registeredTransports, transportDefinition } from '../../lib/transports';
import { nutClientFor } from '../../lib/transports/nut/driver';
import type { NutSettings } from '../../lib/transports/nut/transport';
import { profileCatalog } from '../../lib/profiles/catalog';
import { connectionStatus, errorStatus } from '../shared/status';
import { packTexts } from '../shared/texts';
import type { DeviceUser, PduConfigNode } from '../shared/config-node';
import { EventFanOut } from '../shared/event-hub';
import type { DeviceEvent } from '../../lib/types';
import type { NodeMessage } from 'node-red';
import type { DriverOptions } from '../../lib/device/driver';
import { provideBrokers } from '../../lib/sites/link';
import { BrokerLink, type MqttBrokerNode } from '../shared/broker-link';
import { describeUnsaved, deviceFor, dialogCredentials, type DescribeRequest } from './describe';
import { SerialPort } from 'serialport';

type ConfigDef = NodeDef & ConfigProperties & { engineID?: string };

/**
 * Events a closing Device raised (an outlet its stopped flow left off), per config node id, for
 * the next flow's nodes: the flow that caused them is gone, the operator's new one must hear of
 * them. Bounded per config.
 */
const leftBehind = new Map<string, DeviceEvent[]>();
const LEFT_BEHIND_LIMIT = 100;

const CREDENTIALS = {
  readCommunity: { type: 'password' },
  writeCommunity: { type: 'password' },
  trapCommunity: { type: 'password' },
  username: { type: 'text' },
  password: { type: 'password' },
  authKey: { type: 'password' },
  privKey: { type: 'password' },
  privateKey: { type: 'password' },
  passphrase: { type: 'password' },
} as const;

export = function register(RED: NodeAPI): void {
  function PduConfig(this: PduConfigNode, def: ConfigDef): void {
    RED.nodes.createNode(this, def);
    const node = this;
    const users = new Set<DeviceUser>();
    const texts = packTexts(RED);
    let device: Device | undefined;
    /**
     * A mistake in the config the device revealed when first described (a locked outlet or group
     * it does not have, a profile that does not fit): shown on every user until it is fixed.
     */
    let problem: Error | undefined;
    // The event streams (pdu-events) listening to this device.
    const streams = new EventFanOut((error) => node.warn(error.message));
    node.shareEvent = (event) => streams.event(event);
    try {
      node.settings = deviceSettings(def, node.credentials ?? {});
      // Once per deploy: a setting that weakens the connection (certificate checking off).
      for (const warning of transportDefinition(node.settings.driver.transport)?.warnings?.(node.settings.driver.settings as never) ?? []) {
        node.warn(`${def.name || node.settings.driver.host}: ${warning}`);
      }
    } catch (error) {
      node.settingsError = error as Error;
      node.error(texts('problem', { error: node.settingsError.message }));
    }
    // pdu-trap-in: the engine ID the device's SNMPv3 traps carry (checked there).
    node.engineID = def.engineID?.trim() || undefined;

    /** The user's status, and an error its Catch nodes see, after its flow has started. */
    const tellUser = (user: DeviceUser, error: Error): void => {
      user.status(errorStatus(error));
      setImmediate(() => user.error(error, { topic: def.name || node.id, payload: error.message } as NodeMessage));
    };

    const foundProblem = (error: Error, from: Device): void => {
      if (from !== device || problem) return;
      problem = error;
      node.error(texts('problem', { error: error.message }));
      for (const user of users) tellUser(user, error);
    };

    /** Describe the device once it has users, and check the config against what it has. */
    const checkDevice = (checked: Device): void => {
      checked.describe().then((description) => checked.validate(description)).catch((error: Error) => {
        if (error instanceof DeviceConfigError) foundProblem(error, checked);
      });
    };

    const broadcast = (state: string, text: string): void => {
      if (problem) return; // the problem stays in view: the connection is not what is wrong
      const status = connectionStatus(state as never, text, texts);
      for (const user of users) {
        if (!user.showsOutcome) user.status(status);
        user.onDeviceStatus?.(state, text);
      }
    };

    /** Hand device events to the nodes with an events output; keep them for the next flow if none listens. */
    const deliver = (event: DeviceEvent, from: Device): void => {
      if (from === device) streams.event(event);
      const listeners = [...users].filter((user) => user.onDeviceEvent);
      if (from === device && listeners.length > 0) {
        for (const user of listeners) user.onDeviceEvent!(event);
        return;
      }
      const kept = leftBehind.get(node.id) ?? [];
      kept.push(event);
      leftBehind.set(node.id, kept.slice(-LEFT_BEHIND_LIMIT));
    };

    const deliverLeftBehind = (user: DeviceUser): void => {
      const kept = leftBehind.get(node.id);
      if (!kept || !user.onDeviceEvent) return;
      leftBehind.delete(node.id);
      // After the node's constructor has finished wiring its outputs.
      setImmediate(() => { for (const event of kept) { user.onDeviceEvent!(event); streams.event(event); } });
    };

    node.listen = (listener) => {
      const stop = streams.listen(listener);
      // What a stopped flow left behind: streamed now, and still kept for the pdu-status of a
      // flow that starts later (streamed once all the same).
      setImmediate(() => { for (const event of leftBehind.get(node.id) ?? []) streams.event(event); });
      return stop;
    };

    node.device = (): Device => {
      if (node.settingsError || !node.settings) throw node.settingsError ?? new Error('device config missing');
      if (!device) {
        problem = undefined;
        const settings = node.settings;
        // Audit lines and warnings; credentials never reach these messages.
        device = deviceFor(def.name || settings.driver.host || String(def.serialPath || '') || 'pdu', settings,
          { info: (text) => node.log(text), warn: (text) => node.warn(text) });
        const created = device;
        device.on('status', ({ state, text }) => {
          if (created !== device) return;
          streams.status(created.name, state, text);
          broadcast(state, text);
        });
        device.on('event', (event: DeviceEvent) => deliver(event, created));
        // Events the device's site reported (a device behind another site): for the event streams.
        device.on('reportedEvent', (event: DeviceEvent) => { if (created === device) streams.event(event); });
        device.on('reportedAudit', (record: AuditRecord) => { if (created === device) streams.audit(record); });
        device.on('audit', (record: AuditRecord) => {
          if (created !== device) return;
          streams.audit(record);
          for (const user of users) user.onDeviceAudit?.(record);
        });
      }
      return device;
    };

    // NUT: ups-nut nodes share the device's connection, so its loss and return show on every node.
    node.nutClient = () => {
      const device = node.device();
      if (node.settings!.driver.transport !== 'nut') {
        throw new DeviceConfigError(`${device.name} uses ${node.settings!.driver.transport}, not NUT: choose a NUT device config`);
      }
      return nutClientFor(node.settings!.driver as DriverOptions<NutSettings>);
    };

    node.register = (user: DeviceUser): void => {
      users.add(user);
      deliverLeftBehind(user);
      if (node.settingsError) {
        tellUser(user, node.settingsError);
        return;
      }
      let current: Device;
      try {
        current = node.device();
      } catch (error) {
        tellUser(user, error as Error);
        return;
      }
      if (problem) {
        tellUser(user, problem);
        return;
      }
      user.status(connectionStatus(current.connection.state, current.connection.text, texts));
      // Connect as soon as the first node needs the device, so the status is real from the start
      // and a config the device contradicts is reported now, not at the first command.
      if (users.size === 1) checkDevice(current);
    };

    node.deregister = async (user: DeviceUser): Promise<void> => {
      users.delete(user);
      if (users.size === 0 && device) {
        const closing = device;
        device = undefined;
        await closing.close();
      }
    };

    node.on('close', (_removed: boolean, done: () => void) => {
      const closing = device;
      device = undefined;
      users.clear();
      (closing ? closing.close() : Promise.resolve()).catch(() => undefined).then(() => done());
    });
  }

  RED.nodes.registerType('pdu-config', PduConfig as never, { credentials: CREDENTIALS } as never);

  // A site's device (transport `site`) is reached through one of Node-RED's own mqtt-broker configs.
  provideBrokers((brokerId, user) => {
    const broker = RED.nodes.getNode(brokerId) as unknown as MqttBrokerNode | null;
    if (!broker || broker.type !== 'mqtt-broker') {
      throw new DeviceConfigError(`MQTT broker config ${brokerId} not found: choose the broker the site publishes on`);
    }
    const link = new BrokerLink(broker, user);
    link.open();
    return link;
  });

  // The transports, their default ports and the fields the dialog shows for each: data only.
  RED.httpAdmin.get('/rack-power/transports', RED.auth.needsPermission('pdu-config.read'), (_req, res) => {
    res.json(registeredTransports().map(({ id, label, defaultPort, address, editorFields }) => ({
      id, label, defaultPort, address, editorFields,
    })));
  });

  // Profiles for the editor's drop-down: data only, no device contact.
  RED.httpAdmin.get('/rack-power/profiles', RED.auth.needsPermission('pdu-config.read'), (_req, res) => {
    res.json(profileCatalog());
  });

  // The outlet picker: outlets of a deployed device.
  RED.httpAdmin.get('/rack-power/devices/:id/outlets', RED.auth.needsPermission('pdu-config.read'), (req, res) => {
    const config = RED.nodes.getNode(String(req.params.id)) as PduConfigNode | null;
    if (!config) {
      res.status(404).json({ error: 'deploy the device config first' });
      return;
    }
    Promise.resolve()
      .then(() => config.device().describe())
      .then((description) => res.json({
        vendor: description.vendor, model: description.model, profile: description.profile,
        outlets: description.outlets.map(({ index, id, name, groups }) => ({ index, id, name, groups })),
      }))
      .catch((error: Error) => res.status(502).json({ error: error.message }));
  });

  // The outlet picker and "test connection": the dialog's UNSAVED settings, on a Device of their
  // own. It contacts the device (and may switch nothing), hence write permission. Secrets come
  // only in this request; they are not logged and errors come back with them masked.
  RED.httpAdmin.post('/rack-power/describe', RED.auth.needsPermission('pdu-config.write'), (req, res) => {
    const body = (req.body ?? {}) as DescribeRequest;
    const id = typeof body.id === 'string' ? body.id : '';
    const stored = id ? (RED.nodes.getCredentials(id) as Record<string, unknown> | undefined) : undefined;
    const credentials = dialogCredentials(body.credentials, stored);
    describeUnsaved(body.config ?? {}, credentials)
      .then((answer) => res.json(answer))
      .catch((error: Error) => res.status(502).json({ error: error.message }));
  });

  // Serial port search for the dialog, as the serialport nodes offer it.
  RED.httpAdmin.get('/rack-power/serialports', RED.auth.needsPermission('pdu-config.read'), (_req, res) => {
    SerialPort.list()
      .then((ports) => res.json(ports.map(({ path, manufacturer, serialNumber }) => ({ path, manufacturer, serialNumber }))))
      .catch((error: Error) => res.status(500).json({ error: `cannot list serial ports: ${error.message}` }));
  });
};
