import assert from 'assert';
import fs from 'fs';
import path from 'path';
import type { SimDevice } from '../../sim';
import { simDevice } from '../helpers/sim';
import { until } from '../helpers/red';
import { freeUdpPort } from '../helpers/traps';
import { startNodeRed, type NodeRedProcess } from './node-red-process';

// Secrets are Node-RED credentials: they work, and they are never in the exported flow, the flow
// file or the log, whatever happens (a command that works, a wrong community, a dead device).
// Checked in a real Node-RED process that loads this checkout as an installed module.

const SECRETS = {
  readCommunity: 'Rd-S3cret-771',
  writeCommunity: 'Wr-S3cret-772',
  trapCommunity: 'Tr-S3cret-773',
  authKey: 'Auth-S3cret-774',
  privKey: 'Priv-S3cret-775',
  password: 'Pw-S3cret-776',
};

describe('credentials in a real Node-RED', function () {
  this.timeout(40000);
  let sim: SimDevice;
  let red: NodeRedProcess;

  before(async function () {
    sim = await simDevice('sentry2', { readCommunity: SECRETS.readCommunity, writeCommunity: SECRETS.writeCommunity });
    red = await startNodeRed();
  });

  after(async function () {
    await red?.stop();
    await sim?.stop();
  });

  it('loads the pack\'s nodes without errors', async function () {
    const nodes = JSON.parse((await red.request('GET', '/nodes', undefined, { Accept: 'application/json' })).text) as Array<{ id: string; err?: string; module: string }>;
    const ours = nodes.filter((set) => set.module === '@rack-power/node-red-rack-power');
    assert.ok(ours.length >= 3, 'pdu-config, pdu-outlet, pdu-status at least');
    assert.deepStrictEqual(ours.filter((set) => set.err), []);
  });

  it('uses the secrets, and never shows them in the exported flow, the files or the log', async function () {
    const config = (id: string, port: number, extra: Record<string, unknown>) => ({
      id, type: 'pdu-config', name: `device ${id}`, transport: 'snmp', host: '127.0.0.1', port: String(port), profile: 'sentry2',
      snmpVersion: '2c', timeout: '300', retries: '0', ...extra,
    });
    const flow = [
      { id: 'tab1', type: 'tab', label: 'secrets' },
      { ...config('good', sim.port, {}), credentials: { ...SECRETS, username: 'v3-user' } },
      { ...config('wrong', sim.port, {}), credentials: { readCommunity: SECRETS.password, writeCommunity: SECRETS.authKey } },
      { ...config('v3', sim.port, { snmpVersion: '3', securityLevel: 'authPriv', authProtocol: 'sha256', privProtocol: 'aes' }), credentials: { username: 'ops', authKey: SECRETS.authKey, privKey: SECRETS.privKey } },
      { id: 'go', type: 'inject', z: 'tab1', props: [{ p: 'payload' }], payload: 'off', payloadType: 'str', once: true, onceDelay: 0.1, wires: [['out', 'bad', 'v3out']] },
      { id: 'out', type: 'pdu-outlet', z: 'tab1', device: 'good', outlet: '2', action: 'msg', verify: true, wires: [['dbg']] },
      { id: 'bad', type: 'pdu-outlet', z: 'tab1', device: 'wrong', outlet: '3', action: 'msg', verify: true, wires: [['dbg']] },
      { id: 'v3out', type: 'pdu-outlet', z: 'tab1', device: 'v3', outlet: '4', action: 'msg', verify: true, wires: [['dbg']] },
      { id: 'dbg', type: 'debug', z: 'tab1', active: true, console: true, complete: 'true', targetType: 'full', wires: [] },
      { id: 'catcher', type: 'catch', z: 'tab1', scope: null, wires: [['dbg']] },
    ];
    const deployed = await red.request('POST', '/flows', flow, { 'Node-RED-Deployment-Type': 'full' });
    assert.strictEqual(deployed.status, 204, deployed.text);

    await until(() => !sim.model.outlet(2)!.on, 10000, 'outlet 2 switched off with the secret communities');
    await until(() => /no answer from 127\.0\.0\.1:\d+ after 1 try/.test(red.output()), 10000, 'the wrong-community error in the log');
    // Both failing nodes' errors reach the Catch node, and the debug node prints them to the log.
    await until(() => /source: \{ id: 'bad'/.test(red.output()) && /source: \{ id: 'v3out'/.test(red.output()), 10000, 'both errors caught');
    assert.strictEqual(sim.model.outlet(3)!.on, true);

    const exported = (await red.request('GET', '/flows')).text;
    const credentialsApi = (await red.request('GET', '/credentials/pdu-config/good')).text;
    const flowFile = fs.readFileSync(path.join(red.userDir, 'flows.json'), 'utf8');
    const credFile = fs.readFileSync(path.join(red.userDir, 'flows_cred.json'), 'utf8');
    for (const secret of Object.values(SECRETS)) {
      assert.ok(!exported.includes(secret), `${secret} in GET /flows`);
      assert.ok(!credentialsApi.includes(secret), `${secret} in GET /credentials`);
      assert.ok(!flowFile.includes(secret), `${secret} in flows.json`);
      assert.ok(!credFile.includes(secret), `${secret} unencrypted in flows_cred.json`);
      assert.ok(!red.output().includes(secret), `${secret} in the log`);
    }
    assert.match(red.output(), /audit: .* off outlet 2 \(server-02\) on device good \(127\.0\.0\.1:\d+\): ok, 1\/1 verified/);
  });

  it('pdu-trap-out: the NMS community and v3 keys are credentials, never in the flow, the files or the log when informs fail', async function () {
    const dead = await freeUdpPort();
    const event = { event: 'loadHigh', severity: 'critical', device: 'rack 1', source: 'poll', text: 'Load high' };
    const target = { host: '127.0.0.1', port: String(dead) };
    const flow = [
      { id: 'tab3', type: 'tab', label: 'trap out' },
      { id: 'go3', type: 'inject', z: 'tab3', props: [{ p: 'payload' }], payload: JSON.stringify(event), payloadType: 'json', once: true, onceDelay: 0.1, wires: [['tout2c', 'tout3']] },
      { id: 'tout2c', type: 'pdu-trap-out', z: 'tab3', mode: 'inform', retries: '0', timeout: '300', credentials: { ...target, version: '2c', community: SECRETS.trapCommunity }, wires: [['dbg3']] },
      { id: 'tout3', type: 'pdu-trap-out', z: 'tab3', mode: 'inform', retries: '0', timeout: '300', wires: [['dbg3']],
        credentials: { ...target, version: '3', username: 'nms-user', authProtocol: 'sha', authKey: SECRETS.authKey, privProtocol: 'aes', privKey: SECRETS.privKey } },
      { id: 'dbg3', type: 'debug', z: 'tab3', active: true, console: true, complete: 'true', targetType: 'full', wires: [] },
      { id: 'catcher3', type: 'catch', z: 'tab3', scope: null, wires: [['dbg3']] },
    ];
    const deployed = await red.request('POST', '/flows', flow, { 'Node-RED-Deployment-Type': 'full' });
    assert.strictEqual(deployed.status, 204, deployed.text);
    await until(() => /source: \{ id: 'tout2c'/.test(red.output()) && /source: \{ id: 'tout3'/.test(red.output()), 10000, 'both inform errors caught');
    assert.match(red.output(), /inform not acknowledged by the NMS after 1 try/);
    assert.match(red.output(), /engine ID 0x8001869f05/);
    const exported = (await red.request('GET', '/flows')).text;
    const credentialsApi = (await red.request('GET', '/credentials/pdu-trap-out/tout3')).text;
    const flowFile = fs.readFileSync(path.join(red.userDir, 'flows.json'), 'utf8');
    for (const secret of [SECRETS.trapCommunity, SECRETS.authKey, SECRETS.privKey]) {
      assert.ok(!exported.includes(secret), `${secret} in GET /flows`);
      assert.ok(!credentialsApi.includes(secret), `${secret} in GET /credentials`);
      assert.ok(!flowFile.includes(secret), `${secret} in flows.json`);
      assert.ok(!red.output().includes(secret), `${secret} in the log`);
    }
    assert.ok(!exported.includes(String(dead)) && !flowFile.includes(String(dead)), 'the NMS port is a credential too');
  });

  it('keeps the communities out of the trace log, the Catch message and the outlet list when the agent answers with another community', async function () {
    // net-snmp's own text for this names both communities, ours and the agent's.
    const agentCommunity = 'Agent-S3cret-778';
    const other = await simDevice('sentry2', { readCommunity: SECRETS.readCommunity, writeCommunity: SECRETS.writeCommunity, answerCommunity: agentCommunity });
    try {
      const flow = [
        { id: 'tab2', type: 'tab', label: 'mismatch' },
        {
          id: 'mismatch', type: 'pdu-config', name: 'device mismatch', transport: 'snmp', host: '127.0.0.1', port: String(other.port),
          profile: 'sentry2', snmpVersion: '2c', timeout: '300', retries: '0', credentials: { ...SECRETS, username: 'v3-user' },
        },
        { id: 'go2', type: 'inject', z: 'tab2', props: [{ p: 'payload' }], payload: 'off', payloadType: 'str', once: true, onceDelay: 0.1, wires: [['mis']] },
        { id: 'mis', type: 'pdu-outlet', z: 'tab2', device: 'mismatch', outlet: '2', action: 'msg', verify: true, wires: [['dbg2']] },
        { id: 'dbg2', type: 'debug', z: 'tab2', active: true, console: true, complete: 'true', targetType: 'full', wires: [] },
        { id: 'catcher2', type: 'catch', z: 'tab2', scope: null, wires: [['dbg2']] },
      ];
      const deployed = await red.request('POST', '/flows', flow, { 'Node-RED-Deployment-Type': 'full' });
      assert.strictEqual(deployed.status, 204, deployed.text);
      await until(() => /source: \{ id: 'mis'/.test(red.output()), 10000, 'the mismatch error caught and printed');
      const outlets = await red.request('GET', '/rack-power/devices/mismatch/outlets');
      for (const secret of [...Object.values(SECRETS), agentCommunity]) {
        assert.ok(!red.output().includes(secret), `${secret} in the trace log`);
        assert.ok(!outlets.text.includes(secret), `${secret} in the outlet list`);
      }
      assert.match(red.output(), /answered the GET with a different community than the one configured \(check the read community\)/);
      assert.strictEqual(outlets.status, 502, outlets.text);
      assert.match(outlets.text, /different community/);
      assert.strictEqual(other.model.outlet(2)!.on, true);
    } finally {
      await other.stop();
    }
  });
});
