import assert from 'assert';
import fs from 'fs';
import { collect, helper, reportedErrors, sleep, until } from '../helpers/red';
import { EXAMPLES, loadExample, readExample, type FlowJson, type LoadedExample } from '../helpers/examples';
import { freeUdpPort } from '../helpers/traps';

type Msg = Record<string, any>;

// Every example that runs against the simulators, as shipped: it deploys with no error, and each
// of its buttons runs without an error the example does not mean to show. (The serial and
// PowerMan examples need a pty and powermand: line-examples.test.ts runs them.)

/** Errors an example shows on purpose, by the inject that causes them. */
const MEANT: Record<string, RegExp> = {
  'rp.nutpdu.locked': /locked on nut-pdu-sim: outlet 8 \(server-08\) not switched/,
};

/**
 * Flow-wide status reports and errors, through a Status and a Catch node added to the example's
 * tab (an error a Catch node handles is not logged, so the log alone would miss it).
 */
function watchFlow(flow: FlowJson, file: string): void {
  // On the example's own tab, or on the one loadExample gives it.
  const z = flow.find((node) => node.type === 'tab')?.id ?? `tab-${file}`;
  flow.push({ id: 'test.status', type: 'status', z, scope: null, x: 0, y: 0, wires: [['test.statuses']] },
    { id: 'test.statuses', type: 'helper', z, x: 0, y: 0, wires: [] },
    { id: 'test.errors', type: 'helper', z, x: 0, y: 0, wires: [] });
  // The test helper loads a core module once per node of its type: reuse the example's Catch-all.
  const own = flow.find((node) => node.type === 'catch' && !node.scope);
  // Examples loaded together (a hub and its site) share one tab: one Catch-all sees them all.
  for (const other of flow.filter((node) => node.type === 'catch' && !node.scope && node !== own)) flow.splice(flow.indexOf(other), 1);
  if (own) own.wires[0].push('test.errors');
  else flow.push({ id: 'test.catch', type: 'catch', z, scope: null, x: 0, y: 0, wires: [['test.errors']] });
}

describe('every example, as shipped, against the simulators', function () {
  this.timeout(60000);
  let example: LoadedExample | undefined;

  afterEach(async function () {
    await helper.unload();
    helper.settings({});
    await example?.stop();
    example = undefined;
  });

  // The dashboard example needs FlowFuse Dashboard 2's nodes, which this test runtime does not
  // load: test/editor/dashboard.test.ts deploys it in a real Node-RED and clicks through it.
  const files = fs.readdirSync(EXAMPLES).filter((file) => file.endsWith('.json'))
    .filter((file) => !readExample(file).some((node) => node.type === 'pdu-config' && ['serial', 'powerman'].includes(node.transport)))
    .filter((file) => !readExample(file).some((node) => String(node.type).startsWith('ui-')));

  for (const file of files) {
    it(`${file}: deploys with no error, and each button runs as the example says`, async function () {
      helper.settings({ pduTrapInPort: await freeUdpPort() } as never);
      // A hub example reads a site: the example publishing that site runs beside it, on the same broker.
      const sites = new Set(readExample(file).filter((node) => node.type === 'pdu-config' && node.transport === 'site').map((node) => node.site));
      const publishers = files.filter((other) => other !== file && readExample(other).some((node) => node.type === 'pdu-site' && sites.has(node.site)));
      const loaded = [file, ...publishers];
      example = await loadExample(loaded, (flow) => {
        // The e-mail node of node-red-node-email is not installed here: a test node takes its place.
        for (const node of flow) if (node.type === 'e-mail') node.type = 'helper';
        watchFlow(flow, String(loaded));
      }, { cycle: 0 });
      if (sites.size) assert.strictEqual(publishers.length, sites.size, `${file}: an example publishing ${[...sites].join(', ')}`);
      if (publishers.length) assert.strictEqual(example.brokers.length, 1, 'the hub and its site meet on one broker');
      const statuses = collect<Msg>(helper.getNode('test.statuses'));
      const caught = collect<Msg>(helper.getNode('test.errors'));
      const errors = (): string[] => [...reportedErrors().map((error) => error.msg), ...caught.map((msg) => String(msg.error.message))];
      await sleep(1500);
      assert.deepStrictEqual(errors(), [], `${file} deployed with errors`);
      const pack = new Set(example.flow.filter((node) => /^(pdu|ups)-/.test(node.type)).map((node) => node.id));
      const red = statuses.filter((msg) => msg.status.fill === 'red' && pack.has(msg.status.source.id));
      assert.deepStrictEqual(red.map((msg) => `${msg.status.source.id}: ${msg.status.text}`), [], 'no red status after deploy');

      const meant: RegExp[] = [];
      for (const inject of example.flow.filter((node) => node.type === 'inject')) {
        helper.getNode(inject.id).receive({});
        if (MEANT[inject.id]) meant.push(MEANT[inject.id]);
        await sleep(inject.id === 'f3a4b5c6d7e80002' ? 2500 : 1200); // the watchdog's ping waits 1 s for its reply
      }
      // Commands may wait behind one another (minimum off times): until the refusals meant arrive.
      await until(() => errors().length >= meant.length, 15000, 'the errors the example shows on purpose');
      await sleep(1000);
      const seen = errors();
      assert.strictEqual(seen.length, meant.length, `errors: ${seen.join('; ')}`);
      for (const pattern of meant) assert.ok(seen.some((error) => pattern.test(error)), `${pattern} in ${seen.join('; ')}`);
      // A hub's buttons switch the site's PDU through the broker: the site's simulator saw their SETs.
      if (publishers.length) {
        const switched = example.flow.filter((node) => node.type === 'inject' && /^server-\d+ (on|off)$/.test(node.name)).length;
        const sets = () => Object.values(example!.sims).reduce((count, sim) => count + (sim.sets?.length ?? 0), 0);
        await until(() => sets() >= switched, 15000, `${switched} SETs at the site`);
      }
    });
  }
});
