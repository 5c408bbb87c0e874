import type { NodeAPI, NodeDef, NodeMessage, NodeMessageInFlow, NodeStatus } from 'node-red';
import { UPS_EVENTS } from '../../lib/events/ups-events';
import { parseUpsThresholds, thresholdEvents, type UpsThresholdRow } from '../../lib/events/ups-thresholds';
import { parseUpsTimers, type UpsTimerRow } from '../../lib/events/ups-timers';
import { UpsWatch } from '../../lib/events/ups-watch';
import type { NutClient } from '../../lib/transports/nut/client';
import type { NutSettings } from '../../lib/transports/nut/transport';
import { chooseUps, listServer, readStatus, runCommand, setVariable } from '../../lib/transports/nut/ups';
import type { DeviceEvent } from '../../lib/types';
import { configNode, type DeviceUser, type PduConfigNode } from '../shared/config-node';
import { closeWith } from '../shared/close';
import { shareEvent } from '../shared/event-hub';
import { everySeconds, FailureReporter } from '../shared/poll';
import { errorStatus } from '../shared/status';
import { packTexts } from '../shared/texts';

interface UpsNutDef extends NodeDef {
  device: string;
  ups: string;
  mode: 'poll' | 'command' | 'set' | 'list';
  interval: string | number;
  nocomm: string | number;
  /** Each failed timed poll goes to Catch, not only the first of a run. */
  everyFailure?: boolean;
  thresholds?: UpsThresholdRow[];
  /** Seconds between repeats of a threshold alarm (and the quiet period before its normal). */
  repeat?: string | number;
  timers?: UpsTimerRow[];
}

/** The thresholds and timers of the node's rows, or the error of the first bad row. */
function automation(def: UpsNutDef) {
  const thresholds = parseUpsThresholds(def.thresholds);
  const timers = parseUpsTimers(def.timers, [...UPS_EVENTS, ...thresholdEvents(thresholds)]);
  const repeat = def.repeat === undefined || def.repeat === '' ? 60 : Number(def.repeat);
  if (!Number.isFinite(repeat) || repeat <= 0) throw new Error(`the threshold repeat "${String(def.repeat)}" must be a number of seconds above 0`);
  return { thresholds, timers, repeat };
}

type UpsMessage = NodeMessageInFlow & { ups?: unknown; param?: unknown; variable?: unknown };

/** A short status for the node: the flags and the charge (`OB LB 18%`). */
function upsStatus(status: string[], charge: unknown): NodeStatus {
  const onBattery = status.includes('OB');
  const critical = status.includes('FSD') || (onBattery && status.includes('LB'));
  return {
    fill: critical ? 'red' : onBattery || status.includes('RB') ? 'yellow' : 'green',
    shape: 'dot',
    text: `${status.join(' ') || '?'}${typeof charge === 'number' ? ` ${charge}%` : ''}`,
  };
}

