import assert from 'assert';
import net from 'net';
import { startSim, type SimDevice } from '../../sim/index';
import { startMosquitto, type Mosquitto } from '../peers/mosquitto';
import { freeTcpPort } from '../peers/ports';
import { startNodeRed, type NodeRedProcess } from '../runtime/node-red-process';
import { brokerConfig } from '../helpers/site-flows';

// The appliance check of a hub's pdu-outlet on a site's device is made at the site, by the
// site's own Device, right before the off is sent there (after the site's minimum on time), and
// not from the hub when the command leaves: an appliance that came up while the command waited
// at the site stops the off.

describe('many sites: the appliance check is made at the site, right before the off (two Node-RED runtimes, Mosquitto)', function () {
  this.timeout(120000);
  let broker: Mosquitto;
  let rack12: SimDevice;
  let site: NodeRedProcess;
  let hub: NodeRedProcess;
  let appliancePort: number;

  const siteFlows = () => [
    { id: 'stab', type: 'tab', label: 'site 1' },
    brokerConfig(broker.port, 'sbrk', 'site1', 'site1pass'),
    {
      id: 'c12', type: 'pdu-config', name: 'rack-12', transport: 'snmp', host: '127.0.0.1', port: String(rack12.port), profile: 'sentry3',
      snmpVersion: '2c', timeout: 500, retries: 1, locked: '', groups: [], extra: {}, minOffTime: 0, minOnTime: 3, nativeReboot: true,
      credentials: { readCommunity: 'public', writeCommunity: 'private' },
    },
    { id: 'site', type: 'pdu-site', z: 'stab', x: 100, y: 100, name: '', broker: 'sbrk', site: 'site1', interval: 1, wires: [],
      devices: [{ device: 'c12', topic: '', remoteControl: true, allowAll: false }] },
  ];

  const hubFlows = () => [
    { id: 'htab', type: 'tab', label: 'hub' },
    brokerConfig(broker.port, 'hbrk', 'hub', 'hubpass'),
    { id: 'r12', type: 'pdu-config', name: 'site1/rack-12', transport: 'site', mqttBroker: 'hbrk', site: 'site1', siteDevice: 'rack-12',
      timeout: 3000, retries: 0, locked: '', groups: [], extra: {}, minOffTime: 0, minOnTime: 0, nativeReboot: true },
    { id: 'in1', type: 'http in', z: 'htab', x: 100, y: 100, url: '/switch', method: 'post', upload: false, wires: [['fn1']] },
    { id: 'fn1', type: 'function', z: 'htab', x: 100, y: 150, func: 'msg.outlet = msg.payload.outlet; msg.payload = msg.payload.action; return msg;', outputs: 1, wires: [['out12']] },
    { id: 'out12', type: 'pdu-outlet', z: 'htab', x: 100, y: 200, device: 'r12', outlet: '1', action: 'on', verify: true, allowAll: false,
      probeHost: '127.0.0.1', probePort: String(appliancePort), wires: [['res']] },
    { id: 'h.catch', type: 'catch', x: 100, y: 250, z: 'htab', scope: ['out12'], uncaught: false, wires: [['err']] },
    { id: 'err', type: 'function', z: 'htab', x: 100, y: 300, func: 'msg.statusCode = 500; msg.payload = { error: msg.error.message }; return msg;', outputs: 1, wires: [['res']] },
    { id: 'res', type: 'http response', z: 'htab', x: 100, y: 350, statusCode: '', headers: {}, wires: [] },
  ];

  const deploy = async (red: NodeRedProcess, flows: unknown[]) => {
    const deployed = await red.request('POST', '/flows', flows, { 'Node-RED-Deployment-Type': 'full' });
    assert.strictEqual(deployed.status, 204, deployed.text);
  };
  const call = async (body: unknown) => {
    const answer = await hub.request('POST', '/switch', body);
    return { status: answer.status, body: JSON.parse(answer.text) };
  };

  before(async function () {
    broker = await startMosquitto({
      users: { site1: 'site1pass', hub: 'hubpass' },
      acl: ['pattern readwrite rackpower/+/%u/#', 'user hub', 'topic readwrite rackpower/#'],
    });
    rack12 = await startSim('sentry3', { port: 0, outlets: 8, locked: [] } as never);
    appliancePort = await freeTcpPort();
    site = await startNodeRed();
    await deploy(site, siteFlows());
    hub = await startNodeRed();
    await deploy(hub, hubFlows());
    // Until the hub reads the site's device (the deploy answers before the flows have started).
    const deadline = Date.now() + 30000;
    while ((await hub.request('POST', '/switch', { action: 'on', outlet: 'server-03' })).status !== 200) {
      if (Date.now() > deadline) throw new Error(`the hub never switched the site's outlet: ${hub.output().slice(-2000)}`);
      await new Promise((resolve) => { setTimeout(resolve, 500); });
    }
  });

  after(async function () {
    await hub?.stop();
    await site?.stop();
    await broker?.stop();
    await rack12?.stop();
  });

  it('an appliance that came up while the off waited out the site\'s minimum on time stops the off at the site', async function () {
    // server-03 was just turned on by the site: its minimum on time (3 s) holds the off there.
    const sets = rack12.sets!.length;
    const pending = call({ action: 'off', outlet: 'server-03' });
    await new Promise((resolve) => { setTimeout(resolve, 1000); });
    const appliance = net.createServer((socket) => socket.destroy()).listen(appliancePort, '127.0.0.1');
    try {
      const refused = await pending;
      assert.strictEqual(refused.status, 500, JSON.stringify(refused.body));
      assert.match(refused.body.error, /site site1 refused or failed it \(appliance-answering\): refused to off outlet 3 \(server-03\) on rack-12: the appliance answers/);
      assert.strictEqual(rack12.model.outlet(3)!.on, true);
      assert.strictEqual(rack12.sets!.length, sets, 'no SET reached the PDU');
    } finally {
      await new Promise((resolve) => appliance.close(resolve));
    }
    // The appliance gone: the same off goes through.
    const done = await call({ action: 'off', outlet: 'server-03' });
    assert.strictEqual(done.status, 200, JSON.stringify(done.body));
    assert.strictEqual(rack12.model.outlet(3)!.on, false);
  });
});
