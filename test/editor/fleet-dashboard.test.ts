import assert from 'assert';
import fs from 'fs';
import path from 'path';
import type { Page } from 'playwright-core';
import { startSim, type SimDevice } from '../../sim/index';
import { DEFAULT_PORTS } from '../../sim/ports';
import { startMosquitto, type Mosquitto } from '../peers/mosquitto';
import { openEditor, screenshot, type Editor } from './browser';

// examples/many-sites-dashboard.json on FlowFuse Dashboard 2, in Debian's Chromium: with the
// site of examples/many-sites-spoke.json publishing a simulated Sentry on a real Mosquitto, the
// fleet table shows the site and its device, and the site's stop turns its row offline.

const EXAMPLES = path.resolve(__dirname, '../../examples');
const read = (file: string) => JSON.parse(fs.readFileSync(path.join(EXAMPLES, file), 'utf8')) as Array<Record<string, any>>;

describe('examples/many-sites-dashboard.json (the fleet table, headless Chromium)', function () {
  this.timeout(120000);
  let broker: Mosquitto;
  let sim: SimDevice;
  let editor: Editor;
  let page: Page;

  /** Both examples against this test's broker and simulator, as the demo runs them against its own. */
  const flows = (withSite: boolean) => {
    const kinds = Object.fromEntries(Object.entries(DEFAULT_PORTS).map(([kind, port]) => [String(port), kind]));
    const nodes = [...(withSite ? read('many-sites-spoke.json') : []), ...read('many-sites-dashboard.json')];
    const seen = new Set<string>();
    return nodes.filter((node) => !seen.has(node.id) && seen.add(node.id)).map((node) => {
      if (node.type === 'mqtt-broker') return { ...node, port: String(broker.port) };
      if (node.type === 'pdu-config') {
        assert.strictEqual(kinds[String(node.port)], 'sentry2');
        return { ...node, port: String(sim.port), credentials: { readCommunity: 'public', writeCommunity: 'private' } };
      }
      // The spoke example's nodes need a tab of their own here (import puts them on the open one).
      return 'x' in node && !node.z ? { ...node, z: 'rp.fleet.site' } : node;
    }).concat(withSite ? [{ id: 'rp.fleet.site', type: 'tab', label: 'site lab' }] : []);
  };

  const rows = () => page.locator('.rp-fleet tbody tr').allInnerTexts();

  before(async function () {
    broker = await startMosquitto({ anonymous: true });
    sim = await startSim('sentry2', { port: 0 });
    editor = await openEditor();
    const deployed = await editor.red.request('POST', '/flows', flows(true), { 'Node-RED-Deployment-Type': 'full' });
    assert.strictEqual(deployed.status, 204, deployed.text);
    page = await editor.browser.newPage({ viewport: { width: 1400, height: 700 } });
    page.on('pageerror', (error) => assert.fail(`dashboard script error: ${error.message}`));
    await page.goto(`${editor.red.url}/dashboard/fleet`);
  });

  after(async function () {
    await editor?.close();
    await sim?.stop();
    await broker?.stop();
  });

  it('shows the site online, its device with its model, outlets and load', async function () {
    await page.waitForFunction(() => /sentry-a/.test(document.querySelector('.rp-fleet tbody')?.textContent ?? ''), undefined, { timeout: 30000 });
    await page.waitForFunction(() => /connected/.test(document.querySelector('.rp-fleet tbody')?.textContent ?? ''), undefined, { timeout: 15000 });
    const [row] = await rows();
    const outlets = sim.model.outlets.length;
    assert.match(row, new RegExp(`lab\\s+connected\\s+sentry-a\\s+Server Technology.*\\s+${outlets}/${outlets}`), row);
    await screenshot(page, 'fleet-dashboard', true);
  });

  it('the site stopped (its flow removed): its row says offline, from its retained status', async function () {
    const deployed = await editor.red.request('POST', '/flows', flows(false), { 'Node-RED-Deployment-Type': 'full' });
    assert.strictEqual(deployed.status, 204, deployed.text);
    // The fleet node restarted with the deploy: the site's retained status and description reach it in turn.
    await page.waitForFunction(() => /offline[\s\S]*sentry-a/.test(document.querySelector('.rp-fleet tbody')?.textContent ?? ''), undefined, { timeout: 20000 });
    assert.match((await rows())[0], /lab\s+offline\s+sentry-a/);
  });
});
