import assert from 'assert';
import fs from 'fs';
import type { Page } from 'playwright-core';
import { exampleFlows } from '../../sim/demo/userdir';
import { openEditor, type Editor } from './browser';

// The editor as a user meets it, in Debian's Chromium: every node of the pack in the palette
// under "rack power", labels and help in English (not message keys), and dialogs that show only
// the fields that matter for the choices made.

describe('the editor (headless Chromium)', function () {
  this.timeout(60000);
  let editor: Editor;
  let page: Page;

  before(async function () {
    editor = await openEditor();
    page = editor.page;
  });

  after(async function () {
    await editor?.close();
  });

  it('puts every node of the pack in the palette under "rack power", with help in Node-RED style', async function () {
    const pkg = JSON.parse(fs.readFileSync(`${__dirname}/../../package.json`, 'utf8'));
    for (const type of Object.keys(pkg['node-red'].nodes)) {
      const info = await page.evaluate((name) => {
        const definition = (window as any).RED.nodes.getType(name);
        const help = (window as any).RED.nodes.getNodeHelp?.(name) ?? '';
        return { category: definition?.category, help: String(help) };
      }, type);
      assert.ok(info.category === 'rack power' || (type === 'pdu-config' && info.category === 'config'), `${type}: ${info.category}`);
      assert.match(info.help, /<p>/, `${type} has help`);
      if (type !== 'pdu-config') assert.match(info.help, /<h3>(Inputs|Outputs)<\/h3>/, `${type} help has Inputs/Outputs`);
      assert.match(info.help, /<h3>Details<\/h3>/, `${type} help has Details`);
    }
    const palette = await page.locator('#red-ui-palette-container-rack_power .red-ui-palette-node').count();
    assert.ok(palette >= Object.keys(pkg['node-red'].nodes).length - 1, `palette has ${palette} rack power nodes`);
  });

  async function visible(selector: string): Promise<boolean> {
    return page.locator(selector).first().isVisible();
  }

  it('pdu-config shows only the fields for the transport, SNMP version and security level chosen', async function () {
    await page.evaluate(() => (window as any).RED.editor.editConfig('', 'pdu-config', '_ADD_'));
    await page.waitForSelector('#node-config-input-transport', { state: 'visible' });
    const labels = await page.locator('.red-ui-tray-body label').allInnerTexts();
    assert.ok(labels.some((text) => /Transport/.test(text)), 'English labels');
    assert.ok(!labels.some((text) => /pdu-config\./.test(text)), `no raw message keys: ${labels.join(', ')}`);

    await page.selectOption('#node-config-input-transport', 'snmp');
    await page.selectOption('#node-config-input-snmpVersion', '2c');
    assert.deepStrictEqual(
      [await visible('#node-config-input-readCommunity'), await visible('#node-config-input-writeCommunity'), await visible('#node-config-input-securityLevel'), await visible('#node-config-input-serialPath')],
      [true, true, false, false],
    );
    await page.waitForFunction(() => document.querySelectorAll('#node-config-input-profile option').length > 5);
    const profiles = await page.locator('#node-config-input-profile option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
    for (const id of ['auto', 'sentry2', 'sentry3', 'sentry4', 'apc-rpdu2', 'apc-rpdu', 'apc-spdu', 'raritan-pdu2', 'eaton-epdu', 'cyberpower-epdu']) {
      assert.ok(profiles.includes(id), `profile ${id} offered for SNMP`);
    }

    await page.selectOption('#node-config-input-snmpVersion', '3');
    await page.selectOption('#node-config-input-securityLevel', 'authPriv');
    assert.deepStrictEqual(
      [await visible('#node-config-input-readCommunity'), await visible('#node-config-input-username'), await visible('#node-config-input-authKey'), await visible('#node-config-input-privKey')],
      [false, true, true, true],
    );
    await page.selectOption('#node-config-input-securityLevel', 'authNoPriv');
    assert.deepStrictEqual([await visible('#node-config-input-authKey'), await visible('#node-config-input-privKey')], [true, false]);
    await page.selectOption('#node-config-input-securityLevel', 'noAuthNoPriv');
    assert.deepStrictEqual([await visible('#node-config-input-authKey'), await visible('#node-config-input-privKey')], [false, false]);

    await page.selectOption('#node-config-input-transport', 'serial');
    assert.deepStrictEqual(
      [await visible('#node-config-input-serialPath'), await visible('#node-config-input-host'), await visible('#node-config-input-snmpVersion')],
      [true, false, false],
    );
    await page.selectOption('#node-config-input-transport', 'nut');
    assert.deepStrictEqual([await visible('#node-config-input-host'), await visible('#node-config-input-password'), await visible('#node-config-input-readCommunity')], [true, true, false]);
    const nutProfiles = await page.locator('#node-config-input-profile option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
    assert.ok(nutProfiles.includes('nut') && !nutProfiles.includes('sentry2'), `NUT profiles: ${nutProfiles.join(', ')}`);
    assert.ok(await visible('#node-config-input-nutUps'), 'NUT device field');

    await page.selectOption('#node-config-input-transport', 'telnet');
    await page.waitForFunction(() => Array.from(document.querySelectorAll('#node-config-input-profile option')).some((o) => (o as HTMLOptionElement).value === 'sentry-cli'));
    await page.selectOption('#node-config-input-profile', 'sentry-cli');
    assert.deepStrictEqual(
      [await visible('#node-config-input-host'), await visible('#node-config-input-username'), await visible('#node-config-input-extra-idleTime'),
        await visible('#node-config-input-extra-dtr'), await visible('#node-config-input-extra-cliPrompt'), await visible('#node-config-input-nutUps')],
      [true, true, true, false, false, false],
    );
    await page.selectOption('#node-config-input-profile', 'custom-cli');
    assert.ok(await visible('#node-config-input-extra-cliPrompt'), 'a user-defined dialect shows its prompt and command fields');
    await page.selectOption('#node-config-input-transport', 'serial');
    assert.ok(await visible('#node-config-input-extra-dtr'), 'DTR on a serial line');
    await page.selectOption('#node-config-input-transport', 'powerman');
    assert.deepStrictEqual(
      [await visible('#node-config-input-extra-nodes'), await visible('#node-config-input-username'), await visible('#node-config-input-extra-idleTime')],
      [true, false, false],
    );
    await page.locator('#node-config-dialog-cancel').click();
  });

  it('opens the pack\'s node dialogs without errors', async function () {
    for (const type of ['pdu-outlet', 'pdu-status']) {
      await page.evaluate((name) => {
        const RED = (window as any).RED;
        const node = RED.view.importNodes?.([{ id: `probe-${name}`, type: name, x: 200, y: 200, z: RED.workspaces.active() }]);
        RED.editor.edit(RED.nodes.node(`probe-${name}`));
        return node;
      }, type);
      await page.waitForSelector('#node-input-device', { state: 'attached' });
      assert.ok(await visible('#node-input-name'), `${type} dialog open`);
      await page.locator('#node-dialog-cancel').click();
      await page.waitForSelector('#node-input-device', { state: 'detached' });
    }
  });

  it('pdu-trap-out\'s dialog shows the community for v2c and the user with its keys for v3', async function () {
    await page.evaluate(() => {
      const RED = (window as any).RED;
      RED.view.importNodes?.([{ id: 'probe-pdu-trap-out', type: 'pdu-trap-out', x: 200, y: 300, z: RED.workspaces.active() }]);
      RED.editor.edit(RED.nodes.node('probe-pdu-trap-out'));
    });
    await page.waitForSelector('#node-input-host', { state: 'attached' });
    assert.deepStrictEqual([await visible('#node-input-community'), await visible('#node-input-username')], [true, false], 'v2c');
    await page.selectOption('#node-input-version', '3');
    assert.deepStrictEqual([await visible('#node-input-community'), await visible('#node-input-username'), await visible('#node-input-privKey'),
      await visible('#node-input-engineID')], [false, true, true, true], 'v3');
    await page.locator('#node-dialog-cancel').click();
    await page.waitForSelector('#node-input-host', { state: 'detached' });
  });

  it('pdu-sequence\'s dialog lists the steps with the fields each kind takes, and saves what was edited', async function () {
    await page.evaluate(() => {
      const RED = (window as any).RED;
      RED.view.importNodes?.([
        { id: 'probe-seq-cfg', type: 'pdu-config', name: 'rack-12', transport: 'snmp', host: '127.0.0.1' },
        { id: 'probe-seq', type: 'pdu-sequence', x: 200, y: 400, z: RED.workspaces.active(),
          steps: [{ action: 'off', device: 'probe-seq-cfg', outlets: 'web-01', onFailure: 'continue' }, { action: 'delay', seconds: 5 }] },
      ]);
      RED.editor.edit(RED.nodes.node('probe-seq'));
    });
    await page.waitForSelector('#node-input-step-list .rp-step-action', { state: 'visible' });
    const rows = page.locator('#node-input-step-list .red-ui-editableList-item-content');
    assert.strictEqual(await rows.count(), 2);
    const shown = async (row: number, field: string): Promise<boolean> => rows.nth(row).locator(`.rp-step-${field}`).isVisible();
    assert.deepStrictEqual([await shown(0, 'device'), await shown(0, 'outlets'), await shown(0, 'seconds'), await shown(0, 'host')], [true, true, false, false]);
    assert.deepStrictEqual([await shown(1, 'device'), await shown(1, 'seconds'), await shown(1, 'onFailure')], [false, true, false]);
    assert.strictEqual(await rows.nth(0).locator('.rp-step-device').inputValue(), 'probe-seq-cfg');
    const labels = await page.locator('#node-input-step-list .rp-step-action option').allInnerTexts();
    assert.ok(labels.includes('wait: TCP port opens') && !labels.some((text) => /pdu-sequence\./.test(text)), labels.join(', '));

    await page.locator('.red-ui-editableList-addButton').click();
    const added = rows.nth(2);
    await added.locator('.rp-step-action').selectOption('tcp');
    assert.deepStrictEqual([await shown(2, 'host'), await shown(2, 'port'), await shown(2, 'timeout'), await shown(2, 'device')], [true, true, true, false]);
    await added.locator('.rp-step-host').fill('nas');
    await added.locator('.rp-step-port').fill('445');
    await added.locator('.rp-step-label').fill('NAS up');
    await page.locator('#node-input-progress').check();
    await page.locator('#node-dialog-ok').click();
    await page.waitForSelector('#node-input-step-list', { state: 'detached' });
    const saved = await page.evaluate(() => {
      const node = (window as any).RED.nodes.node('probe-seq');
      return { steps: node.steps, outputs: node.outputs };
    });
    assert.deepStrictEqual(saved, { outputs: 2, steps: [
      { action: 'off', onFailure: 'continue', device: 'probe-seq-cfg', outlets: 'web-01' },
      { action: 'delay', seconds: 5 },
      { action: 'tcp', label: 'NAS up', onFailure: 'stop', host: 'nas', port: 445 },
    ] });
  });

  it('the demo shows the examples as tabs in a sensible order, each with Info that explains it', async function () {
    // Deployed disabled: the tabs and their Info are what this checks, not the flows (which want the simulators).
    const { flows } = exampleFlows();
    for (const node of flows as Array<Record<string, unknown>>) if ('x' in node) node.d = true;
    const deployed = await editor.red.request('POST', '/flows', flows, { 'Node-RED-Deployment-Type': 'full' });
    assert.strictEqual(deployed.status, 204, deployed.text);
    await editor.reload();
    const tabs: Array<{ label: string; info: string }> = await page.evaluate(() => {
      const RED = (window as any).RED;
      return RED.nodes.getWorkspaceOrder().map((id: string) => RED.nodes.workspace(id)).map((tab: any) => ({ label: tab.label, info: tab.info ?? '' }));
    });
    assert.deepStrictEqual(tabs.slice(0, 3).map((tab) => tab.label), ['Switch an outlet', 'Poll PDU status with thresholds', 'Dashboard']);
    const last = tabs.slice(-2).map((tab) => tab.label).join(' | ');
    assert.match(last, /Serial power manager.*\| PowerMan/, `the other transports come last: ${last}`);
    for (const tab of tabs) assert.ok(tab.info.length > 80 && !/^examples\//.test(tab.info), `tab "${tab.label}" has no Info that explains it: ${tab.info}`);
  });

  it('raised no script error in the editor', function () {
    assert.deepStrictEqual(editor.errors(), []);
  });
});
