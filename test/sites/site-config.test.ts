import assert from 'assert';
import { helper, loadFlow, reportedErrors } from '../helpers/red';

// pdu-site refuses a device it must not publish, saying why, before anything reaches the broker.

describe('pdu-site: devices it refuses to publish', function () {
  afterEach(async function () { await helper.unload(); });

  it('a hub\'s remote device (transport site) is refused: published again it would echo its site\'s events back to the hub', async function () {
    await loadFlow([
      { id: 't', type: 'tab' },
      { id: 'b1', type: 'mqtt-broker', broker: '127.0.0.1', port: '1', autoConnect: false, protocolVersion: '5' },
      { id: 'r12', type: 'pdu-config', name: 'site1/rack-12', transport: 'site', mqttBroker: 'b1', site: 'site1', siteDevice: 'rack-12', timeout: 3000 },
      { id: 's', type: 'pdu-site', z: 't', x: 100, y: 100, broker: 'b1', site: 'site1', interval: 0, devices: [{ device: 'r12', remoteControl: true }], wires: [] },
    ]);
    const site = helper.getNode('s') as any;
    const texts = reportedErrors().map((reported) => reported.msg.replace(/\\"/g, '"'));
    assert.ok(texts.some((text) => /site1\/rack-12 is a device of site site1 \(transport Remote site\): publish it at its own site/.test(text)), texts.join('\n'));
    assert.strictEqual(site.status.lastCall.args[0].fill, 'red');
  });
});
