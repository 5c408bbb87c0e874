import assert from 'assert';
import { collect, helper, loadFlow, reportedErrors, sleep, until } from '../helpers/red';
import { freeUdpPort } from '../helpers/traps';
import { startSnmptrapd, type RunningTrapd } from '../peers/snmptrapd';
import { simDevice, snmpConfig } from '../helpers/sim';

type Msg = Record<string, any>;

// pdu-trap-out in a flow: an inject's event reaches the real snmptrapd decoded by RACK-POWER-MIB
// names; every message ends once (output or error); secrets never reach a status, error or the log.

const COMMUNITY = 'fl0w-community';
const USER = { name: 'flowuser', auth: { protocol: 'SHA', key: 'flowAuthKey-1' }, priv: { protocol: 'AES', key: 'flowPrivKey-2' }, engineID: '8001869f05' + '11'.repeat(8) };
const SECRETS = [COMMUNITY, USER.auth.key, USER.priv.key];

const EVENT = {
  event: 'outletOff', severity: 'warning', device: 'rack-7 pdu', source: 'command',
  outlet: { index: 4, id: 'A4', name: 'db-02' }, text: 'Outlet 4 (db-02) left off',
};

function flow(mode: 'trap' | 'inform', extra: Record<string, unknown> = {}): Array<Record<string, any>> {
  return [
    { id: 'to.tab', type: 'tab' },
    { id: 'to.inject', type: 'inject', z: 'to.tab', payload: JSON.stringify(EVENT), payloadType: 'json', topic: 'outletOff', wires: [['to.out']] },
    { id: 'to.out', type: 'pdu-trap-out', z: 'to.tab', mode, retries: '1', timeout: '300', ...extra, wires: [['to.sent']] },
    { id: 'to.sent', type: 'helper', z: 'to.tab' },
    { id: 'to.catch', type: 'catch', z: 'to.tab', scope: null, wires: [['to.errors']] },
    { id: 'to.errors', type: 'helper', z: 'to.tab' },
    { id: 'to.status', type: 'status', z: 'to.tab', scope: null, wires: [['to.statuses']] },
    { id: 'to.statuses', type: 'helper', z: 'to.tab' },
  ];
}

/** Everything a user can see: statuses, caught errors, the log. */
function visible(statuses: Msg[], errors: Msg[]): string {
  const log = helper.log().args.map((args: unknown[]) => JSON.stringify(args[0], (_key, value) => (value instanceof Error ? `${value.message} ${value.stack}` : value)));
  return [...statuses.map((msg) => JSON.stringify(msg.status)), ...errors.map((msg) => JSON.stringify(msg.error)), ...log].join('\n');
}

