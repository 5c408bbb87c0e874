import assert from 'assert';
import fs from 'fs';
import os from 'os';
import path from 'path';
import type { SimDevice } from '../../sim';
import type { NutSim } from '../../sim/nut/server';
import { forgetFileStore, loadFlowWithFileStore, restartWithFileStore } from '../helpers/context-store';
import { collect, coreNodes, helper, packNodes, sleep, until } from '../helpers/red';
import { simDevice } from '../helpers/sim';
import { startWebhook } from '../helpers/webhook';

type Msg = Record<string, any>;
type FlowNode = Record<string, any>;

/** The status a node shows now, as the editor draws it under the node. */
function statusOf(id: string): string | undefined {
  const node = helper.getNode(id) as unknown as { status: { args: Array<Array<{ text?: string }>> } };
  const calls = node.status.args;
  return calls.length ? calls[calls.length - 1][0]?.text : undefined;
}

// Each NUT example as shipped, run against the simulators: config ports point at the test's
// simulators, debug nodes become helper nodes to read what they would show, and timers shrink.

function example(name: string): FlowNode[] {
  return JSON.parse(fs.readFileSync(path.join(__dirname, '../../examples', name), 'utf8'));
}

/** As the editor imports it: flow nodes (those placed at x, y) go on a tab. */
function prepare(nodes: FlowNode[], ports: Record<string, number>, patch: Record<string, Record<string, unknown>> = {}): FlowNode[] {
  return [{ id: 'rp.tab', type: 'tab', label: 'example' }, ...nodes.map((node) => {
    const copy: FlowNode = { ...node, ...patch[node.id] };
    if (copy.type === 'pdu-config') copy.port = String(ports[copy.port] ?? copy.port);
    if (copy.type === 'debug') return { id: copy.id, type: 'helper', name: copy.name, z: 'rp.tab' };
    return 'x' in copy ? { ...copy, z: 'rp.tab' } : copy;
  })];
}

