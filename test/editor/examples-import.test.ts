import assert from 'assert';
import fs from 'fs';
import path from 'path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startNodeRed, type NodeRedProcess } from '../runtime/node-red-process';
import { installTarball, PACKAGE, packTarball } from '../runtime/packed-install';

// Import > Examples as a user meets it: the pack as `npm pack` makes it, installed into a fresh
// Node-RED user directory, every example listed under the pack and imported from the dialog in
// Debian's Chromium, one device config per device however many examples are imported.

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const EXAMPLES = fs.readdirSync(path.resolve(__dirname, '../../examples')).filter((file) => file.endsWith('.json'))
  .map((file) => file.replace(/\.json$/, '')).sort();

describe('Import > Examples of the packed module (headless Chromium)', function () {
  this.timeout(240000);
  let red: NodeRedProcess;
  let browser: Browser;
  let page: Page;
  let tarball: string;
  const pageErrors: string[] = [];

  before(async function () {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: test/peers/ensure-peers.sh installs Debian's chromium`);
    tarball = packTarball();
    red = await startNodeRed({}, installTarball(tarball));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(red.url);
    await page.waitForFunction(() => (window as any).RED?.nodes?.getType?.('pdu-config') !== undefined, undefined, { timeout: 30000 });
  });

  after(async function () {
    await browser?.close();
    await red?.stop();
    if (tarball) fs.rmSync(path.dirname(tarball), { recursive: true, force: true });
  });

  it('the admin API lists every example of the pack, and serves each as a flow', async function () {
    const modules = JSON.parse((await red.request('GET', '/library/examples/flows/')).text);
    assert.ok(modules.includes(PACKAGE), `the pack is among ${JSON.stringify(modules)}`);
    const listed = JSON.parse((await red.request('GET', `/library/examples/flows/${PACKAGE}`)).text) as Array<{ fn: string }>;
    assert.deepStrictEqual(listed.map((entry) => entry.fn).sort(), EXAMPLES);
    for (const example of EXAMPLES) {
      const flow = JSON.parse((await red.request('GET', `/library/examples/flows/${PACKAGE}/${example}`)).text);
      assert.ok(Array.isArray(flow) && flow[0].type === 'comment', example);
    }
  });

  it('the dialog lists every example under the pack and imports each, sharing one config per device', async function () {

    const tree = page.locator('#red-ui-clipboard-dialog-import-tab-examples');
    const openPack = async (): Promise<void> => {
      await page.evaluate(() => (window as any).RED.actions.invoke('core:show-examples-import-dialog'));
      const pack = tree.locator('.red-ui-treeList-label', { hasText: PACKAGE });
      await pack.first().waitFor({ state: 'visible', timeout: 10000 });
      if (!(await tree.locator('.red-ui-treeList-label', { hasText: EXAMPLES[0] }).first().isVisible())) await pack.first().click();
      await tree.locator('.red-ui-treeList-label', { hasText: EXAMPLES[0] }).first().waitFor({ state: 'visible', timeout: 10000 });
    };

    await openPack();
    const listed = await tree.locator('.red-ui-treeList-label').allInnerTexts();
    for (const example of EXAMPLES) assert.ok(listed.some((label) => label.trim() === example), `${example} listed`);
    await page.locator('#red-ui-clipboard-dialog-cancel').click();

    for (const example of EXAMPLES) {
      const before = await page.evaluate(() => { let count = 0; (window as any).RED.nodes.eachNode(() => { count += 1; }); return count; });
      await openPack();
      // The dialog enables Import once the example's flow has loaded; a click that a busy machine
      // let land while the tree was still opening selects nothing, so it is given again.
      const label = tree.locator('.red-ui-treeList-label').filter({ hasText: new RegExp(`^\\s*${example}\\s*$`) }).first();
      for (let attempt = 1; ; attempt += 1) {
        await label.click();
        const loaded = await page.waitForFunction(() => {
          const ok = document.querySelector('#red-ui-clipboard-dialog-ok');
          return ok !== null && !ok.hasAttribute('disabled') && !ok.classList.contains('ui-state-disabled');
        }, undefined, { timeout: 5000 }).then(() => true, () => false);
        if (loaded) break;
        if (attempt === 4) throw new Error(`${example}: the import dialog never enabled Import`);
      }
      await page.locator('#red-ui-clipboard-dialog-ok').click();
      // A config already imported with an earlier example: Node-RED asks, and "Import copy" reuses it.
      const copy = page.locator('.red-ui-notification button', { hasText: /import copy/i });
      const count = (): Promise<number> => page.evaluate(() => { let now = 0; (window as any).RED.nodes.eachNode(() => { now += 1; }); return now; });
      for (let waited = 0; waited < 5000 && (await count()) === before; waited += 100) {
        if (await copy.first().isVisible()) {
          await copy.first().click();
          break;
        }
        await page.waitForTimeout(100);
      }
      await page.waitForFunction((count) => {
        let now = 0;
        (window as any).RED.nodes.eachNode(() => { now += 1; });
        return now > count;
      }, before, { timeout: 10000 }).catch(async (error: Error) => {
        await page.screenshot({ path: path.join(require('os').tmpdir(), `rack-power-import-${example}.png`) });
        throw new Error(`${example} not imported: ${error.message}`);
      });
    }

    const configs = await page.evaluate(() => {
      const found: Array<Record<string, string>> = [];
      (window as any).RED.nodes.eachConfig((node: Record<string, string>) => {
        if (node.type === 'pdu-config') found.push({ id: node.id, transport: node.transport, port: node.port, nutUps: node.nutUps });
      });
      return found;
    });
    const devices = new Set(configs.map((config) => `${config.transport}|${config.port}|${config.nutUps ?? ''}`));
    assert.strictEqual(configs.length, devices.size, `one config per device: ${JSON.stringify(configs)}`);
    assert.deepStrictEqual(pageErrors, []);
  });

  it('marks a wrong kind of device config invalid on ups-nut and pdu-trap-in, and offers ups-nut only NUT servers', async function () {
    const valid = await page.evaluate(() => {
      const RED = (window as any).RED;
      const z = RED.workspaces.active();
      // The configs the examples bring, when this test runs alone.
      if (!RED.nodes.node('rp.sentry2')) RED.view.importNodes([{ id: 'rp.sentry2', type: 'pdu-config', transport: 'snmp', host: '127.0.0.1', port: '16161', profile: 'sentry2' }]);
      if (!RED.nodes.node('rp.nut.ups')) RED.view.importNodes([{ id: 'rp.nut.ups', type: 'pdu-config', transport: 'nut', host: '127.0.0.1', port: '13493', profile: 'nut' }]);
      RED.view.importNodes([
        { id: 'kind.ups.snmp', type: 'ups-nut', device: 'rp.sentry2', mode: 'poll', x: 100, y: 600, z },
        { id: 'kind.ups.nut', type: 'ups-nut', device: 'rp.nut.ups', mode: 'poll', x: 100, y: 650, z },
        { id: 'kind.trap.nut', type: 'pdu-trap-in', devices: ['rp.nut.ups'], x: 100, y: 700, z },
        { id: 'kind.trap.snmp', type: 'pdu-trap-in', devices: ['rp.sentry2'], x: 100, y: 750, z },
      ]);
      const result: Record<string, boolean> = {};
      for (const id of ['kind.ups.snmp', 'kind.ups.nut', 'kind.trap.nut', 'kind.trap.snmp']) {
        const node = RED.nodes.node(id);
        RED.editor.validateNode(node);
        result[id] = node.valid;
      }
      return result;
    });
    assert.deepStrictEqual(valid, { 'kind.ups.snmp': false, 'kind.ups.nut': true, 'kind.trap.nut': false, 'kind.trap.snmp': true });

    await page.evaluate(() => (window as any).RED.editor.edit((window as any).RED.nodes.node('kind.ups.nut')));
    await page.waitForSelector('#node-input-device', { state: 'attached' });
    const offered = await page.locator('#node-input-device option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
    assert.ok(offered.includes('rp.nut.ups') && !offered.includes('rp.sentry2'), `offered: ${offered.join(', ')}`);
    await page.locator('#node-dialog-cancel').click();
    assert.deepStrictEqual(pageErrors, []);
  });
});
