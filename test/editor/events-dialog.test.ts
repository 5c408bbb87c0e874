import assert from 'assert';
import type { Page } from 'playwright-core';
import { openEditor, type Editor } from './browser';

// pdu-events' and pdu-trap-in's dialogs in Debian's Chromium against a real Node-RED: both pick
// their device configs through the same list (pdu-trap-in offers only SNMP ones), and pdu-events
// keeps the sources that are ticked.

describe('pdu-events and pdu-trap-in dialogs: device lists and sources (headless Chromium)', function () {
  this.timeout(90000);
  let editor: Editor;
  let page: Page;

  before(async function () {
    editor = await openEditor();
    // Configs only, never contacted: the dialogs need their names, not the devices.
    const flows = [
      { id: 'tab1', type: 'tab', label: 'events' },
      { id: 'cfgSnmp', type: 'pdu-config', name: 'rack-12', transport: 'snmp', host: '192.0.2.1', port: '161', profile: 'auto', snmpVersion: '2c', extra: {} },
      { id: 'cfgNut', type: 'pdu-config', name: 'ups-room', transport: 'nut', host: '192.0.2.2', port: '3493', profile: 'nut', extra: {} },
      { id: 'trapIn', type: 'pdu-trap-in', z: 'tab1', x: 200, y: 100, devices: ['cfgSnmp'], port: '11162', wires: [[]] },
      { id: 'stream', type: 'pdu-events', z: 'tab1', x: 200, y: 200, devices: ['cfgNut'], sources: ['audit'], wires: [[]] },
    ];
    await editor.page.evaluate((nodes) => {
      const RED = (window as any).RED;
      RED.view.importNodes(nodes);
    }, flows);
    page = editor.page;
  });

  after(async function () {
    await editor?.close();
  });

  const rows = () => page.locator('#node-input-devices-list .rp-device').evaluateAll((selects) => selects.map((select) => ({
    value: (select as HTMLSelectElement).value,
    offered: Array.from((select as HTMLSelectElement).options).map((option) => option.text),
  })));
  const save = async () => {
    await page.locator('#node-dialog-ok').click();
    await page.waitForFunction(() => document.querySelectorAll('.red-ui-tray').length === 0);
  };

  it('pdu-trap-in lists its device, offers only SNMP configs, and saves the list it shows', async function () {
    await editor.editNode('trapIn');
    assert.deepStrictEqual(await rows(), [{ value: 'cfgSnmp', offered: ['rack-12'] }]);
    await save();
    assert.deepStrictEqual(await page.evaluate(() => (window as any).RED.nodes.node('trapIn').devices), ['cfgSnmp']);
  });

  it('pdu-events lists its devices from every config, ticks its sources, and saves what is ticked', async function () {
    await editor.editNode('stream');
    assert.deepStrictEqual(await rows(), [{ value: 'cfgNut', offered: ['rack-12', 'ups-room'] }]);
    const ticked = () => page.locator('#rp-event-sources input:checked').evaluateAll((boxes) => boxes.map((box) => (box as HTMLInputElement).value));
    assert.deepStrictEqual(await ticked(), ['audit']);
    assert.match(await page.locator('#rp-event-sources').innerText(), /power commands \(audit\)/);
    await page.locator('#rp-event-sources input[value="trap"]').check();
    await page.locator('#node-input-severity').selectOption('warning');
    await page.locator('#node-input-events').fill('outlet*, commLost');
    await save();
    const saved = await page.evaluate(() => {
      const node = (window as any).RED.nodes.node('stream');
      return { devices: node.devices, sources: node.sources, severity: node.severity, events: node.events, valid: node.valid };
    });
    assert.deepStrictEqual(saved, { devices: ['cfgNut'], sources: ['trap', 'audit'], severity: 'warning', events: 'outlet*, commLost', valid: true });

    // Every source ticked is saved as none: every source, including any added later.
    await editor.editNode('stream');
    for (const box of await page.locator('#rp-event-sources input').all()) await box.check();
    await save();
    assert.deepStrictEqual(await page.evaluate(() => (window as any).RED.nodes.node('stream').sources), []);
    assert.strictEqual(await page.evaluate(() => (window as any).RED.utils.getNodeLabel((window as any).RED.nodes.node('stream'))), 'events of ups-room');
  });

  it('raised no script error in the editor', function () {
    assert.deepStrictEqual(editor.errors(), []);
  });
});
