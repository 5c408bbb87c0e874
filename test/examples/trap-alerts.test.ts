import assert from 'assert';
import fs from 'fs';
import path from 'path';
import { startSim, type SimDevice } from '../../sim';
import { DEFAULT_PORTS } from '../../sim/ports';
import { coreNodes, helper, packNodes, sleep, until, type FlowNode } from '../helpers/red';
import { freeUdpPort, v2cTrap } from '../helpers/traps';
import { startWebhook } from '../helpers/webhook';

// The trap examples, loaded as a user imports them and run against the Sentry2 simulator sending
// its traps: the Slack one with a local HTTP server standing in for the webhook, the e-mail one
// with the e-mail node (node-red-node-email, not installed here) replaced by a test node.

type Msg = Record<string, any>;
const EXAMPLES = path.resolve(__dirname, '../../examples');
const S2 = '1.3.6.1.4.1.1718.2';

function example(name: string): FlowNode[] {
  return JSON.parse(fs.readFileSync(path.join(EXAMPLES, name), 'utf8'));
}

const credentials = (id: string) => ({ [id]: { readCommunity: 'public', writeCommunity: 'private', trapCommunity: 'public' } });

describe('trap examples against the Sentry2 simulator', function () {
  this.timeout(30000);
  let sim: SimDevice;
  let trapPort: number;

  beforeEach(async function () {
    trapPort = await freeUdpPort();
    sim = await startSim('sentry2', { port: 0, rebootDelay: 300, driftInterval: 0, traps: { port: trapPort, community: 'public' } });
    // The examples leave the trap port empty: pdu-trap-in takes pduTrapInPort from the settings.
    helper.settings({ pduTrapInPort: trapPort } as never);
  });

  afterEach(async function () {
    await helper.unload();
    helper.settings({});
    await sim.stop();
    delete process.env.SLACK_WEBHOOK_URL;
  });

  for (const file of ['trap-alerts.json', 'trap-alerts-email.json']) {
    it(`${file}: starts with a comment, holds no secrets, points at the simulator's default ports`, function () {
      const flow = example(file);
      assert.strictEqual(flow[0].type, 'comment');
      const secrets = /^(credentials|readCommunity|writeCommunity|trapCommunity|community|password|authKey|privKey)$/;
      assert.deepStrictEqual(flow.flatMap((node) => Object.keys(node).filter((key) => secrets.test(key))), [], 'no secrets in the flow');
      for (const config of flow.filter((node) => node.type === 'pdu-config')) {
        assert.strictEqual(Number(config.port), DEFAULT_PORTS[String(config.profile)]);
      }
      const trapIn = flow.find((node) => node.type === 'pdu-trap-in')!;
      assert.strictEqual(trapIn.port, '', 'the default trap port (1162, or pduTrapInPort)');
    });
  }

  it('trap-alerts.json: an outlet switched from the flow reaches Slack once; a burst is rate-limited', async function () {
    const slack = await startWebhook('/hook');
    const { posts } = slack;
    process.env.SLACK_WEBHOOK_URL = slack.url;
    try {
      const flow = example('trap-alerts.json').map((node) => (node.type === 'pdu-config' ? { ...node, port: String(sim.port) } : node));
      await helper.load([...packNodes, ...coreNodes] as never, flow as never, credentials('rp.sentry2') as never);
      const events: Msg[] = [];
      helper.getNode('rp.trap.events').on('input', (msg: Msg) => { events.push(msg); });
      await sleep(200);
      helper.getNode('rp.trap.off').receive({});
      const [post] = await until(() => posts.length > 0 && posts, 8000, 'Slack post');
      assert.strictEqual(post.path, '/hook');
      assert.strictEqual(post.type, 'application/json');
      assert.strictEqual(post.body.text, ':information_source: *outletOff* Sentry power manager (simulated): outlet .A3 (server-03) turned off');
      assert.strictEqual(sim.model.outlet(3)!.on, false);
      // Five more traps at once: all are events, none gets past the limit of one alert per 6 s.
      for (let i = 0; i < 5; i += 1) {
        await v2cTrap(`127.0.0.1:${trapPort}`, 'public', `${S2}.100.0.5`, [`${S2}.1.4.1.3.65.49`, 's', 'server-01', `${S2}.1.4.1.4.65.49`, 's', 'On']);
      }
      await until(() => events.length >= 6, 5000, 'six events');
      await sleep(300);
      assert.strictEqual(posts.length, 1);
    } finally {
      await slack.close();
    }
  });

  it('trap-alerts-email.json: a temperature alarm becomes one e-mail; outlet events are not mailed', async function () {
    const flow = example('trap-alerts-email.json').map((node) => {
      if (node.type === 'pdu-config') return { ...node, port: String(sim.port) };
      // node-red-node-email is not installed here: a test node stands in for the e-mail node.
      if (node.type === 'e-mail') return { id: node.id, type: 'helper' };
      return node;
    });
    await helper.load([...packNodes, ...coreNodes] as never, flow as never, credentials('rp.sentry2') as never);
    const mails: Msg[] = [];
    helper.getNode('rp.mail.send').on('input', (msg: Msg) => { mails.push(msg); });
    await sleep(200);
    sim.model.switch(2, false);
    sim.model.setSensors(41);
    const [mail] = await until(() => mails.length > 0 && mails, 8000, 'e-mail');
    assert.strictEqual(mail.topic, '[critical] Sentry power manager (simulated): temperatureHigh');
    assert.match(mail.payload, /^Sentry power manager \(simulated\): sensor Board A temperature high: 41 °C\n/);
    assert.match(mail.payload, /from: {5}127\.0\.0\.1 \(SNMP 2c trap sentry2BoardTemperatureHighError\)/);
    await sleep(300);
    assert.strictEqual(mails.length, 1);
  });
});
