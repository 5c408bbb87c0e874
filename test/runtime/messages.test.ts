import assert from 'assert';
import type { SimDevice } from '../../sim';
import { simDevice } from '../helpers/sim';
import { startNodeRed, type NodeRedProcess } from './node-red-process';

// The pack's shared runtime texts (nodes/shared/texts.ts) come from pdu-config's catalog by
// its name: in a real Node-RED they must read as English, not as message keys.

describe('runtime texts in a real Node-RED', function () {
  this.timeout(60000);
  let red: NodeRedProcess;
  let sim: SimDevice;

  before(async function () {
    sim = await simDevice('sentry2');
    red = await startNodeRed();
  });

  after(async function () {
    await red?.stop();
    await sim?.stop();
  });

  it('a config the device contradicts is logged once, in words, at deploy', async function () {
    const flow = [
      { id: 'tab', type: 'tab', label: 'texts' },
      { id: 'cfg', type: 'pdu-config', name: 'lab-pdu', transport: 'snmp', host: '127.0.0.1', port: String(sim.port), profile: 'sentry2',
        snmpVersion: '2c', timeout: '500', retries: '0', locked: 'core-switch', credentials: { readCommunity: 'public', writeCommunity: 'private' } },
      { id: 'outlet', type: 'pdu-outlet', z: 'tab', device: 'cfg', outlet: '1', action: 'on', x: 100, y: 100, wires: [[]] },
    ];
    const deployed = await red.request('POST', '/flows', flow, { 'Node-RED-Deployment-Type': 'full' });
    assert.ok(deployed.status < 300, deployed.text);
    const deadline = Date.now() + 10000;
    while (!/the locked outlet list is invalid/.test(red.output()) && Date.now() < deadline) await new Promise((resolve) => { setTimeout(resolve, 100); });
    await new Promise((resolve) => { setTimeout(resolve, 500); });
    const lines = red.output().split('\n').filter((line) => /\[pdu-config:lab-pdu\].*locked outlet list is invalid/.test(line));
    assert.strictEqual(lines.length, 1, red.output());
    assert.match(lines[0], /\(fix the device config and deploy\)$/);
    assert.ok(!/pdu-config\.runtime\./.test(red.output()), 'no message key in the log');
  });
});
