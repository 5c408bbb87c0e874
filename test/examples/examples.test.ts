import assert from 'assert';
import fs from 'fs';
import { packNodes } from '../helpers/red';
import { EXAMPLES, readExample } from '../helpers/examples';
import { exampleFlows } from '../../sim/demo/userdir';

// What every importable example must be: a comment first, known node types only, config nodes
// aimed at the simulators, and no secret anywhere in the JSON.

const SECRET_KEYS = ['credentials', 'readCommunity', 'writeCommunity', 'trapCommunity', 'password', 'authKey', 'privKey'];

describe('examples/', function () {
  const files = fs.readdirSync(EXAMPLES).filter((file) => file.endsWith('.json'));

  it('has an example for every node type of the pack', function () {
    const pkg = JSON.parse(fs.readFileSync(`${EXAMPLES}/../package.json`, 'utf8'));
    const used = new Set(files.flatMap((file) => readExample(file).map((node) => node.type)));
    for (const type of Object.keys(pkg['node-red'].nodes)) assert.ok(used.has(type), `no example uses ${type}`);
    assert.strictEqual(packNodes.length, Object.keys(pkg['node-red'].nodes).length, 'every node module is loaded by the tests');
  });

  /** What makes two configs the same device: where it is and which of its units. */
  const deviceOf = (config: Record<string, any>): string => [config.transport, config.host, config.port, config.serialPath,
    config.nutUps].join('|');

  it('shares one config per device: the same id, and the same settings, in every example', function () {
    const byId = new Map<string, string>();
    const idOfDevice = new Map<string, string>();
    for (const file of files) {
      for (const config of readExample(file).filter((node) => node.type === 'pdu-config')) {
        const seen = byId.get(config.id);
        if (seen) assert.strictEqual(JSON.stringify(config), seen, `${file}: config ${config.id} differs from the other examples'`);
        byId.set(config.id, JSON.stringify(config));
        const device = deviceOf(config);
        assert.strictEqual(idOfDevice.get(device) ?? config.id, config.id, `${file}: ${device} has two config ids`);
        idOfDevice.set(device, config.id);
      }
    }
  });

  it('the demo (npm start) deploys one config per simulated device', function () {
    const { flows } = exampleFlows();
    const configs = (flows as Array<Record<string, any>>).filter((node) => node.type === 'pdu-config');
    assert.strictEqual(new Set(configs.map((node) => node.id)).size, configs.length, 'no config id twice');
    assert.strictEqual(new Set(configs.map(deviceOf)).size, configs.length, 'no device twice');
  });

  for (const file of files) {
    describe(file, function () {
      const flow = readExample(file);

      it('starts with a comment node that explains it', function () {
        assert.strictEqual(flow[0].type, 'comment');
        assert.ok(String(flow[0].info ?? '').length > 40, 'the comment has an explanation');
      });

      it('holds no credentials', function () {
        const text = JSON.stringify(flow);
        for (const key of SECRET_KEYS) assert.ok(!text.includes(`"${key}"`), `${key} in ${file}`);
      });

      it('has unique ids and wires that lead to nodes of the flow', function () {
        const ids = new Set(flow.map((node) => node.id));
        assert.strictEqual(ids.size, flow.length);
        for (const node of flow) {
          for (const output of node.wires ?? []) for (const target of output) assert.ok(ids.has(target), `${node.id} -> ${target}`);
          const brokers = ['pdu-site', 'pdu-fleet'].includes(node.type) ? ['broker'] : node.transport === 'site' ? ['mqttBroker'] : [];
          for (const key of ['device', 'devices', ...brokers]) {
            // A list of ids, or of entries that name their config (pdu-site's devices).
            for (const item of [].concat(node[key] ?? []) as Array<string | { device: string }>) {
              const id = typeof item === 'object' ? item.device : item;
              assert.ok(ids.has(id), `${node.id}.${key} -> ${id}`);
            }
          }
        }
      });

      it('shows the error itself (msg.error), not the payload, where a Catch node reports', function () {
        const caught = new Set(flow.filter((node) => node.type === 'catch').flatMap((node) => (node.wires ?? []).flat()));
        for (const node of flow.filter((candidate) => candidate.type === 'debug' && caught.has(candidate.id))) {
          assert.ok(node.targetType === 'msg' && /^error\b/.test(node.complete), `${node.id} "${node.name}" shows msg.${node.complete}`);
        }
      });

      it('points its device configs at 127.0.0.1', function () {
        for (const node of flow.filter((candidate) => candidate.type === 'pdu-config')) {
          // A remote site's device is reached through its broker config: that one points here.
          const host = node.transport === 'site' ? flow.find((broker) => broker.id === node.mqttBroker)?.broker : node.host;
          assert.ok(node.transport === 'serial' || host === '127.0.0.1', `${node.id} host ${host}`);
        }
      });
    });
  }
});
