import assert from 'assert';
import { spawnSync } from 'child_process';
import crypto from 'crypto';
import dgram from 'dgram';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { monitorEventLoopDelay } from 'perf_hooks';
import * as snmp from 'net-snmp';
import { collect, helper, loadFlow, sleep, until } from '../helpers/red';
import { capturePacket, freeUdpPort, netSnmp, sendRaw, v2cTrap } from '../helpers/traps';

// pdu-trap-in in a flow, fed by Net-SNMP's real senders (snmptrap, snmpinform from Debian's snmp
// package) on loopback: v1, v2c, informs and v3 authPriv, wrong credentials, garbage, two nodes on
// one port, redeploys, and a port it may not bind.

type Msg = Record<string, any>;

const TRAP_COMMUNITY = 'rack-trap';
const V3 = { user: 'trapuser', auth: 'authpass123', priv: 'aespriv123' };
const ENGINE = '0x8000000001020304';
const S2 = '1.3.6.1.4.1.1718.2';
const APC = '1.3.6.1.4.1.318';

function configNode(id: string, extra: Record<string, unknown> = {}) {
  return {
    id, type: 'pdu-config', name: 'lab-pdu', transport: 'snmp', host: '127.0.0.1', port: '16161', profile: 'sentry2',
    snmpVersion: '2c', ...extra,
  };
}

const v3Credentials = { username: V3.user, authKey: V3.auth, privKey: V3.priv };
const v3Config = { snmpVersion: '3', securityLevel: 'authPriv', authProtocol: 'sha', privProtocol: 'aes' };
const v3Args = (auth = V3.auth, priv = V3.priv, authProtocol = 'SHA') =>
  ['-v', '3', '-l', 'authPriv', '-u', V3.user, '-a', authProtocol, '-A', auth, '-x', 'AES', '-X', priv];

/** Sentry2 PortControlStatusChange for port A3 named web-03, as a Sentry2 sends it. */
const portVarbinds = (status: string) => [
  `${S2}.1.1.0`, 's', 'rack-12',
  `${S2}.1.4.1.1.65.51`, 's', 'A3',
  `${S2}.1.4.1.3.65.51`, 's', 'web-03',
  `${S2}.1.4.1.4.65.51`, 's', status,
];

