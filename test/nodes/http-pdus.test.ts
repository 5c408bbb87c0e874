import assert from 'assert';
import { startDliSim, startGudeSim, startNetioSim, type HttpSimDevice } from '../../sim/http/index';
import { collect, helper, loadFlow, until } from '../helpers/red';

type Msg = Record<string, any>;

// pdu-outlet and pdu-status over a pdu-config with transport http, one flow per API, against
// its simulator; and a wrong password that never shows in statuses, errors or the log.

const PASSWORD = 'Http-Pw-40417';

const APIS: Array<{ profile: string; start: (options: object) => Promise<HttpSimDevice> }> = [
  { profile: 'dli-rest', start: startDliSim },
  { profile: 'netio-json', start: startNetioSim },
  { profile: 'gude-http', start: startGudeSim },
];

for (const { profile, start } of APIS) {
  describe(`pdu-outlet and pdu-status over HTTP (${profile} simulator)`, function () {
    this.timeout(20000);
    let sim: HttpSimDevice;

    beforeEach(async function () {
      sim = await start({ outlets: [{ name: 'web-01' }, { name: 'web-02' }, { name: 'db-01' }], users: { admin: PASSWORD } });
    });

    afterEach(async function () {
      await helper.unload();
      await sim?.stop();
    });

    async function load(password: string) {
      await loadFlow([
        { id: 'cfg', type: 'pdu-config', name: 'http-pdu', transport: 'http', host: '127.0.0.1', port: String(sim.port), profile, timeout: '2000' },
        { id: 'out', type: 'pdu-outlet', device: 'cfg', outlet: '', action: 'msg', verify: true, wires: [['result']] },
        { id: 'result', type: 'helper' },
        { id: 'stat', type: 'pdu-status', device: 'cfg', interval: 0, wires: [['snap'], ['events']] },
        { id: 'snap', type: 'helper' },
        { id: 'events', type: 'helper' },
        { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
        { id: 'caught', type: 'helper' },
      ], { cfg: { username: 'admin', password } });
      return {
        out: helper.getNode('out'),
        stat: helper.getNode('stat'),
        results: collect<Msg>(helper.getNode('result')),
        snaps: collect<Msg>(helper.getNode('snap')),
        caught: collect<Msg>(helper.getNode('caught')),
      };
    }

    it('reads a snapshot and switches an outlet off by name, verified', async function () {
      const { out, stat, results, snaps } = await load(PASSWORD);
      stat.receive({});
      const [snap] = await until(() => snaps.length > 0 && snaps, 5000, 'snapshot');
      assert.deepStrictEqual(snap.payload.outlets.map((o: Msg) => [o.index, o.name, o.state]), [[1, 'web-01', 'on'], [2, 'web-02', 'on'], [3, 'db-01', 'on']]);
      out.receive({ payload: 'off', outlet: 'web-02' });
      const [msg] = await until(() => results.length > 0 && results, 10000, 'result');
      assert.deepStrictEqual(msg.payload.outlets, [{ index: 2, id: '2', name: 'web-02', before: 'on', after: 'off', verified: true }]);
      assert.strictEqual(sim.model.outlet(2)!.on, false);
    });

    it('a wrong password fails clearly, naming the user, never the password', async function () {
      const { out, caught } = await load(`${PASSWORD}-wrong`);
      out.receive({ payload: 'off', outlet: 1 });
      const [error] = await until(() => caught.length > 0 && caught, 5000, 'error');
      assert.match(error.error.message, /refused the user "admin" \(HTTP 401/);
      const seen = JSON.stringify({ caught, status: (helper.getNode('out') as any).status, log: (helper as any).log().args });
      assert.ok(!seen.includes(PASSWORD), 'password shown');
      assert.strictEqual(sim.model.outlet(1)!.on, true);
    });
  });
}
