import assert from 'assert';
import { execFileSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { startSim, type SimDevice } from '../../sim/index';
import { startMosquitto, type Mosquitto } from '../peers/mosquitto';
import { startNodeRed, type NodeRedProcess } from '../runtime/node-red-process';
import { MqttWatcher } from '../helpers/mqtt-watcher';

// A site on a broker that wants client certificates (Mosquitto, require_certificate): with a
// certificate of the broker's CA the site comes online; with one of another CA it is refused,
// and the site says so in the Rack Power Manager's words: "certificates do not match".

/** A CA, a certificate signed by it for `name` (127.0.0.1 for the server), in `dir`. */
function issue(dir: string, ca: string, name: string, server = false): void {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
  const caKey = path.join(dir, `${ca}.key`);
  const caCert = path.join(dir, `${ca}.crt`);
  if (!fs.existsSync(caCert)) {
    openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', `/CN=${ca}`, '-keyout', caKey, '-out', caCert);
  }
  const key = path.join(dir, `${name}.key`);
  const csr = path.join(dir, `${name}.csr`);
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${name}`, '-keyout', key, '-out', csr);
  const ext = path.join(dir, `${name}.ext`);
  fs.writeFileSync(ext, server ? 'subjectAltName=IP:127.0.0.1\n' : 'extendedKeyUsage=clientAuth\n');
  openssl('x509', '-req', '-in', csr, '-CA', caCert, '-CAkey', caKey, '-CAcreateserial', '-days', '2', '-extfile', ext, '-out', path.join(dir, `${name}.crt`));
}

describe('many sites over TLS with client certificates (real Mosquitto)', function () {
  this.timeout(120000);
  let dir: string;
  let broker: Mosquitto;
  let sim: SimDevice;
  let watcher: MqttWatcher;
  const sites: NodeRedProcess[] = [];

  const siteFlow = (certName: string) => [
    { id: 'tab', type: 'tab', label: 'site' },
    { id: 'tls', type: 'tls-config', name: '', cert: path.join(dir, `${certName}.crt`), key: path.join(dir, `${certName}.key`),
      ca: path.join(dir, 'ca.crt'), certname: '', keyname: '', caname: '', servername: '', verifyservercert: true },
    {
      id: 'brk', type: 'mqtt-broker', name: 'site broker', broker: '127.0.0.1', port: String(broker.port), clientid: '', usetls: true, tls: 'tls',
      autoConnect: true, protocolVersion: '5', keepalive: '5', cleansession: true, credentials: { user: 'site1', password: 'site1pass' },
    },
    { id: 'cfg', type: 'pdu-config', name: 'rack-12', transport: 'snmp', host: '127.0.0.1', port: String(sim.port), profile: 'sentry3',
      snmpVersion: '2c', timeout: 500, retries: 1, locked: '', groups: [], extra: {}, credentials: { readCommunity: 'public', writeCommunity: 'private' } },
    { id: 'site', type: 'pdu-site', z: 'tab', x: 100, y: 100, broker: 'brk', site: 'site1', interval: 5, wires: [],
      devices: [{ device: 'cfg', topic: '', remoteControl: false }] },
  ];

  const startSite = async (certName: string): Promise<NodeRedProcess> => {
    const red = await startNodeRed();
    sites.push(red);
    const deployed = await red.request('POST', '/flows', siteFlow(certName), { 'Node-RED-Deployment-Type': 'full' });
    assert.strictEqual(deployed.status, 204, deployed.text);
    return red;
  };

  before(async function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rack-power-tls-'));
    fs.chmodSync(dir, 0o755);
    issue(dir, 'ca', 'broker', true);
    issue(dir, 'ca', 'site1');
    issue(dir, 'ca', 'hub');
    issue(dir, 'rogue-ca', 'rogue');
    // Mosquitto drops to its own user when run as root: it must read its key (a test key).
    for (const file of fs.readdirSync(dir)) fs.chmodSync(path.join(dir, file), 0o644);
    broker = await startMosquitto({
      users: { site1: 'site1pass', hub: 'hubpass' },
      acl: ['pattern readwrite rackpower/+/%u/#', 'user hub', 'topic readwrite rackpower/#'],
      tls: { cafile: path.join(dir, 'ca.crt'), certfile: path.join(dir, 'broker.crt'), keyfile: path.join(dir, 'broker.key'), requireCertificate: true },
    });
    sim = await startSim('sentry3', { port: 0, outlets: 4, locked: [] });
    const read = (name: string) => fs.readFileSync(path.join(dir, name));
    watcher = await MqttWatcher.connect(broker.url, {
      username: 'hub', password: 'hubpass', protocolVersion: 5, ca: read('ca.crt'), cert: read('hub.crt'), key: read('hub.key'), rejectUnauthorized: true,
    });
  });

  after(async function () {
    for (const red of sites) await red.stop();
    watcher?.client.end(true);
    await broker?.stop();
    await sim?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a site with a certificate of the broker\'s CA comes online', async function () {
    await startSite('site1');
    await watcher.next((m) => m.topic === 'rackpower/v1/site1/status' && m.payload.state === 'online', 20000);
    await watcher.next((m) => m.topic === 'rackpower/v1/site1/rack-12/description', 10000);
  });

  it('a site with another CA\'s certificate is refused: "certificates do not match", and nothing of it reaches the hub', async function () {
    await sites.pop()?.stop();
    const from = watcher.messages.length;
    const rogue = await startSite('rogue');
    const deadline = Date.now() + 20000;
    while (!/certificates do not match/.test(rogue.output()) && Date.now() < deadline) await new Promise((resolve) => { setTimeout(resolve, 200); });
    assert.match(rogue.output(), /\[error\] \[pdu-site:site\] site site1: certificates do not match: the broker refused this client's certificate \(ERR_SSL_TLSV1_ALERT_UNKNOWN_CA: tlsv1 alert unknown ca\)/);
    assert.ok(!watcher.messages.slice(from).some((m) => m.topic.startsWith('rackpower/v1/site1/') && m.payload?.state === 'online'),
      'the refused site never came online');
  });
});
