import assert from 'assert';
import fs from 'fs';
import path from 'path';
import type { Page } from 'playwright-core';
import { startSim, type SimDevice } from '../../sim/index';
import { DEFAULT_PORTS } from '../../sim/ports';
import { openEditor, screenshot, type Editor } from './browser';

// examples/dashboard.json on FlowFuse Dashboard 2, in Debian's Chromium against a real Node-RED
// and the simulators it expects: the page renders its grids, charts, gauges and events, and a
// switch in the grid switches the simulated outlet through pdu-outlet, after a confirmation.

const EXAMPLE = path.resolve(__dirname, '../../examples/dashboard.json');

describe('examples/dashboard.json (FlowFuse Dashboard 2, headless Chromium)', function () {
  this.timeout(120000);
  const sims: Record<string, SimDevice> = {};
  let editor: Editor;
  let page: Page;

  before(async function () {
    const flow = JSON.parse(fs.readFileSync(EXAMPLE, 'utf8')) as Array<Record<string, any>>;
    const kinds = Object.fromEntries(Object.entries(DEFAULT_PORTS).map(([kind, port]) => [String(port), kind]));
    for (const node of flow.filter((candidate) => candidate.type === 'pdu-config')) {
      const kind = kinds[String(node.port)];
      sims[node.id] = await startSim(kind, { port: 0, rebootDelay: 1000 });
      node.port = String(sims[node.id].port);
      node.credentials = node.transport === 'nut' ? { username: 'admin', password: 'secret' } : { readCommunity: 'public', writeCommunity: 'private' };
    }
    // Polls every second instead of every 5 s: the charts get points quickly.
    for (const node of flow.filter((candidate) => candidate.type === 'pdu-status' || candidate.type === 'ups-nut')) node.interval = 1;
    editor = await openEditor();
    const deployed = await editor.red.request('POST', '/flows', flow, { 'Node-RED-Deployment-Type': 'full' });
    assert.strictEqual(deployed.status, 204, deployed.text);
    page = await editor.browser.newPage({ viewport: { width: 1400, height: 1100 } });
    page.on('pageerror', (error) => assert.fail(`dashboard script error: ${error.message}`));
    await page.goto(`${editor.red.url}/dashboard/rack-power`);
  });

  after(async function () {
    await editor?.close();
    for (const sim of Object.values(sims)) await sim.stop();
  });

  const grid = (device: string) => `.rp-grid[data-device="${device}"]`;

  it('renders an outlet grid per PDU (state, name, current), charts, UPS gauges and the last events', async function () {
    await page.waitForSelector(`${grid('rack-12')} tr.rp-outlet`, { timeout: 30000 });
    await page.waitForSelector(`${grid('rack-13')} tr.rp-outlet`);
    assert.strictEqual(await page.locator(`${grid('rack-12')} tr.rp-outlet`).count(), sims['rp.dash.cfg.sentry'].model.outlets.length);
    const first = await page.locator(`${grid('rack-12')} tr.rp-outlet[data-outlet="1"]`).innerText();
    assert.match(first, /1\s+server-01\s+on\s+\d+\.\d A/);
    // server-02 of rack-13 is on its config's locked list: shown, with no switch.
    const locked = page.locator(`${grid('rack-13')} tr.rp-outlet[data-outlet="2"]`);
    assert.match(await locked.innerText(), /locked/);
    assert.strictEqual(await locked.locator('.v-switch, .rp-reboot').count(), 0);
    assert.strictEqual(await page.locator(`${grid('rack-13')} tr.rp-outlet[data-outlet="3"] .v-switch`).count(), 1);
    // Charts draw on canvas once they have points; the gauges show the UPS's numbers.
    await page.waitForFunction(() => document.querySelectorAll('canvas').length >= 2, undefined, { timeout: 20000 });
    await page.waitForFunction(() => /Battery/.test(document.body.innerText) && /Load/.test(document.body.innerText));
    await page.waitForFunction(() => document.querySelectorAll('.nrdb-ui-gauge').length === 2 || document.querySelectorAll('[class*=gauge]').length >= 2);
    await page.waitForFunction(() => /Last events/.test(document.body.innerText));
  });

  it('a switch click asks first, switches the simulated outlet through pdu-outlet, and the grid follows', async function () {
    const sentry = sims['rp.dash.cfg.sentry'].model;
    const row = page.locator(`${grid('rack-12')} tr.rp-outlet[data-outlet="3"]`);
    assert.strictEqual(sentry.outlet(3)!.on, true);
    await row.locator('.v-switch input').click();
    await page.waitForSelector('.rp-confirm', { state: 'visible' });
    assert.match(await page.locator('.rp-confirm').innerText(), /Turn off outlet 3 \(server-03\) on rack-12\?/);
    assert.strictEqual(sentry.outlet(3)!.on, true, 'nothing switched before the confirmation');
    await screenshot(page, 'dashboard-confirm', true);
    await page.locator('.rp-confirm .rp-go').click();
    await page.waitForFunction(() => document.querySelector('.rp-grid[data-device="rack-12"] tr.rp-outlet[data-outlet="3"]')?.getAttribute('data-state') === 'off',
      undefined, { timeout: 20000 });
    assert.strictEqual(sentry.outlet(3)!.on, false, 'the simulated outlet is off');
    await page.waitForFunction(() => /rack-12\s+off\s+3 server-03: off/.test(document.body.innerText), undefined, { timeout: 10000 });

    // On needs no confirmation.
    await row.locator('.v-switch input').click();
    await page.waitForFunction(() => document.querySelector('.rp-grid[data-device="rack-12"] tr.rp-outlet[data-outlet="3"]')?.getAttribute('data-state') === 'on',
      undefined, { timeout: 20000 });
    assert.strictEqual(sentry.outlet(3)!.on, true);
    await page.waitForTimeout(2500);
    await screenshot(page, 'dashboard', true);
  });

  it('a cancelled confirmation switches nothing', async function () {
    const apc = sims['rp.dash.cfg.apc'].model;
    await page.locator(`${grid('rack-13')} tr.rp-outlet[data-outlet="4"] .rp-reboot`).click();
    await page.waitForSelector('.rp-confirm', { state: 'visible' });
    assert.match(await page.locator('.rp-confirm').innerText(), /Reboot outlet 4 \(server-04\) on rack-13\?/);
    await page.locator('.rp-confirm .rp-cancel').click();
    await page.waitForSelector('.rp-confirm', { state: 'hidden' });
    await page.waitForTimeout(1500);
    assert.strictEqual(apc.outlet(4)!.on, true);
    assert.ok(!(apc.outlet(4) as any).rebooting, 'no reboot started');
  });
});