describe('NUT examples against the simulators', function () {
  this.timeout(30000);
  let nut: NutSim;
  let sentry: SimDevice;

  beforeEach(async function () {
    nut = await simDevice('nut-server', { cycle: 0 } as never) as NutSim;
    sentry = await simDevice('sentry2');
  });

  afterEach(async function () {
    await helper.unload();
    await nut.stop();
    await sentry.stop();
  });

  const load = (nodes: FlowNode[], credentials: Record<string, unknown>) => helper.load([...packNodes, ...coreNodes] as never,
    nodes as never, credentials as never);

  it('every example starts with a comment node and holds no secret', function () {
    for (const name of ['ups-load-shedding.json', 'ups-alerts.json', 'nut-pdu-outlets.json']) {
      const nodes = example(name);
      assert.strictEqual(nodes[0].type, 'comment', name);
      assert.ok(!/"(password|readCommunity|writeCommunity|credentials)"/.test(JSON.stringify(nodes)), `${name} holds no credentials`);
      for (const config of nodes.filter((node) => node.type === 'pdu-config')) {
        assert.strictEqual(config.host, '127.0.0.1');
        assert.ok(['13493', '16161'].includes(config.port), `${name}: ${config.port} is a simulator's default port`);
      }
    }
  });

  describe('ups-load-shedding, with a persistent default context store', function () {
    let dir: string;
    let nodes: FlowNode[];
    const credentials = { 'rp.sentry2': { readCommunity: 'public', writeCommunity: 'private' } };
    let back: Msg[];
    let events: Msg[];
    let errors: Msg[];
    const on = (): boolean[] => sentry.model.outlets.map((outlet) => outlet.on);
    const sets = (): number => sentry.sets!.length;
    const watch = (): void => {
      back = collect<Msg>(helper.getNode('rp.shed.result'));
      events = collect<Msg>(helper.getNode('rp.shed.events'));
      errors = collect<Msg>(helper.getNode('rp.shed.errors'));
    };

    beforeEach(async function () {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rp-shed-'));
      nodes = prepare(example('ups-load-shedding.json'), { 13493: nut.port, 16161: sentry.port }, {
        'rp.shed.ups': { interval: 0.2 },
        'rp.shed.delay': { duration: '1.5' },
        'rp.sentry2': { minOffTime: 0 },
      });
      await loadFlowWithFileStore(nodes, credentials, dir);
      watch();
    });

    afterEach(async function () {
      await helper.unload();
      forgetFileStore();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    /** An outage long enough to shed, with outlet 6 already off before it; returns the SETs it took. */
    async function shedWithSixOff(): Promise<number> {
      sentry.model.switch(6, false);
      nut.ups.setMains(false);
      await until(() => !on()[4] && !on()[6], 8000, 'the shed');
      assert.deepStrictEqual(on(), [true, true, true, true, false, false, false, true], 'outlets 5 and 7 shed; the locked outlet 8 never touched');
      await until(() => statusOf('rp.shed.remember') === 'shed: 5,7', 5000, 'the shed remembered');
      return sets();
    }

    /** Mains is back: exactly 5 and 7 come on, one at a time; 6 stays off; nothing else is switched. */
    async function poweredBackExactly(shedSets: number): Promise<void> {
      const [report] = await until(() => back.length > 0 && back, 15000, 'power back');
      assert.strictEqual(report.payload.outcome, 'ok', report.payload.text);
      assert.deepStrictEqual(report.payload.steps.map((step: Msg) => step.text),
        ['on 5 @ Sentry power manager (simulated)', 'delay 2 s', 'on 7 @ Sentry power manager (simulated)']);
      assert.deepStrictEqual(on(), [true, true, true, true, true, false, true, true], 'exactly 5 and 7 back on; 6 stays off');
      assert.ok(report.payload.steps[2].result.outlets[0].verified);
      await sleep(1000);
      assert.strictEqual(sets(), shedSets + 2, 'nothing else switched');
      assert.strictEqual(back.length, 1, 'powered back once');
      assert.deepStrictEqual(errors, []);
    }

    it('a short blip sheds nothing; a restart on battery, then mains: exactly the shed outlets come back', async function () {
      nut.ups.setMains(false);
      await until(() => events.some((m) => m.topic === 'ONBATT'), 5000, 'ONBATT');
      nut.ups.setMains(true);
      await until(() => events.some((m) => m.topic === 'ONLINE'), 5000, 'ONLINE');
      await sleep(2500);
      assert.strictEqual(sets(), 0, 'the pending shed was cancelled; nothing was shed, so nothing comes back');
      assert.deepStrictEqual(back, []);

      const shedSets = await shedWithSixOff();
      await restartWithFileStore(nodes, credentials, dir);
      watch();
      await until(() => events.some((m) => m.topic === 'ONBATT'), 5000, 'ONBATT seen again by the new flow');
      await sleep(500);
      nut.ups.setMains(true);
      await poweredBackExactly(shedSets);
    });

    it('mains returns while Node-RED is stopped: the first poll after the start powers back exactly the shed outlets', async function () {
      const shedSets = await shedWithSixOff();
      nut.ups.setMains(true);
      await restartWithFileStore(nodes, credentials, dir);
      watch();
      await poweredBackExactly(shedSets);
      assert.ok(!events.some((m) => m.topic === 'ONLINE'), 'no ONLINE event: the UPS was on line from the first poll');
    });
  });

  it('ups-alerts: posts each UPS event to the Slack webhook and prepares an e-mail', async function () {
    const slack = await startWebhook();
    const { posts } = slack;
    process.env.SLACK_WEBHOOK_URL = slack.url;
    try {
      await load(prepare(example('ups-alerts.json'), { 13493: nut.port }, { 'rp.alert.ups': { interval: 0.2 } }), {});
      const mails = collect<Msg>(helper.getNode('rp.alert.mail'));
      const answers = collect<Msg>(helper.getNode('rp.alert.sent'));
      await new Promise((resolve) => { setTimeout(resolve, 500); });
      nut.ups.setMains(false);
      await until(() => posts.length > 0 && answers.length > 0, 5000, 'a Slack post');
      assert.deepStrictEqual(posts[0], {
        path: '/services/T000/B000/XXXX',
        type: 'application/json',
        body: { text: ':warning: *ONBATT* UPS ups@nut-sim on battery (battery 100%)' },
      });
      assert.strictEqual(answers[0].payload, 'ok');
      const [mail] = await until(() => mails.length > 0 && mails, 2000, 'an e-mail');
      assert.strictEqual(mail.topic, '[warning] ONBATT ups@nut-sim');
      assert.match(mail.payload, /^UPS ups@nut-sim on battery \(battery 100%\)\nstatus: OB DISCHRG\nat: /);
    } finally {
      delete process.env.SLACK_WEBHOOK_URL;
      await slack.close();
    }
  });

  it('ups-alerts: the battery threshold and the on-battery timer reach Slack too, and ONLINE cancels the timer', async function () {
    const slack = await startWebhook();
    process.env.SLACK_WEBHOOK_URL = slack.url;
    try {
      const shipped = example('ups-alerts.json').find((node) => node.id === 'rp.alert.ups')!;
      // The shipped rows with shorter times: a 1 s timer, alarms repeated every 0.5 s.
      const timers = shipped.timers.map((row: FlowNode) => ({ ...row, seconds: '1' }));
      await load(prepare(example('ups-alerts.json'), { 13493: nut.port }, { 'rp.alert.ups': { interval: 0.2, repeat: 0.5, timers } }), {});
      const texts = (): string[] => slack.posts.map((post) => (post.body as { text: string }).text);
      await new Promise((resolve) => { setTimeout(resolve, 500); });
      nut.ups.setMains(false);
      await until(() => texts().some((text) => text.includes('*ONBATT*')), 5000, 'ONBATT');
      nut.ups.setMains(true);
      await until(() => texts().some((text) => text.includes('*ONLINE*')), 5000, 'ONLINE');
      await new Promise((resolve) => { setTimeout(resolve, 1500); });
      assert.ok(!texts().some((text) => text.includes('onbattTimer')), 'back on line within the time: no timer event');

      nut.ups.setMains(false);
      const timer = await until(() => texts().find((text) => text.includes('*onbattTimer*')), 5000, 'the timer');
      assert.match(timer, /^:rotating_light: \*onbattTimer\* UPS ups@nut-sim: ONBATT for 1(\.\d)? s \(timer onbattTimer\)$/);
      nut.ups.charge = 40;
      const low = await until(() => texts().find((text) => text.includes('battery.charge:low')), 5000, 'the threshold');
      assert.strictEqual(low, ':rotating_light: *battery.charge:low* UPS ups@nut-sim: battery.charge below 50 %: 40 %');
      await until(() => texts().filter((text) => text.includes('battery.charge:low')).length >= 2, 5000, 'the repeat');
    } finally {
      delete process.env.SLACK_WEBHOOK_URL;
      await slack.close();
    }
  });

  it('ups-alerts without SLACK_WEBHOOK_URL: says so once on its status, posts nothing, raises no error', async function () {
    delete process.env.SLACK_WEBHOOK_URL;
    const nodes = prepare(example('ups-alerts.json'), { 13493: nut.port }, { 'rp.alert.ups': { interval: 0.2 } });
    // Every status and every error of the tab, as a Status and the example's Catch node see them.
    nodes.push({ id: 'test.status', type: 'status', z: 'rp.tab', scope: null, x: 0, y: 0, wires: [['test.statuses']] },
      { id: 'test.statuses', type: 'helper', z: 'rp.tab' });
    await load(nodes, {});
    const statuses = collect<Msg>(helper.getNode('test.statuses'));
    const errors = collect<Msg>(helper.getNode('rp.alert.errors'));
    const mails = collect<Msg>(helper.getNode('rp.alert.mail'));
    await new Promise((resolve) => { setTimeout(resolve, 500); });
    for (const mains of [false, true, false]) {
      nut.ups.setMains(mains);
      await until(() => mails.length > 0 && mails[mails.length - 1].topic.includes(mains ? 'ONLINE' : 'ONBATT'), 5000, 'the e-mail branch');
    }
    await new Promise((resolve) => { setTimeout(resolve, 500); });
    assert.deepStrictEqual(errors, [], 'no error: nothing was posted');
    const told = statuses.filter((msg) => msg.status.source.id === 'rp.alert.url');
    assert.deepStrictEqual(told.map((msg) => msg.status.text), ['set SLACK_WEBHOOK_URL to post to Slack'], 'said once');
    assert.deepStrictEqual(statuses.filter((msg) => msg.status.source.id === 'rp.alert.slack'), [], 'no request started');
  });

  it('nut-pdu-outlets: switches a group on a NUT PDU and refuses the locked outlet', async function () {
    const nodes = prepare(example('nut-pdu-outlets.json'), { 13493: nut.port }, {
      'rp.nutpdu.cfg': { minOffTime: 0 },
      'rp.nutpdu.status': { interval: 0.3 },
    });
    await load(nodes, { 'rp.nutpdu.cfg': { username: 'admin', password: 'secret' } });
    const switched = collect<Msg>(helper.getNode('rp.nutpdu.result'));
    const errors = collect<Msg>(helper.getNode('rp.nutpdu.errors'));
    const snapshots = collect<Msg>(helper.getNode('rp.nutpdu.snapshot'));
    const events = collect<Msg>(helper.getNode('rp.nutpdu.events'));
    await until(() => snapshots.length > 0, 5000, 'a snapshot');
    helper.getNode('rp.nutpdu.off').receive({});
    await until(() => switched.length === 1, 5000, 'lab off');
    assert.deepStrictEqual(switched[0].payload.outlets.map((o: Msg) => [o.index, o.after, o.verified]), [[3, 'off', true], [4, 'off', true]]);
    assert.deepStrictEqual([nut.model.outlet(3)!.on, nut.model.outlet(4)!.on], [false, false]);
    await until(() => events.filter((m) => m.topic === 'outletOff').length === 2, 5000, 'pdu-status sees both off');
    helper.getNode('rp.nutpdu.locked').receive({});
    const [error] = await until(() => errors.length > 0 && errors, 5000, 'the refusal');
    assert.match(error.error.message, /locked on nut-pdu-sim: outlet 8 \(server-08\) not switched/);
    assert.strictEqual(nut.model.outlet(8)!.on, true);
  });
});
