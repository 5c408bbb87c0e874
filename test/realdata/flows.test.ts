import assert from 'assert';
import { collect, helper, loadFlow, until } from '../helpers/red';
import { assertNoSet, recordings } from './recordings';

type Msg = Record<string, any>;

// The nodes on real devices without switchable outlets: what a user sees in a flow. Expected
// values are read by hand from the quoted snmprec lines.
describe('real devices over SNMP: metered-only devices in a flow (snmpsim recordings)', function () {
  const corpus = recordings(['sentry3_3phase', 'apc_ap8853']);

  afterEach(async () => {
    await helper.unload();
  });

  async function load(recording: string) {
    const sim = corpus.sim();
    await loadFlow([
      {
        id: 'cfg', type: 'pdu-config', name: recording, transport: 'snmp', host: '127.0.0.1', port: String(sim.port),
        profile: 'auto', snmpVersion: '2c', timeout: '2000', retries: '1',
      },
      { id: 'poll', type: 'pdu-status', device: 'cfg', interval: 0, onlyChanges: false, thresholds: [], repeat: 60, wires: [['snap'], []] },
      { id: 'snap', type: 'helper' },
      { id: 'out', type: 'pdu-outlet', device: 'cfg', outlet: '1', action: 'off', wires: [['result']] },
      { id: 'result', type: 'helper' },
      { id: 'catcher', type: 'catch', scope: null, wires: [['caught']] },
      { id: 'caught', type: 'helper' },
    ], { cfg: { readCommunity: sim.community(recording), writeCommunity: sim.community(recording) } });
    const statuses: string[] = [];
    (helper.getNode('poll') as any).on('call:status', (call: { args: Array<{ text?: string }> }) => {
      if (call.args[0]?.text) statuses.push(call.args[0].text);
    });
    return {
      poll: helper.getNode('poll'),
      out: helper.getNode('out'),
      snaps: collect<Msg>(helper.getNode('snap')),
      results: collect<Msg>(helper.getNode('result')),
      caught: collect<Msg>(helper.getNode('caught')),
      statuses,
    };
  }

  it('sentry3_3phase: pdu-status gives the infeeds and says there are no outlets; pdu-outlet says it cannot switch', async function () {
    const { poll, out, snaps, results, caught, statuses } = await load('sentry3_3phase');
    poll.receive({ payload: 'now' });
    const [snap] = await until(() => snaps.length > 0 && snaps, 8000, 'snapshot');
    assert.deepStrictEqual(snap.payload.outlets, []);
    // infeedName 1.3.6.1.4.1.1718.3.2.2.1.3.1.1|4|TowerA_InfeedA, infeedLoadValue .7.1.1|2|111 -> 1.11 A;
    // 1.3.6.1.4.1.1718.3.2.2.1.3.1.4|4|TowerA_Neutral, .7.1.4|2|212 -> 2.12 A
    assert.deepStrictEqual(snap.payload.inputs.map((input: Msg) => [input.name, input.current]),
      [['TowerA_InfeedA', 1.11], ['TowerA_InfeedB', 0.4], ['TowerA_InfeedC', 0.59], ['TowerA_Neutral', 2.12]]);
    await until(() => statuses.includes('no outlets, 4 inputs'), 3000, `status "no outlets, 4 inputs" (saw ${statuses.join(' | ')})`);
    out.receive({ payload: Date.now() });
    const [error] = await until(() => caught.length > 0 && caught, 8000, 'error');
    // 1.3.6.1.2.1.1.1.0|4|Sentry Smart CDU
    assert.match(error.error.message, /sentry3_3phase \(Sentry Smart\/Switched CDU \(Sentry3\)\) cannot switch outlets/);
    assert.strictEqual(results.length, 0);
    assertNoSet(corpus.sim());
  });

  it('apc_ap8853 with the profile chosen by hand: a metered snapshot; a profile that does not fit is named as such', async function () {
    const { device } = corpus.open('apc_ap8853', 'apc-rpdu2');
    const snapshot = await device.read();
    assert.deepStrictEqual(snapshot.outlets, []);
    // rPDU2PhaseStatusCurrent 1.3.6.1.4.1.318.1.1.26.6.3.1.5.1|2|49 -> 4.9 A
    assert.strictEqual(snapshot.inputs[0].current, 4.9);
    // Nothing of Sentry3-MIB (1718.3) is in an APC recording.
    const wrong = corpus.open('apc_ap8853', 'sentry3').device;
    await assert.rejects(wrong.describe(), /nothing of the "sentry3" profile answers at 127\.0\.0\.1:\d+ .*is "sentry3" the right profile\?/);
  });
});
