import type { NodeAPI, NodeDef, NodeMessage, NodeMessageInFlow } from 'node-red';
import { connectionEvent, snapshotEvents, snapshotFingerprint } from '../../lib/events/snapshot-events';
import { withLockedFlags } from '../shared/locked';
import { parseThresholds, ThresholdMonitor } from '../../lib/events/thresholds';
import type { DeviceEvent, Snapshot } from '../../lib/types';
import { configNode, type DeviceUser } from '../shared/config-node';
import { shareEvent } from '../shared/event-hub';
import { closeWith } from '../shared/close';
import { everySeconds, FailureReporter } from '../shared/poll';
import { errorStatus } from '../shared/status';
import { packTexts } from '../shared/texts';

interface StatusDef extends NodeDef {
  device: string;
  interval: string | number;
  onlyChanges: boolean;
  thresholds: Array<{ metric: string; high?: string | number; low?: string | number; outlets?: string }>;
  repeat: string | number;
  /** Each failed timed poll goes to Catch, not only the first of a run. */
  everyFailure?: boolean;
}

interface PollOutcome {
  /** Output 1, or null when onlyChanges held it back. */
  snapshot: NodeMessage | null;
  /** Output 2, in the order they happened. */
  events: NodeMessage[];
  error?: Error;
}

export = function register(RED: NodeAPI): void {
  function PduStatus(this: DeviceUser, def: StatusDef): void {
    RED.nodes.createNode(this, def);
    const node = this;
    const config = configNode(RED, def.device);
    const interval = Number(def.interval || 0);
    let previous: Snapshot | undefined;
    let previousFingerprint = '';
    let shownStatus = '';
    let lost = false;
    let monitor: ThresholdMonitor | undefined;
    /** Events raised during the running poll; null while no poll runs. */
    let collecting: NodeMessage[] | null = null;

    const eventMessage = (event: DeviceEvent): NodeMessage => ({ topic: event.event, payload: shareEvent(config, event) });

    const failures = new FailureReporter({
      node, texts: packTexts(RED), everyFailure: def.everyFailure === true,
      device: () => config?.name || config?.settings?.driver.host || 'pdu',
    });
    // What the device raises by itself (an outlet a stopped flow left off) goes out with the events.
    node.onDeviceEvent = (event) => node.send([null, eventMessage(event)]);
    if (!config) {
      node.status({ fill: 'red', shape: 'dot', text: RED._('pdu-status.status.no-device') });
    } else {
      config.register(node);
      try {
        const rules = parseThresholds(def.thresholds);
        if (rules.length > 0) {
          monitor = new ThresholdMonitor({
            rules,
            groups: config.settings?.groups,
            onProblem: (text) => node.warn(text),
            repeat: def.repeat === undefined || def.repeat === '' ? 60 : Number(def.repeat),
            device: config.name || config.settings?.driver.host || 'pdu',
            // Alarms raised by a poll go out with its answer; repeats and normals come from timers.
            emit: (event) => {
              if (collecting) collecting.push(eventMessage(event));
              else node.send([null, eventMessage(event)]);
            },
          });
        }
      } catch (error) {
        node.error(error);
        node.status(errorStatus(error));
      }
    }

    /** One poll: read, compare with the last one, raise events. Never rejects. */
    const poll = async (): Promise<PollOutcome> => {
      const events: NodeMessage[] = [];
      collecting = events;
      try {
        const device = config!.device();
        let snapshot: Snapshot;
        try {
          snapshot = await device.read();
        } catch (error) {
          if (!lost) events.push(eventMessage(connectionEvent(true, device.name, (error as Error).message)));
          lost = true;
          return { snapshot: null, events, error: error as Error };
        }
        if (lost) events.push(eventMessage(connectionEvent(false, device.name, '')));
        lost = false;
        events.push(...snapshotEvents(previous, snapshot, device.name).map(eventMessage));
        monitor?.check(snapshot);
        // Only onlyChanges needs to compare whole snapshots: spare every other poll the work.
        let changed = true;
        if (def.onlyChanges) {
          const fingerprint = snapshotFingerprint(snapshot);
          changed = fingerprint !== previousFingerprint;
          previousFingerprint = fingerprint;
        }
        previous = snapshot;
        const payload = { ...snapshot, outlets: withLockedFlags(snapshot.outlets, config!.settings), device: device.name, at: new Date().toISOString() };
        return { snapshot: def.onlyChanges && !changed ? null : { topic: device.name, payload }, events };
      } catch (error) {
        return { snapshot: null, events, error: error as Error };
      } finally {
        collecting = null;
      }
    };

    const showOutcome = (outcome: PollOutcome): void => {
      const alarms = monitor?.active ?? 0;
      const on = previous?.outlets.filter((outlet) => outlet.state === 'on').length ?? 0;
      // A metered-only device (or one whose outlets are not monitored) has inputs to show, not outlets.
      const inputs = previous?.inputs.length ?? 0;
      const counted = previous && previous.outlets.length === 0
        ? RED._(`pdu-status.status.${inputs === 1 ? 'input' : 'inputs'}`, { inputs })
        : RED._('pdu-status.status.outlets', { on, total: previous?.outlets.length ?? 0 });
      const status = outcome.error ? errorStatus(outcome.error) : {
        fill: alarms ? 'yellow' : 'green',
        shape: 'dot',
        text: alarms ? RED._(`pdu-status.status.${alarms === 1 ? 'alarm' : 'alarms'}`, { counted, count: alarms }) : counted,
      } as const;
      // From the first outcome on, the node shows its own: connection changes do not paint over it.
      node.showsOutcome = true;
      // Polls repeat the same status most of the time; the editor only needs to hear of a change.
      const key = JSON.stringify(status);
      if (key === shownStatus) return;
      shownStatus = key;
      node.status(status);
    };

    const timedPoll = async (): Promise<void> => {
      const outcome = await poll();
      showOutcome(outcome);
      if (outcome.snapshot) node.send([outcome.snapshot, null]);
      for (const event of outcome.events) node.send([null, event]);
      if (outcome.error) failures.failed(outcome.error);
      else failures.succeeded();
    };

    node.on('input', (msg: NodeMessageInFlow, send, done) => {
      if (!config) {
        done(new Error(RED._('pdu-status.errors.no-device')));
        return;
      }
      poll().then((outcome) => {
        showOutcome(outcome);
        if (outcome.snapshot) send([Object.assign(msg, outcome.snapshot), null]);
        for (const event of outcome.events) send([null, event]);
        done(outcome.error);
      });
    });

    const stopPolling = config ? everySeconds(interval, timedPoll) : () => undefined;
    closeWith(node, config, () => {
      stopPolling();
      monitor?.stop();
    });
  }

  RED.nodes.registerType('pdu-status', PduStatus as never);
};
