import assert from 'assert';
import type { Page } from 'playwright-core';
import { openEditor, type Editor } from './browser';

// pdu-site's dialog in headless Chromium against a real Node-RED: the Home Assistant option, off
// unless ticked, its prefix shown only when it is on, its words from the locale, and a prefix that
// could not be a discovery prefix marked invalid.

describe('pdu-site dialog: Home Assistant discovery (headless Chromium)', function () {
  this.timeout(90000);
  let editor: Editor;
  let page: Page;

  before(async function () {
    editor = await openEditor();
    const flows = [
      { id: 'tab1', type: 'tab', label: 'site' },
      { id: 'brk', type: 'mqtt-broker', name: 'site broker', broker: '127.0.0.1', port: '1', autoConnect: false, protocolVersion: '5' },
      {
        id: 'cfg1', type: 'pdu-config', name: 'rack-12', transport: 'snmp', host: '127.0.0.1', port: '1', profile: 'sentry3',
        snmpVersion: '2c', timeout: 500, retries: 0, locked: '', groups: [], extra: {}, credentials: { readCommunity: 'public', writeCommunity: 'private' },
      },
      // As a flow saved before the option existed: no haDiscovery, no haPrefix.
      { id: 'site', type: 'pdu-site', z: 'tab1', x: 200, y: 100, broker: 'brk', site: 'site1', interval: 0, devices: [{ device: 'cfg1' }], wires: [] },
    ];
    const deployed = await editor.red.request('POST', '/flows', flows, { 'Node-RED-Deployment-Type': 'full' });
    assert.strictEqual(deployed.status, 204, deployed.text);
    await editor.reload();
    page = editor.page;
  });

  after(async function () {
    await editor?.close();
  });

  it('off by default; ticked, it shows the prefix (homeassistant), refuses a wildcard there, and is saved', async function () {
    await editor.editNode('site');
    assert.strictEqual(await page.isChecked('#node-input-haDiscovery'), false);
    assert.strictEqual(await page.isVisible('#node-input-haPrefix'), false, 'the prefix hidden while the option is off');
    const row = await page.locator('#node-input-haDiscovery').locator('xpath=..').innerText();
    assert.match(row, /Home Assistant/);
    assert.match(row, /locked ones as sensors only/);
    await page.check('#node-input-haDiscovery');
    assert.strictEqual(await page.isVisible('#node-input-haPrefix'), true);
    assert.strictEqual(await page.inputValue('#node-input-haPrefix'), 'homeassistant');
    await page.fill('#node-input-haPrefix', 'home/+');
    await page.locator('#node-input-haPrefix').dispatchEvent('change');
    assert.match(await page.getAttribute('#node-input-haPrefix', 'class') ?? '', /input-error/);
    await page.fill('#node-input-haPrefix', 'ha/discovery');
    await page.locator('#node-input-haPrefix').dispatchEvent('change');
    assert.doesNotMatch(await page.getAttribute('#node-input-haPrefix', 'class') ?? '', /input-error/);
    await page.click('#node-dialog-ok');
    await page.waitForFunction(() => document.querySelectorAll('.red-ui-tray').length === 0);
    const saved = await page.evaluate(() => {
      const node = (window as any).RED.nodes.node('site');
      return { on: node.haDiscovery, prefix: node.haPrefix };
    });
    assert.deepStrictEqual(saved, { on: true, prefix: 'ha/discovery' });
    assert.deepStrictEqual(editor.errors(), []);
  });
});
