import assert from 'assert';
import { collect, helper, until } from '../helpers/red';
import { loadExample, type LoadedExample } from '../helpers/examples';

type Msg = Record<string, any>;

// examples/power-sequence.json as shipped, against the Sentry power manager simulator.

describe('power-sequence example (Sentry2 simulator)', function () {
  this.timeout(30000);
  let example: LoadedExample | undefined;

  afterEach(async function () {
    await helper.unload();
    await example?.stop();
    example = undefined;
  });

  it('powers on the NAS, waits for its load, then the hypervisors 2 s apart; shuts down in the reverse order', async function () {
    example = await loadExample('power-sequence.json');
    const sim = example.sims['rp.sentry2'];
    const changes: Array<{ what: string; at: number }> = [];
    sim.model.on('change', (change: Msg) => {
      if (change.kind === 'outlet') changes.push({ what: `${change.outlet.number} ${change.on ? 'on' : 'off'}`, at: Date.now() });
    });
    for (const outlet of [1, 2, 3]) sim.model.switch(outlet, false);
    changes.length = 0;
    const reports = collect<Msg>(helper.getNode('rp.seq.report'));
    const steps = collect<Msg>(helper.getNode('rp.seq.steps'));

    helper.getNode('rp.seq.on.go').receive({});
    const [up] = await until(() => reports.length > 0 && reports, 15000, 'the power-on report');
    assert.strictEqual(up.payload.outcome, 'ok', up.payload.text);
    assert.deepStrictEqual(changes.map((change) => change.what), ['1 on', '2 on', '3 on']);
    assert.ok(changes[1].at - changes[0].at >= 2000 && changes[2].at - changes[1].at >= 2000, 'staggered');
    assert.match(up.payload.steps[1].detail, /^[\d.]+ A$/);

    helper.getNode('rp.seq.off.go').receive({});
    const [, down] = await until(() => reports.length > 1 && reports, 15000, 'the shutdown report');
    assert.strictEqual(down.payload.outcome, 'ok', down.payload.text);
    assert.deepStrictEqual(changes.slice(3).map((change) => change.what), ['3 off', '2 off', '1 off']);
    assert.deepStrictEqual(steps.map((m) => `${m.payload.event} ${m.payload.index}`),
      ['started 1', 'ended 1', 'started 2', 'ended 2', 'started 3', 'ended 3', 'started 4', 'ended 4']);
  });

  it('cancel stops the power-on during its stagger, and says at which step', async function () {
    example = await loadExample('power-sequence.json');
    const sim = example.sims['rp.sentry2'];
    for (const outlet of [1, 2, 3]) sim.model.switch(outlet, false);
    const reports = collect<Msg>(helper.getNode('rp.seq.report'));
    helper.getNode('rp.seq.on.go').receive({});
    await until(() => sim.model.outlet(2)!.on, 10000, 'hypervisor 1 on');
    helper.getNode('rp.seq.cancel').receive({});
    const [report] = await until(() => reports.length > 0 && reports, 5000, 'the report');
    assert.strictEqual(report.payload.outcome, 'cancelled');
    assert.match(report.payload.text, /^cancelled at step [45]$/);
    assert.strictEqual(sim.model.outlet(3)!.on, false, 'hypervisor 2 not started');
  });
});
