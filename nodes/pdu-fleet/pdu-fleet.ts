import type { Node, NodeAPI, NodeDef } from 'node-red';
import { FleetModel, type FleetTotals } from '../../lib/sites/fleet';
import { FleetReporter } from '../../lib/sites/fleet-reporter';
import { BrokerLink, type MqttBrokerNode } from '../shared/broker-link';
import { errorStatus } from '../shared/status';

interface FleetDef extends NodeDef {
  broker: string;
  /** Site names, separated by commas or spaces; empty: every site on the broker. */
  sites?: string;
  /** Seconds: a change is reported at most this often. */
  every?: string | number;
  maxSites?: string | number;
  maxDevices?: string | number;
}

/** A positive whole number from the editor's text, or the default when left empty. */
function limit(value: unknown, fallback: number, what: string): number {
  if (value === undefined || value === '') return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new Error(`${what} must be a whole number of 1 or more (got "${String(value)}")`);
  return number;
}

export = function register(RED: NodeAPI): void {
  function PduFleet(this: Node, def: FleetDef): void {
    RED.nodes.createNode(this, def);
    const node = this;
    const t = (key: string, vars?: Record<string, string | number>) => RED._(`pdu-fleet.${key}`, vars);
    let link: BrokerLink | undefined;
    let reporter: FleetReporter | undefined;
    let model: FleetModel | undefined;

    const showState = (totals?: FleetTotals): void => {
      if (!link || !model) return;
      totals ??= model.report().totals;
      if (!link.connected) {
        node.status({ fill: 'red', shape: 'ring', text: t(link.connecting ? 'status.connecting' : 'status.disconnected') });
        return;
      }
      const fill = totals.offline > 0 || totals.critical > 0 ? 'red' : totals.alarms > 0 ? 'yellow' : 'green';
      node.status({ fill, shape: 'dot', text: t('status.summary', { online: totals.online, sites: totals.sites, devices: totals.devices, alarms: totals.alarms }) });
    };

    try {
      const broker = RED.nodes.getNode(def.broker) as unknown as MqttBrokerNode | undefined;
      if (!broker || broker.type !== 'mqtt-broker') throw new Error(t('errors.no-broker'));
      const sites = String(def.sites ?? '').split(/[\s,]+/).filter(Boolean);
      const everyMs = Number(def.every ?? 1) * 1000;
      if (!(everyMs >= 0)) throw new Error(t('errors.bad-every', { every: String(def.every) }));
      model = new FleetModel({
        sites,
        limits: { sites: limit(def.maxSites, 1000, t('label.maxSites')), devices: limit(def.maxDevices, 10000, t('label.maxDevices')) },
        log: { warn: (text) => node.warn(text) },
      });
      const fleet = model;
      const send = (payload: unknown) => node.send({ topic: 'fleet', payload });
      reporter = new FleetReporter(fleet, (report) => { send(report); showState(report.totals); }, everyMs);
      const reports = reporter;
      link = new BrokerLink(broker, node.id);
      link.onConnection(() => showState());
      for (const filter of fleet.filters()) {
        // Events at QoS 1; retained state at QoS 0, which the broker never queues against its per-client limit.
        link.subscribe(filter, (message) => {
          if (fleet.receive(message)) reports.changed();
        }, filter.endsWith('/event') ? 1 : 0);
      }
      link.open();
      showState();
    } catch (error) {
      node.error(error);
      node.status(errorStatus(error as Error));
    }

    // Any message asks for the report now.
    node.on('input', (_msg, _send, done) => {
      if (!reporter) {
        done(new Error(t('errors.not-running')));
        return;
      }
      reporter.request();
      done();
    });

    node.on('close', (_removed: boolean, done: () => void) => {
      reporter?.stop();
      (link?.close() ?? Promise.resolve()).catch(() => undefined).then(() => done());
    });
  }

  RED.nodes.registerType('pdu-fleet', PduFleet);
};