describe('pdu-trap-out node', function () {
  this.timeout(30000);
  let trapd: RunningTrapd;

  before(async function () {
    trapd = await startSnmptrapd({ community: COMMUNITY, users: [USER] });
  });
  afterEach(async function () {
    await helper.unload();
  });
  after(async function () {
    await trapd?.stop();
  });

  it('an injected event goes out as a v2c inform, snmptrapd decodes it, and the message goes on once acknowledged', async function () {
    await loadFlow(flow('inform'), { 'to.out': { host: '127.0.0.1', port: String(trapd.port), version: '2c', community: COMMUNITY } });
    const sent = collect<Msg>(helper.getNode('to.sent'));
    const errors = collect<Msg>(helper.getNode('to.errors'));
    const statuses = collect<Msg>(helper.getNode('to.statuses'));
    const before = trapd.notifications().length;
    helper.getNode('to.inject').receive({});
    await until(() => sent.length === 1, 5000, 'the message after the acknowledgement');
    const seen = trapd.notifications().slice(before).join('');
    assert.match(seen, /INFORM, SNMP v2c/);
    assert.match(seen, /snmpTrapOID.0 = OID: RACK-POWER-MIB::rpEventWarning/);
    assert.match(seen, /rpEventSource.0 = INTEGER: command\(4\)/);
    assert.match(seen, /rpEventOutletName.0 = STRING: db-02/);
    assert.strictEqual(sent[0].payload.event, 'outletOff');
    await sleep(100);
    assert.deepStrictEqual(errors, []);
    assert.ok(statuses.some((msg) => msg.status.text === '1 acknowledged'), JSON.stringify(statuses));
    for (const secret of SECRETS) assert.ok(!visible(statuses, errors).includes(secret));
  });

  it('pdu-status\'s load alarm from the Sentry2 simulator reaches snmptrapd with its outlet and reading', async function () {
    const sim = await simDevice('sentry2');
    try {
      const config = snmpConfig('to.cfg', sim);
      await loadFlow([
        config.node,
        { id: 'to.poll', type: 'pdu-status', device: 'to.cfg', interval: 0, onlyChanges: false, thresholds: [{ metric: 'outletCurrent', high: '1.25' }], repeat: 60, wires: [[], ['to.out']] },
        { id: 'to.out', type: 'pdu-trap-out', mode: 'inform', wires: [['to.sent']] },
        { id: 'to.sent', type: 'helper' },
      ], { 'to.cfg': config.credentials, 'to.out': { host: '127.0.0.1', port: String(trapd.port), version: '2c', community: COMMUNITY } });
      const sent = collect<Msg>(helper.getNode('to.sent'));
      const before = trapd.notifications().length;
      helper.getNode('to.poll').receive({ payload: 1 });
      await until(() => sent.length >= 1, 5000, 'the acknowledged load alarm');
      assert.strictEqual(sent[0].payload.event, 'loadHigh');
      const seen = trapd.notifications().slice(before).join('');
      assert.match(seen, /rpEventName.0 = STRING: loadHigh/);
      assert.match(seen, new RegExp(`snmpTrapOID.0 = OID: RACK-POWER-MIB::rpEvent${sent[0].payload.severity === 'critical' ? 'Critical' : 'Warning'}`));
      assert.match(seen, /rpEventSource.0 = INTEGER: poll\(2\)/);
      assert.match(seen, /rpEventOutletIndex.0 = INTEGER: 6/);
      assert.match(seen, /rpEventValue.0 = STRING: 1.3/);
      assert.match(seen, /rpEventThreshold.0 = STRING: 1.25/);
    } finally {
      await helper.unload();
      await sim.stop();
    }
  });

  it('a v3 authPriv trap with the node\'s engine ID reaches snmptrapd', async function () {
    await loadFlow(flow('trap', { engineID: USER.engineID }), { 'to.out': {
      host: '127.0.0.1', port: String(trapd.port), version: '3', username: USER.name,
      authProtocol: 'sha', authKey: USER.auth.key, privProtocol: 'aes', privKey: USER.priv.key,
    } });
    const sent = collect<Msg>(helper.getNode('to.sent'));
    helper.getNode('to.inject').receive({});
    await until(() => sent.length === 1, 5000, 'the message after the trap');
    await until(() => trapd.notifications().find((text) => /TRAP2, SNMP v3, user flowuser/.test(text) && /db-02/.test(text)), 5000, 'the v3 trap');
  });

  it('bad input ends with an error naming the field, one outcome per message, nothing sent', async function () {
    await loadFlow(flow('trap'), { 'to.out': { host: '127.0.0.1', port: String(trapd.port), version: '2c', community: COMMUNITY } });
    const sent = collect<Msg>(helper.getNode('to.sent'));
    const errors = collect<Msg>(helper.getNode('to.errors'));
    const before = trapd.notifications().length;
    const out = helper.getNode('to.out');
    out.receive({ payload: 'outletOff' });
    out.receive({ payload: { ...EVENT, severity: 'major' } });
    await until(() => errors.length === 2, 3000, 'two errors');
    await sleep(300);
    assert.strictEqual(sent.length, 0);
    assert.strictEqual(errors.length, 2);
    assert.match(errors[0].error.message, /not an event: msg.payload is the string "outletOff"/);
    assert.match(errors[1].error.message, /severity is the string "major"/);
    assert.strictEqual(trapd.notifications().length, before);
  });

  it('an inform nobody acknowledges: an error after the retries, no secret anywhere', async function () {
    const dead = await freeUdpPort();
    await loadFlow(flow('inform'), { 'to.out': { host: '127.0.0.1', port: String(dead), version: '2c', community: COMMUNITY } });
    const errors = collect<Msg>(helper.getNode('to.errors'));
    const statuses = collect<Msg>(helper.getNode('to.statuses'));
    helper.getNode('to.inject').receive({});
    await until(() => errors.length === 1, 5000, 'the error');
    assert.match(errors[0].error.message, /inform not acknowledged by the NMS after 2 tries \(300 ms each\)/);
    assert.ok(statuses.some((msg) => msg.status.fill === 'red' && /inform not acknowledged/.test(msg.status.text)));
    for (const secret of SECRETS) assert.ok(!visible(statuses, errors).includes(secret), secret);
  });

  it('without credentials: no error at deploy, and each event ends with an error saying what is missing', async function () {
    await loadFlow(flow('trap'));
    const errors = collect<Msg>(helper.getNode('to.errors'));
    await sleep(200);
    assert.deepStrictEqual([...errors, ...reportedErrors()], [], 'no error at deploy');
    helper.getNode('to.inject').receive({});
    await until(() => errors.length === 1, 3000, 'the error');
    assert.match(errors[0].error.message, /event not sent: no NMS host set/);
  });
});
