import type { NodeAPI, NodeDef, NodeMessage, NodeMessageInFlow } from 'node-red';
import { checkPlan, stepText } from '../../lib/automation/sequence-plan';
import {
  finish, newRun, SequenceRun, type RunState, type SequenceEnvironment, type SequenceReport,
} from '../../lib/automation/sequence-runner';
import type { DeviceEvent } from '../../lib/types';
import type { DeviceUser, PduConfigNode } from '../shared/config-node';
import { shareEvent } from '../shared/event-hub';
import { short } from '../shared/status';
import { SequenceDevices } from './devices';

interface SequenceDef extends NodeDef {
  steps?: unknown[];
  /** After a restart or redeploy in the middle of a plan: `resume` from the step in flight, or `stop`. */
  onRestart?: 'resume' | 'stop';
  /** The context store that keeps the plan in progress (empty: the default store). */
  store?: string;
  /** A second output with each step's progress. */
  progress?: boolean;
}

type SequenceMessage = NodeMessageInFlow & { plan?: unknown; command?: unknown };

export = function register(RED: NodeAPI): void {
  function PduSequence(this: DeviceUser, def: SequenceDef): void {
    RED.nodes.createNode(this, def);
    const node = this;
    // The node shows its plan's progress, never the connection state of the devices it uses.
    node.showsOutcome = true;
    const devices = new SequenceDevices(RED, node);
    const store = def.store?.trim() || undefined;
    /**
     * The plan in progress is kept in the flow's context under this node's id, not the node's own
     * context: Node-RED deletes a node's context whenever the node stops unless a context store is
     * configured, so a redeploy would forget the plan it cut.
     */
    const context = node.context().flow;
    const KEY = `pdu-sequence:${node.id}`;
    let running: SequenceRun | undefined;
    let closed = false;

    const save = (state: RunState | undefined): Promise<void> => new Promise((resolve) => {
      // A copy: the memory store keeps the object itself, and the runner goes on changing it.
      const value = state === undefined ? undefined : JSON.parse(JSON.stringify(state));
      context.set(KEY, value, store, (error?: Error) => {
        if (error) node.warn(RED._('pdu-sequence.warn.store', { error: error.message }));
        resolve();
      });
    });

    /**
     * An outlet a closing Device left off (a reboot step cut by a redeploy): the Device says so
     * itself, and the pdu-config hands it to the next flow's nodes, this one among them.
     */
    node.onDeviceEvent = (event: DeviceEvent): void => {
      if (event.event !== 'outletLeftOff') return;
      node.warn(event.text);
      if (def.progress) node.send([null, { topic: event.event, payload: event }]);
    };
    // The devices of the node's own steps are joined now, as pdu-outlet joins its device: their
    // connection shows from the start, and what a cut command left behind reaches this node.
    for (const step of Array.isArray(def.steps) ? def.steps : []) {
      const ref = (step as { device?: unknown } | null)?.device;
      if (typeof ref === 'string' && ref && !devices.problem(ref)) devices.device(ref);
    }

    const outputs = (result: NodeMessage, progress?: NodeMessage): Array<NodeMessage | null> => (def.progress ? [result, progress ?? null] : [result]);

    const environment = (): SequenceEnvironment => ({
      ...devices.sources(),
      save: (state) => (closed ? Promise.resolve() : save(state)),
      forget: () => save(undefined),
      stepStarted: (position, step) => {
        const total = running?.state.plan.length ?? 0;
        node.status({ fill: 'blue', shape: 'ring', text: short(`${position + 1}/${total}: ${step.label || stepText(step, (ref) => devices.name(ref))}`) });
        if (def.progress) node.send([null, { topic: 'step', payload: { event: 'started', index: position + 1, label: step.label, action: step.action } }]);
      },
      stepEnded: (report) => {
        if (def.progress) node.send([null, { topic: 'step', payload: { event: 'ended', ...report } }]);
      },
    });

    /** The config of a step's device, if it is still deployed (a left-off event still goes out without it). */
    const configOf = (ref: string): PduConfigNode | undefined => {
      try {
        return devices.config(ref);
      } catch {
        return undefined;
      }
    };

    /** The outcome on the node, the report on the output, each outlet left off as an event, failures to Catch. */
    const deliver = (report: SequenceReport, msg: NodeMessage, send: (msgs: Array<NodeMessage | null>) => void, done: (error?: Error) => void): void => {
      const fill = report.outcome === 'ok' ? 'green' : report.outcome === 'cancelled' ? 'yellow' : 'red';
      node.status({ fill, shape: 'dot', text: short(report.text) });
      msg.payload = report;
      msg.topic = report.outcome;
      send(outputs(msg));
      for (const left of report.leftOff) {
        for (const outlet of left.outlets) {
          const event: DeviceEvent = {
            event: 'outletLeftOff', severity: 'critical', device: left.deviceName, source: 'command',
            outlet, text: RED._('pdu-sequence.event.left-off', { outlet: `outlet ${outlet.index} (${outlet.name})`, device: left.deviceName, plan: report.text }),
          };
          node.warn(event.text);
          // Into the device's event stream too (pdu-events), whether or not the progress output is on.
          shareEvent(configOf(left.device), event);
          if (def.progress) send([null, { topic: event.event, payload: event }]);
        }
      }
      done(report.outcome === 'failed' || report.outcome === 'interrupted' ? new Error(report.text) : undefined);
    };

    const start = (state: RunState, msg: NodeMessage, send: (msgs: Array<NodeMessage | null>) => void, done: (error?: Error) => void): void => {
      const run = new SequenceRun(environment(), state);
      running = run;
      run.run().then((report) => {
        if (running === run) running = undefined;
        if (report && !closed) deliver(report, msg, send, done);
        else done();
      }, (error: Error) => {
        if (running === run) running = undefined;
        node.status({ fill: 'red', shape: 'dot', text: short(error.message) });
        done(error);
      });
    };

    node.on('input', (msg: SequenceMessage, send, done) => {
      ready.then(() => handle(msg, send, done));
    });

    const handle = (msg: SequenceMessage, send: (msgs: Array<NodeMessage | null>) => void, done: (error?: Error) => void): void => {
      const command = msg.command === undefined ? 'start' : msg.command;
      if (command === 'cancel') {
        if (running) {
          node.status({ fill: 'yellow', shape: 'ring', text: RED._('pdu-sequence.status.cancelling', { step: running.position + 1 }) });
          running.cancel();
        }
        done();
        return;
      }
      if (command !== 'start') {
        done(new Error(RED._('pdu-sequence.errors.command', { command: short(String(JSON.stringify(command)), 30) })));
        return;
      }
      if (running) {
        done(new Error(RED._('pdu-sequence.errors.busy', { step: running.position + 1, total: running.state.plan.length })));
        return;
      }
      let plan;
      try {
        plan = checkPlan(msg.plan ?? def.steps ?? [], { device: (ref, action) => devices.problem(ref, action) });
      } catch (error) {
        node.status({ fill: 'red', shape: 'dot', text: short((error as Error).message) });
        done(error as Error);
        return;
      }
      start(newRun(plan, Date.now()), msg, send, done);
    };

    /**
     * A plan a restart or redeploy cut: say where it was, then resume it or stop it as set. Read
     * before any message is handled (a start must not be taken for the plan it cut), and acted on
     * once the flow has started, so that the nodes downstream get what this says.
     */
    const flowsStarted = new Promise<void>((resolve) => RED.events.once('flows:started', () => resolve()));
    const recover = async (): Promise<void> => {
      const saved = await new Promise<unknown>((resolve) => context.get(KEY, store, (error: Error | undefined, value: unknown) => {
        if (error) node.warn(RED._('pdu-sequence.warn.store', { error: error.message }));
        resolve(error ? undefined : value);
      }));
      await flowsStarted;
      if (closed || !saved || !Array.isArray((saved as RunState).plan)) return;
      const state = JSON.parse(JSON.stringify(saved)) as RunState;
      const resume = def.onRestart === 'resume';
      const where = RED._(`pdu-sequence.warn.${resume ? 'resuming' : 'stopping'}`, {
        step: state.step + 1, total: state.plan.length, started: new Date(state.startedAt).toISOString(),
      });
      node.warn(where);
      const send = (msgs: Array<NodeMessage | null>): void => node.send(msgs);
      const done = (failure?: Error): void => { if (failure) node.error(failure, { topic: 'sequence', payload: failure.message } as NodeMessage); };
      send(outputs({ topic: 'restarted', payload: { event: resume ? 'resuming' : 'stopping', id: state.id, step: state.step + 1, text: where } }));
      if (resume) {
        start(state, { topic: 'sequence' }, send, done);
        return;
      }
      const report = await finish(environment(), state, { kind: 'interrupted', at: state.step }, Date.now());
      await save(undefined);
      if (!closed) deliver(report, { topic: 'sequence' }, send, done);
    };
    const ready = recover().catch((error: Error) => node.error(error));

    node.on('close', (removed: boolean, closeDone: () => void) => {
      closed = true;
      const run = running;
      running = undefined;
      if (run) {
        run.halt();
        // A removed node never resumes its plan: forget it, and say what it leaves off.
        if (removed) {
          save(undefined).catch(() => undefined);
          const off = Object.entries(run.state.turnedOff).flatMap(([ref, outlets]) => outlets.map((o) => `outlet ${o.index} (${o.name}) on ${devices.name(ref)}`));
          node.warn(RED._('pdu-sequence.warn.removed', { step: run.state.step + 1, outlets: off.join(', ') || '-' }));
        }
      }
      devices.leaveAll().then(() => closeDone());
    });
  }

  RED.nodes.registerType('pdu-sequence', PduSequence as never);
};