export = function register(RED: NodeAPI): void {
  function UpsNut(this: DeviceUser, def: UpsNutDef): void {
    RED.nodes.createNode(this, def);
    const node = this;
    const found = configNode(RED, def.device);
    // Only a NUT server will do: an SNMP, serial or PowerMan config is refused here, not shown green.
    const transport = found?.settings?.driver.transport;
    const wrongKind = found && transport && transport !== 'nut'
      ? new Error(RED._('ups-nut.errors.wrong-kind', { config: found.name || found.id, transport })) : undefined;
    const mode = def.mode || 'poll';
    // A bad threshold or timer row stops the node: a watchdog that silently lacks a timer is worse than none.
    let rows: ReturnType<typeof automation> = { thresholds: [], timers: [], repeat: 60 };
    let badRow: Error | undefined;
    try {
      if (mode === 'poll') rows = automation(def);
    } catch (error) {
      badRow = new Error(RED._('ups-nut.errors.bad-row', { error: (error as Error).message }));
    }
    const refused = wrongKind ?? badRow;
    const config = refused ? undefined : found;
    const interval = Number(def.interval || 0);
    const watches = new Map<string, UpsWatch>();
    let lastStatus: NodeStatus | undefined;

    const serverName = (): string => config?.name || config?.settings?.driver.host || 'nut';
    const client = (): NutClient => config!.nutClient();
    const upsFor = (msg?: UpsMessage): Promise<string> => chooseUps(client(), msg?.ups, def.ups,
      config?.settings?.driver.transport === 'nut' ? (config.settings.driver.settings as NutSettings).ups : undefined);
    const eventMessage = (event: DeviceEvent): NodeMessage => ({ topic: event.event, payload: shareEvent(config, event) });

    const watchFor = (ups: string): UpsWatch => {
      let watch = watches.get(ups);
      if (!watch) {
        watch = new UpsWatch({
          device: `${ups}@${serverName()}`,
          nocommTime: def.nocomm === undefined || def.nocomm === '' ? 300 : Number(def.nocomm),
          thresholds: rows.thresholds,
          repeat: rows.repeat,
          timers: rows.timers,
          emit: (event) => node.send([null, eventMessage(event)]),
          onProblem: (text) => node.warn(text),
        });
        watches.set(ups, watch);
      }
      return watch;
    };

    const failures = new FailureReporter({ node, texts: packTexts(RED), everyFailure: def.everyFailure === true, device: serverName });

    if (refused) {
      // After the flow has started, so its Catch and Status nodes see it.
      setImmediate(() => {
        node.status({ fill: 'red', shape: 'dot', text: RED._(wrongKind ? 'ups-nut.status.wrong-kind' : 'ups-nut.status.bad-row') });
        node.error(refused, { topic: 'config', payload: refused.message } as NodeMessage);
      });
    } else if (!config) {
      node.status({ fill: 'red', shape: 'dot', text: RED._('ups-nut.status.no-device') });
    } else {
      // Until its first outcome the node shows the config's connection state (the shared link).
      (config as PduConfigNode).register(node);
    }

    /** One poll: status out on 1, upsmon events on 2. Never rejects. */
    const poll = async (msg?: UpsMessage): Promise<{ status?: NodeMessage; events: NodeMessage[]; error?: Error }> => {
      let ups: string;
      try {
        ups = await upsFor(msg);
      } catch (error) {
        return { events: [], error: error as Error };
      }
      const watch = watchFor(ups);
      try {
        const { vars, payload } = await readStatus(client(), ups, `${ups}@${serverName()}`);
        const events = watch.update(vars).map(eventMessage);
        lastStatus = upsStatus(payload.status, payload['battery.charge']);
        return { status: { topic: payload.device, payload }, events };
      } catch (error) {
        return { events: watch.lost((error as Error).message).map(eventMessage), error: error as Error };
      }
    };

    const show = (error?: Error): void => {
      // From the first outcome on, the node shows its own: connection changes do not paint over it.
      node.showsOutcome = true;
      if (error) node.status(errorStatus(error));
      else if (lastStatus) node.status(lastStatus);
    };

    const timedPoll = async (): Promise<void> => {
      const outcome = await poll();
      show(outcome.error);
      if (outcome.status) node.send([outcome.status, null]);
      for (const event of outcome.events) node.send([null, event]);
      if (outcome.error) failures.failed(outcome.error);
      else failures.succeeded();
    };

    /** command, set and list: one answer per message. */
    const act = async (msg: UpsMessage): Promise<unknown> => {
      if (mode === 'list') return listServer(client(), await upsFor(msg).catch(() => undefined));
      const ups = await upsFor(msg);
      if (mode === 'command') {
        if (typeof msg.payload !== 'string' || !msg.payload.trim()) {
          throw new Error('msg.payload must name an instant command, e.g. test.battery.start.quick');
        }
        const param = msg.param === undefined || msg.param === null ? undefined : String(msg.param);
        return runCommand(client(), ups, msg.payload.trim(), param);
      }
      if (typeof msg.variable !== 'string' || !msg.variable.trim()) throw new Error('msg.variable must name the variable to set, e.g. ups.delay.shutdown');
      const value = msg.payload;
      if (value === undefined || value === null || typeof value === 'object') throw new Error('msg.payload must be the value to set (a string, number or boolean)');
      return setVariable(client(), ups, msg.variable.trim(), String(value));
    };

    node.on('input', (msg: UpsMessage, send, done) => {
      if (!config) {
        done(refused ?? new Error(RED._('ups-nut.errors.no-device')));
        return;
      }
      if (mode === 'poll') {
        poll(msg).then((outcome) => {
          show(outcome.error);
          if (outcome.status) send([Object.assign(msg, outcome.status), null]);
          for (const event of outcome.events) send([null, event]);
          done(outcome.error);
        });
        return;
      }
      node.showsOutcome = true;
      node.status({ fill: 'blue', shape: 'ring', text: RED._('ups-nut.status.running', { mode }) });
      act(msg).then((result) => {
        const summary = result as { result?: string; upses?: unknown[] };
        node.status({
          fill: 'green', shape: 'dot',
          text: mode === 'list' ? RED._('ups-nut.status.listed', { count: summary.upses?.length ?? 0 }) : RED._('ups-nut.status.done', { mode, result: String(summary.result) }),
        });
        msg.payload = result;
        send(msg);
        done();
      }, (error: Error) => {
        node.status(errorStatus(error));
        done(error);
      });
    });

    const stopPolling = config && mode === 'poll' ? everySeconds(interval, timedPoll) : () => undefined;
    closeWith(node, config, () => {
      stopPolling();
      for (const watch of watches.values()) watch.stop();
    });
  }

  RED.nodes.registerType('ups-nut', UpsNut as never);

  // The editor's UPS picker: the UPSes of a deployed NUT device config.
  RED.httpAdmin.get('/rack-power/nut/:id/upses', RED.auth.needsPermission('pdu-config.read'), (req, res) => {
    const config = RED.nodes.getNode(String(req.params.id)) as PduConfigNode | null;
    if (!config) {
      res.status(404).json({ error: 'deploy the device config first' });
      return;
    }
    Promise.resolve()
      .then(() => config.nutClient().listUps())
      .then((upses) => res.json(upses))
      .catch((error: Error) => res.status(502).json({ error: error.message }));
  });
};