describe('pdu-trap-in flow (real snmptrap / snmpinform)', function () {
  this.timeout(30000);
  let port: number;

  beforeEach(async function () {
    port = await freeUdpPort();
  });

  afterEach(async function () {
    await helper.unload();
    helper.settings({});
  });

  async function load(trapIn: Record<string, unknown> = {}, config: Record<string, unknown> = {},
    credentials: Record<string, unknown> = { trapCommunity: TRAP_COMMUNITY }) {
    await loadFlow([
      configNode('cfg', config),
      { id: 'traps', type: 'pdu-trap-in', devices: ['cfg'], port: String(port), diagnostics: true, outputs: 2, wires: [['events'], ['dropped']], ...trapIn },
      { id: 'events', type: 'helper' },
      { id: 'dropped', type: 'helper' },
      { id: 'catcher', type: 'catch', scope: null, wires: [['caught']] },
      { id: 'caught', type: 'helper' },
    ], { cfg: credentials });
    const node = helper.getNode('traps') as unknown as { on(event: string, fn: (call: { args: Msg[] }) => void): void };
    const statuses: Msg[] = [];
    node.on('call:status', (call) => statuses.push(call.args[0]));
    const result = {
      node,
      events: collect<Msg>(helper.getNode('events')),
      dropped: collect<Msg>(helper.getNode('dropped')),
      caught: collect<Msg>(helper.getNode('caught')),
      statuses,
    };
    await until(() => statuses.some((status) => /udp \d+: \d+ trap/.test(status.text)), 5000, 'listening');
    return result;
  }

  it('decodes a v1 trap (APC outlet off) with its outlet, source and named varbinds', async function () {
    const { events } = await load();
    const sent = await netSnmp('snmptrap', ['-v', '1', '-c', TRAP_COMMUNITY, `127.0.0.1:${port}`, APC, '127.0.0.1', '6', '269', '',
      `${APC}.1.1.12.3.3.1.1.1.3`, 'i', '3', `${APC}.1.1.12.3.3.1.1.2.3`, 's', 'web-03', `${APC}.2.3.3.0`, 's', 'Outlet 3 turned off.']);
    assert.strictEqual(sent.code, 0, sent.stderr);
    const [msg] = await until(() => events.length > 0 && events, 5000, 'event');
    assert.strictEqual(msg.topic, 'outletOff');
    assert.deepStrictEqual(msg.payload, {
      event: 'outletOff', severity: 'info', device: 'lab-pdu', source: 'trap', outlet: { index: 3, name: 'web-03' },
      text: 'lab-pdu: outlet 3 (web-03) turned off (Outlet 3 turned off.)',
    });
    assert.strictEqual(msg.snmp.version, '1');
    assert.strictEqual(msg.snmp.type, 'trap');
    assert.strictEqual(msg.snmp.trapOid, `${APC}.0.269`);
    assert.deepStrictEqual(msg.snmp.security, { model: 'community', matched: 'lab-pdu' });
    assert.strictEqual(msg.snmp.source.address, '127.0.0.1');
    assert.deepStrictEqual(msg.snmp.varbinds.map((v: Msg) => [v.name, v.value]), [
      ['rPDUOutletControlIndex.3', 3], ['rPDUOutletControlOutletName.3', 'web-03'], ['mtrapargsString.0', 'Outlet 3 turned off.'],
    ]);
    assert.ok(!JSON.stringify(msg).includes(TRAP_COMMUNITY), 'the community never reaches a message');
  });

  it('decodes a v2c trap (Sentry2 port A3 off)', async function () {
    const { events } = await load();
    await v2cTrap(`127.0.0.1:${port}`, TRAP_COMMUNITY, `${S2}.100.0.5`, portVarbinds('Off'));
    const [msg] = await until(() => events.length > 0 && events, 5000, 'event');
    assert.strictEqual(msg.topic, 'outletOff');
    assert.deepStrictEqual(msg.payload.outlet, { index: 3, id: '.A3', name: 'web-03' });
    assert.strictEqual(msg.snmp.version, '2c');
    assert.strictEqual(msg.snmp.trapName, 'sentry2PortControlStatusChange');
  });

  it('acknowledges a v2c inform (snmpinform exits 0) and decodes it', async function () {
    const { events } = await load();
    const sent = await netSnmp('snmpinform', ['-v', '2c', '-c', TRAP_COMMUNITY, '-t', '1', '-r', '0', `127.0.0.1:${port}`, '', '1.3.6.1.6.3.1.1.5.1']);
    assert.strictEqual(sent.code, 0, `snmpinform got no acknowledgement: ${sent.stderr}`);
    const [msg] = await until(() => events.length > 0 && events, 5000, 'event');
    assert.deepStrictEqual([msg.topic, msg.snmp.type, msg.payload.severity], ['deviceStart', 'inform', 'warning']);
  });

  it('decodes a v3 authPriv trap (SHA/AES) sent under the device\'s engine ID', async function () {
    const { events } = await load({}, { ...v3Config, engineID: ENGINE }, v3Credentials);
    const sent = await netSnmp('snmptrap', [...v3Args(), '-e', ENGINE, `127.0.0.1:${port}`, '', `${S2}.100.0.5`, ...portVarbinds('On')]);
    assert.strictEqual(sent.code, 0, sent.stderr);
    const [msg] = await until(() => events.length > 0 && events, 5000, 'event');
    assert.strictEqual(msg.topic, 'outletOn');
    assert.deepStrictEqual(msg.snmp.security, { model: 'usm', user: V3.user, level: 'authPriv', engineID: '8000000001020304', matched: 'lab-pdu' });
  });

  it('acknowledges a v3 authPriv inform (SHA-256/AES; snmpinform discovers our engine ID)', async function () {
    const { events } = await load({}, { ...v3Config, authProtocol: 'sha256' }, v3Credentials);
    const sent = await netSnmp('snmpinform', [...v3Args(V3.auth, V3.priv, 'SHA-256'), '-t', '1', '-r', '1', `127.0.0.1:${port}`, '', `${S2}.100.0.1`, `${S2}.1.1.0`, 's', 'rack-12']);
    assert.strictEqual(sent.code, 0, `snmpinform got no acknowledgement: ${sent.stderr}`);
    const [msg] = await until(() => events.length > 0 && events, 5000, 'event');
    assert.deepStrictEqual([msg.topic, msg.snmp.type, msg.snmp.version], ['deviceStart', 'inform', '3']);
  });

  it('drops and counts a wrong community: diagnostics output, status, no event', async function () {
    const { events, dropped, statuses } = await load();
    await v2cTrap(`127.0.0.1:${port}`, 'public', `${S2}.100.0.5`, portVarbinds('Off'));
    await netSnmp('snmptrap', ['-v', '1', '-c', 'guess', `127.0.0.1:${port}`, APC, '127.0.0.1', '6', '269', '']);
    await until(() => dropped.length >= 2, 5000, 'two drops');
    assert.deepStrictEqual(dropped.map((m) => [m.topic, m.payload.reason, m.payload.source.address]), [
      ['dropped', 'community', '127.0.0.1'], ['dropped', 'community', '127.0.0.1'],
    ]);
    assert.strictEqual(dropped[1].payload.counts.byReason.community, 2);
    await until(() => statuses.some((status) => /0 traps, 2 dropped/.test(status.text)), 2000, 'status with the count');
    assert.strictEqual(events.length, 0);
    assert.ok(!JSON.stringify(dropped).includes('public'), 'the wrong community is not echoed either');
  });

  it('drops a v3 trap with a wrong auth key, a wrong privacy key or an unknown user', async function () {
    const { events, dropped } = await load({}, v3Config, v3Credentials);
    const target = `127.0.0.1:${port}`;
    await netSnmp('snmptrap', [...v3Args('wrong-auth-key'), '-e', ENGINE, target, '', `${S2}.100.0.5`]);
    await netSnmp('snmptrap', [...v3Args(V3.auth, 'wrong-priv-key'), '-e', ENGINE, target, '', `${S2}.100.0.5`]);
    await netSnmp('snmptrap', ['-v', '3', '-l', 'authPriv', '-u', 'mallory', '-a', 'SHA', '-A', V3.auth, '-x', 'AES', '-X', V3.priv, '-e', ENGINE, target, '', `${S2}.100.0.5`]);
    await until(() => dropped.length >= 3, 5000, 'three drops');
    assert.deepStrictEqual(dropped.map((m) => m.payload.reason), ['auth', 'privacy', 'user']);
    assert.match(dropped[2].payload.detail, /unknown v3 user "mallory"/);
    assert.strictEqual(events.length, 0);
  });

  it('drops a v3 trap from another engine when the device\'s engine ID is set', async function () {
    const { events, dropped } = await load({}, { ...v3Config, engineID: ENGINE }, v3Credentials);
    await netSnmp('snmptrap', [...v3Args(), '-e', '0x80000000aabbccdd', `127.0.0.1:${port}`, '', `${S2}.100.0.5`]);
    await until(() => dropped.length >= 1, 5000, 'drop');
    assert.strictEqual(dropped[0].payload.reason, 'engineID');
    assert.strictEqual(events.length, 0);
  });

  it('accepts only the selected devices\' hosts, unless any source is chosen', async function () {
    const elsewhere = await load({}, { host: '192.0.2.10' });
    await v2cTrap(`127.0.0.1:${port}`, TRAP_COMMUNITY, '1.3.6.1.6.3.1.1.5.1');
    await until(() => elsewhere.dropped.length >= 1, 5000, 'drop');
    assert.strictEqual(elsewhere.dropped[0].payload.reason, 'source');
    assert.strictEqual(elsewhere.events.length, 0);
    await helper.unload();

    const any = await load({ anySource: true }, { host: '192.0.2.10' });
    await v2cTrap(`127.0.0.1:${port}`, TRAP_COMMUNITY, '1.3.6.1.6.3.1.1.5.1');
    const [msg] = await until(() => any.events.length > 0 && any.events, 5000, 'event');
    // The source is not the device's host, so the event names the address it came from.
    assert.deepStrictEqual([msg.topic, msg.payload.device, msg.snmp.security.matched], ['deviceStart', '127.0.0.1', 'lab-pdu']);
  });

  it('with any source and no device, accepts its own community', async function () {
    await loadFlow([
      { id: 'traps', type: 'pdu-trap-in', name: 'all traps', devices: [], anySource: true, port: String(port), wires: [['events']] },
      { id: 'events', type: 'helper' },
    ], { traps: { community: 'site-wide' } });
    const events = collect<Msg>(helper.getNode('events'));
    await sleep(100);
    await v2cTrap(`127.0.0.1:${port}`, 'site-wide', '1.3.6.1.6.3.1.1.5.5');
    const [msg] = await until(() => events.length > 0 && events, 5000, 'event');
    assert.deepStrictEqual([msg.topic, msg.snmp.security.matched], ['authenticationFailure', 'all traps']);
  });

  it('receives over IPv6 from ::1', async function () {
    const { events } = await load({}, { host: '::1' });
    await v2cTrap(`udp6:[::1]:${port}`, TRAP_COMMUNITY, `${S2}.100.0.5`, portVarbinds('On'));
    const [msg] = await until(() => events.length > 0 && events, 5000, 'event');
    assert.deepStrictEqual([msg.topic, msg.snmp.source.family, msg.payload.device], ['outletOn', 'IPv6', 'lab-pdu']);
  });

  it('survives garbage: random, truncated and mutated packets are counted, valid traps between them arrive', async function () {
    const { events, dropped, node } = await load();
    const valid = await capturePacket(['-v', '2c', '-c', TRAP_COMMUNITY, '{target}', '', `${S2}.100.0.5`, ...portVarbinds('Off')]);
    const random = Array.from({ length: 40 }, (_, i) => crypto.randomBytes(1 + ((i * 37) % 300)));
    const truncated = Array.from({ length: valid.length - 1 }, (_, i) => valid.subarray(0, i + 1));
    const mutated = Array.from({ length: 60 }, () => {
      const copy = Buffer.from(valid);
      for (let flips = 0; flips < 3; flips += 1) copy[crypto.randomInt(copy.length)] = crypto.randomInt(256);
      return copy;
    });
    const garbage = [...random, ...truncated, ...mutated];
    // A valid trap after every 20 bad packets.
    const batches: Buffer[][] = [];
    for (let i = 0; i < garbage.length; i += 20) batches.push([...garbage.slice(i, i + 20), valid]);
    for (const batch of batches) await sendRaw(port, batch);
    await until(() => events.filter((m) => m.topic === 'outletOff').length >= batches.length, 8000, 'every valid trap');
    // One more drop after the diagnostics window, so its message carries the final counts.
    await sleep(1100);
    await v2cTrap(`127.0.0.1:${port}`, 'not-the-community', '1.3.6.1.6.3.1.1.5.1');
    await until(() => dropped.some((m) => m.payload.detail === 'v2c community not accepted'), 5000, 'the last drop');
    const counts = dropped.at(-1)!.payload.counts;
    // Every packet is accounted for: delivered or dropped with a reason. Random bytes and every
    // truncation are malformed; a mutation may still be SNMP (then dropped or decoded).
    assert.strictEqual(counts.received + counts.dropped, garbage.length + batches.length + 1, JSON.stringify(counts));
    assert.ok(counts.byReason.malformed >= random.length + truncated.length, JSON.stringify(counts));
    // Still listening after all that.
    await v2cTrap(`127.0.0.1:${port}`, TRAP_COMMUNITY, '1.3.6.1.6.3.1.1.5.1');
    await until(() => events.some((m) => m.topic === 'deviceStart'), 5000, 'a trap after the garbage');
    assert.ok(node);
  });

  it('drops a 60 KB trap with a 30,000-arc OID as malformed without stalling the event loop (the right community)', async function () {
    const { events, dropped } = await load();
    // net-snmp's encoder writes what snmptrap refuses to: an OID far beyond SNMP's 128 arcs.
    // Arcs of 200 take two bytes each: a 60 KB packet.
    const hostile = `${S2}.1.4.1.3.${Array.from({ length: 30000 }, () => '200').join('.')}`;
    const session = snmp.createSession('127.0.0.1', TRAP_COMMUNITY, { port, trapPort: port, version: snmp.Version2c });
    const lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    try {
      await new Promise<void>((resolve, reject) => session.trap(`${S2}.100.0.5`, [{ oid: hostile, type: snmp.ObjectType.OctetString, value: 'x' }],
        (error: Error | null) => (error ? reject(error) : resolve())));
      const [drop] = await until(() => dropped.length > 0 && dropped, 40000, 'the drop');
      lag.disable();
      assert.ok(lag.max / 1e6 < 200, `event loop stalled ${Math.round(lag.max / 1e6)} ms`);
      assert.deepStrictEqual([drop.payload.reason, drop.payload.counts.byReason.malformed], ['malformed', 1]);
      assert.match(drop.payload.detail, /OID longer than 128 arcs/);
      assert.strictEqual(events.length, 0);
    } finally {
      lag.disable();
      session.close();
    }
  });

  it('names traps the tables do not know from a MIB folder; still unknown ones keep their OID and varbinds', async function () {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rp-trap-mibs-'));
    fs.writeFileSync(path.join(dir, 'GADGET-MIB'), `GADGET-MIB DEFINITIONS ::= BEGIN
IMPORTS NOTIFICATION-TYPE, OBJECT-TYPE, enterprises FROM SNMPv2-SMI DisplayString FROM SNMPv2-TC;
gadgets OBJECT IDENTIFIER ::= { enterprises 99998 }
gadgetName OBJECT-TYPE SYNTAX DisplayString MAX-ACCESS read-only STATUS current DESCRIPTION "n" ::= { gadgets 1 }
gadgetJammed NOTIFICATION-TYPE OBJECTS { gadgetName } STATUS current DESCRIPTION "j" ::= { gadgets 0 1 }
END
`);
    try {
      const { events } = await load({ mibPath: dir });
      await sleep(300); // the folder loads after the flow has started
      await v2cTrap(`127.0.0.1:${port}`, TRAP_COMMUNITY, '1.3.6.1.4.1.99998.0.1', ['1.3.6.1.4.1.99998.1.0', 's', 'press-2']);
      await v2cTrap(`127.0.0.1:${port}`, TRAP_COMMUNITY, '1.3.6.1.4.1.99997.0.4', ['1.3.6.1.4.1.99997.2.0', 'i', '12']);
      await until(() => events.length === 2, 5000, 'two events');
      assert.deepStrictEqual(events[0].payload, {
        event: 'gadgetJammed', severity: 'warning', device: 'lab-pdu', source: 'trap', text: 'lab-pdu: trap gadgetJammed',
        raw: [{ oid: '1.3.6.1.4.1.99998.1.0', name: 'gadgetName.0', type: 'OctetString', value: 'press-2' }],
      });
      assert.strictEqual(events[1].topic, '1.3.6.1.4.1.99997.0.4');
      assert.deepStrictEqual(events[1].payload.raw, [{ oid: '1.3.6.1.4.1.99997.2.0', type: 'Integer', value: 12 }]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('two trap-in nodes on one port both receive every trap', async function () {
    await loadFlow([
      configNode('cfg'),
      { id: 'a', type: 'pdu-trap-in', devices: ['cfg'], port: String(port), wires: [['ea']] },
      { id: 'b', type: 'pdu-trap-in', devices: ['cfg'], port: String(port), wires: [['eb']] },
      { id: 'ea', type: 'helper' },
      { id: 'eb', type: 'helper' },
    ], { cfg: { trapCommunity: TRAP_COMMUNITY } });
    const a = collect<Msg>(helper.getNode('ea'));
    const b = collect<Msg>(helper.getNode('eb'));
    await sleep(100);
    await v2cTrap(`127.0.0.1:${port}`, TRAP_COMMUNITY, `${S2}.100.0.5`, portVarbinds('Off'));
    await v2cTrap(`127.0.0.1:${port}`, TRAP_COMMUNITY, `${S2}.100.0.5`, portVarbinds('On'));
    await until(() => a.length === 2 && b.length === 2, 5000, 'both nodes, both traps');
    assert.deepStrictEqual(a.map((m) => m.topic), ['outletOff', 'outletOn']);
    assert.deepStrictEqual(b.map((m) => m.topic), ['outletOff', 'outletOn']);
  });

  it('releases the port when the flow stops, and takes it again on the next deploy', async function () {
    await load();
    await helper.unload();
    // Nothing holds the port now: a plain socket can bind it.
    const probe = dgram.createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      probe.once('error', reject);
      probe.bind(port, '0.0.0.0', () => resolve());
    });
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const again = await load();
    await v2cTrap(`127.0.0.1:${port}`, TRAP_COMMUNITY, '1.3.6.1.6.3.1.1.5.1');
    await until(() => again.events.length > 0, 5000, 'event after redeploy');
  });

  it('takes its port from pduTrapInPort in settings.js when none is set', async function () {
    helper.settings({ pduTrapInPort: port } as never);
    const { events } = await load({ port: '' });
    await v2cTrap(`127.0.0.1:${port}`, TRAP_COMMUNITY, '1.3.6.1.6.3.1.1.5.1');
    await until(() => events.length > 0, 5000, 'event on the settings port');
  });

  it('reports a port taken by another program as a Catch-visible error and a red status', async function () {
    const squatter = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => squatter.bind(port, '0.0.0.0', () => resolve()));
    try {
      await loadFlow([
        configNode('cfg'),
        { id: 'traps', type: 'pdu-trap-in', devices: ['cfg'], port: String(port), wires: [[]] },
        { id: 'catcher', type: 'catch', scope: null, wires: [['caught']] },
        { id: 'caught', type: 'helper' },
      ], { cfg: { trapCommunity: TRAP_COMMUNITY } });
      const caught = collect<Msg>(helper.getNode('caught'));
      const [error] = await until(() => caught.length > 0 && caught, 5000, 'caught error');
      assert.match(error.error.message, new RegExp(`udp port ${port} is already in use by another program`));
    } finally {
      squatter.close();
    }
  });

  it('refuses to start without a device or credentials, with an error a Catch node sees', async function () {
    await loadFlow([
      { id: 'traps', type: 'pdu-trap-in', devices: [], port: String(port), wires: [[]] },
      { id: 'catcher', type: 'catch', scope: null, wires: [['caught']] },
      { id: 'caught', type: 'helper' },
    ]);
    const caught = collect<Msg>(helper.getNode('caught'));
    const [error] = await until(() => caught.length > 0 && caught, 5000, 'caught error');
    // The test helper returns message keys instead of texts.
    assert.match(error.error.message, /^no device selected: choose the pdu-config nodes/);
  });

  it('gives port 162 without privileges a clear error saying how to fix it (EACCES, as an unprivileged user)', function () {
    const script = path.join(__dirname, '../helpers/eacces-child.js');
    const asRoot = process.getuid?.() === 0;
    // As root the child stays root but loses the one privilege a low port needs: becoming another
    // user (nobody) would leave it unable to read a checkout in a private folder (under /root, 0700).
    const command = asRoot ? 'setpriv' : process.execPath;
    const args = asRoot
      ? ['--bounding-set=-net_bind_service', '--inh-caps=-net_bind_service', process.execPath, script, '162']
      : [script, '162'];
    const run = spawnSync(command, args, { encoding: 'utf8', timeout: 20000 });
    if (run.error) this.skip();
    const last = run.stdout.trim().split('\n').pop();
    assert.ok(last, `the child printed nothing (exit ${run.status}): ${run.stderr.slice(0, 500)}`);
    const out = JSON.parse(last);
    if (out.bound) this.skip(); // this machine lets everyone bind low ports (ip_unprivileged_port_start)
    assert.match(out.status, /^udp 162: no permission \(EACCES\)/);
    assert.match(out.error, /no permission to listen on udp port 162 \(EACCES\): ports below 1024 need privileges/);
    assert.match(out.error, /REDIRECT --to-ports 1162/);
    assert.match(out.error, /setcap cap_net_bind_service=\+ep/);
  });
});
