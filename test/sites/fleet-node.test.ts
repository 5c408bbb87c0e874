import assert from 'assert';
import { startSim, type SimDevice } from '../../sim/index';
import { startMosquitto, type Mosquitto } from '../peers/mosquitto';
import { startNodeRed, type NodeRedProcess } from '../runtime/node-red-process';

// pdu-fleet in a hub Node-RED, a site (pdu-site and a simulated PDU) in another, a real
// Mosquitto between them: the fleet report shows the site online with its device and load, the
// site's critical event as an active alarm, and the site offline once it is killed.

describe('pdu-fleet: the hub\'s report across sites, through Mosquitto', function () {
  this.timeout(Number(process.env.SITES_TIMEOUT ?? 120000));
  let broker: Mosquitto;
  let rack: SimDevice;
  let site: NodeRedProcess;
  let hub: NodeRedProcess;

  const brokerConfig = (id: string, user: string, password: string) => ({
    id, type: 'mqtt-broker', name: `${user} broker`, broker: '127.0.0.1', port: String(broker.port), clientid: '',
    autoConnect: true, usetls: false, protocolVersion: '5', keepalive: '2', cleansession: true, credentials: { user, password },
  });

  const siteFlows = () => [
    { id: 'stab', type: 'tab', label: 'site' },
    brokerConfig('sbrk', 'paris', 'parispass'),
    {
      id: 'c1', type: 'pdu-config', name: 'rack-1', transport: 'snmp', host: '127.0.0.1', port: String(rack.port), profile: 'sentry3',
      snmpVersion: '2c', timeout: 500, retries: 1, locked: 'server-02', groups: [], extra: {}, minOffTime: 0, minOnTime: 0, nativeReboot: true,
      credentials: { readCommunity: 'public', writeCommunity: 'private' },
    },
    { id: 'site', type: 'pdu-site', z: 'stab', broker: 'sbrk', site: 'paris', interval: 1, devices: [{ device: 'c1', topic: 'rack-1' }], wires: [] },
    // An event from the site's flow (as pdu-status thresholds send them), on request.
    { id: 's.in', type: 'http in', z: 'stab', url: '/event', method: 'post', upload: false, wires: [['site', 's.res']] },
    { id: 's.res', type: 'http response', z: 'stab', statusCode: '', headers: {}, wires: [] },
  ];

  const hubFlows = () => [
    { id: 'htab', type: 'tab', label: 'hub' },
    brokerConfig('hbrk', 'hub', 'hubpass'),
    { id: 'fleet', type: 'pdu-fleet', z: 'htab', broker: 'hbrk', sites: '', every: 0.2, wires: [['keep']] },
    { id: 'keep', type: 'function', z: 'htab', func: 'const all = flow.get("reports") || []; all.push(msg); flow.set("reports", all.slice(-50)); return null;', outputs: 1, wires: [[]] },
    { id: 'in1', type: 'http in', z: 'htab', url: '/reports', method: 'get', upload: false, wires: [['give']] },
    { id: 'give', type: 'function', z: 'htab', func: 'msg.payload = flow.get("reports") || []; return msg;', outputs: 1, wires: [['res']] },
    { id: 'res', type: 'http response', z: 'htab', statusCode: '', headers: {}, wires: [] },
    { id: 'in2', type: 'http in', z: 'htab', url: '/ask', method: 'post', upload: false, wires: [['fleet', 'res']] },
  ];

  const deploy = async (red: NodeRedProcess, flows: unknown[]) => {
    const deployed = await red.request('POST', '/flows', flows, { 'Node-RED-Deployment-Type': 'full' });
    assert.strictEqual(deployed.status, 204, deployed.text);
  };
  const reports = async (): Promise<any[]> => {
    const answer = await hub.request('GET', '/reports');
    return answer.status === 200 ? JSON.parse(answer.text) : [];
  };
  /** The first report (from `from` on) that passes `check`, waited for. */
  const report = async (check: (payload: any) => boolean, ms: number, what: string, from = 0): Promise<{ payload: any; index: number }> => {
    const deadline = Date.now() + ms;
    for (;;) {
      const all = await reports();
      const index = all.findIndex((msg, i) => i >= from && check(msg.payload));
      if (index >= 0) return { payload: all[index].payload, index };
      if (Date.now() > deadline) throw new Error(`no report with ${what}; last: ${JSON.stringify(all.at(-1)?.payload)}`);
      await new Promise((resolve) => { setTimeout(resolve, 100); });
    }
  };

  before(async function () {
    broker = await startMosquitto({
      users: { paris: 'parispass', hub: 'hubpass' },
      acl: ['user paris', 'topic readwrite rackpower/v1/paris/#', 'user hub', 'topic readwrite rackpower/#'],
    });
    rack = await startSim('sentry3', { port: 0, outlets: 8, locked: [], readCommunity: 'public', writeCommunity: 'private' } as never);
    site = await startNodeRed();
    await deploy(site, siteFlows());
    hub = await startNodeRed();
    await deploy(hub, hubFlows());
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed' && process.env.SITES_DEBUG) {
      console.log('--- hub ---\n', hub?.output().slice(-6000), '\n--- site ---\n', site?.output().slice(-6000));
    }
  });

  after(async function () {
    await hub?.stop();
    await site?.stop();
    await broker?.stop();
    await rack?.stop();
  });

  it('shows the site online with its device, outlets and load', async function () {
    const { payload } = await report((p) => p.sites?.[0]?.devices?.[0]?.load?.current !== undefined, 30000, 'the site\'s device read');
    const [paris] = payload.sites;
    assert.strictEqual(paris.site, 'paris');
    assert.strictEqual(paris.state, 'online');
    assert.strictEqual(paris.compatible, true);
    const [device] = paris.devices;
    assert.strictEqual(device.device, 'rack-1');
    assert.strictEqual(device.availability.state, 'connected');
    assert.deepStrictEqual(device.outlets, { on: 8, total: 8, locked: 1 });
    assert.ok(device.load.current > 0, JSON.stringify(device.load));
    assert.strictEqual(payload.totals.online, 1);
    assert.strictEqual(payload.totals.current, device.load.current);
  });

  it('any message asks for a report at once', async function () {
    const before = (await reports()).length;
    const asked = await hub.request('POST', '/ask', {});
    assert.strictEqual(asked.status, 200);
    await report(() => true, 3000, 'an answer to the request', before);
  });

  it('a critical event from the site is an active alarm, cleared by its normal', async function () {
    const from = (await reports()).length;
    const raised = await site.request('POST', '/event', { event: 'inputLoadHigh', severity: 'critical', text: 'input A load 17 A', value: 17 });
    assert.strictEqual(raised.status, 200, raised.text);
    const { payload, index } = await report((p) => p.sites[0].devices[0].alarms.length > 0, 10000, 'the alarm', from);
    assert.deepStrictEqual(payload.sites[0].devices[0].alarms.map((alarm: any) => [alarm.event, alarm.severity, alarm.text]),
      [['inputLoadHigh', 'critical', 'input A load 17 A']]);
    assert.strictEqual(payload.totals.critical, 1);
    await site.request('POST', '/event', { event: 'inputLoadNormal', severity: 'info', text: 'input A load back to normal' });
    await report((p) => p.sites[0].devices[0].alarms.length === 0, 10000, 'the alarm cleared', index + 1);
  });

  it('the site killed: offline in the next report', async function () {
    const from = (await reports()).length;
    const killed = Date.now();
    await site.kill();
    const { payload } = await report((p) => p.sites[0].state === 'offline', 15000, 'the site offline', from);
    const took = Date.now() - killed;
    assert.strictEqual(payload.totals.offline, 1);
    assert.strictEqual(payload.sites[0].devices[0].device, 'rack-1', 'its device stays, with its last reading');
    assert.ok(took < 8000, `seen after ${took} ms (2 s keepalive)`);
  });
});
