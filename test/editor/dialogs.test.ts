import assert from 'assert';
import path from 'path';
import { startSim, type SimDevice } from '../../sim/index';
import type { Page } from 'playwright-core';
import { startNodeRed, type NodeRedProcess } from '../runtime/node-red-process';
import { openEditor, screenshot, type Editor } from './browser';
import { registeredTransports } from '../../lib/transports';
import { startSshd, sshdTerminalProblem } from '../peers/sshd';

// The pack's dialogs as a user meets them, in Debian's Chromium against a real Node-RED and a
// simulated Sentry3 PDU: the outlet picker and "test connection" work from the dialog's UNSAVED
// settings, secrets typed there never come back, and the dialogs read well.

const SECRET = 'typed-secret-4711';

describe('the pack\'s dialogs (headless Chromium, simulated PDU)', function () {
  this.timeout(90000);
  let sim: SimDevice;
  let editor: Editor;
  let page: Page;

  before(async function () {
    sim = await startSim('sentry3', { port: 0, outlets: 8, locked: [] });
    editor = await openEditor();
    // Deployed: the config with its communities stored; its port is changed in the dialog only.
    const flows = [
      { id: 'tab1', type: 'tab', label: 'rack 12' },
      {
        id: 'cfg1', type: 'pdu-config', name: 'rack-12', transport: 'snmp', host: '127.0.0.1', port: String(sim.port), profile: 'auto',
        snmpVersion: '2c', timeout: 500, retries: 0, locked: 'server-02', groups: [{ name: 'web', outlets: '1,3' }], extra: {},
        credentials: { readCommunity: 'public', writeCommunity: 'private' },
      },
      { id: 'out1', type: 'pdu-outlet', z: 'tab1', x: 200, y: 100, device: 'cfg1', outlet: 'server-01', action: 'off', verify: true, wires: [[]] },
      { id: 'st1', type: 'pdu-status', z: 'tab1', x: 200, y: 200, device: 'cfg1', interval: 0, thresholds: [{ metric: 'inputCurrent', high: '16' }], wires: [[], []] },
    ];
    const deployed = await editor.red.request('POST', '/flows', flows, { 'Node-RED-Deployment-Type': 'full' });
    assert.strictEqual(deployed.status, 204, deployed.text);
    await editor.reload();
    page = editor.page;
  });

  after(async function () {
    await editor?.close();
    await sim?.stop();
  });


  it('POST /rack-power/describe: outlets with state, locked flag and groups, from unsaved settings and the stored credentials', async function () {
    const answer = await editor.red.request('POST', '/rack-power/describe', {
      id: 'cfg1',
      config: { transport: 'snmp', host: '127.0.0.1', port: String(sim.port), profile: 'auto', snmpVersion: '2c', timeout: 500, retries: 0,
        locked: 'server-02', groups: [{ name: 'db', outlets: '4, server-05' }] },
      credentials: { readCommunity: '__PWRD__', writeCommunity: '__PWRD__' },
    });
    assert.strictEqual(answer.status, 200, answer.text);
    const body = JSON.parse(answer.text);
    assert.strictEqual(body.profile, 'sentry3');
    assert.strictEqual(body.outlets.length, 8);
    assert.deepStrictEqual(body.outlets[0], { index: 1, id: body.outlets[0].id, name: 'server-01', state: 'on', locked: false, groups: [] });
    assert.strictEqual(body.outlets[1].locked, true, 'server-02 is on the unsaved locked list');
    assert.deepStrictEqual(body.groups, [{ name: 'db', outlets: [4, 5] }], 'the unsaved groups, not the deployed ones');
    assert.deepStrictEqual(body.outlets[3].groups, ['db']);
  });

  it('a typed secret that is wrong comes back as the device\'s error, never echoed, never logged', async function () {
    const answer = await editor.red.request('POST', '/rack-power/describe', {
      id: 'cfg1',
      config: { transport: 'snmp', host: '127.0.0.1', port: String(sim.port), profile: 'auto', snmpVersion: '2c', timeout: 300, retries: 0 },
      credentials: { readCommunity: SECRET, writeCommunity: SECRET },
    });
    assert.strictEqual(answer.status, 502);
    assert.match(JSON.parse(answer.text).error, /answer|timed out|respon/i);
    assert.ok(!answer.text.includes(SECRET), answer.text);
    assert.ok(!editor.red.output().includes(SECRET), 'Node-RED logged the typed secret');
  });

  it('pdu-outlet: "Pick" lists the outlets (id, name, state, locked) and the groups; ticks fill the outlet field', async function () {
    await editor.editNode('out1');
    await page.locator('#node-input-outlet-pick').click();
    await page.waitForSelector('.rp-picker-table tr.rp-picker-outlet');
    const rows = await page.locator('.rp-picker-table tr.rp-picker-outlet').allInnerTexts();
    assert.strictEqual(rows.length, 8);
    assert.match(rows[0], /1\s+\S+\s+server-01\s+on/);
    assert.match(rows[1], /locked/, 'the locked outlet is marked');
    assert.ok(await page.locator('tr.rp-picker-outlet[data-index="2"] input').isDisabled(), 'a locked outlet cannot be picked for switching');
    assert.match((await page.locator('.rp-picker-table tr.rp-picker-group').allInnerTexts()).join('|'), /web\s+1, 3/);
    assert.ok(await page.locator('tr.rp-picker-outlet[data-index="1"] input').isChecked(), 'the configured outlet is ticked');
    await page.locator('tr.rp-picker-outlet[data-index="4"] input').check();
    await page.locator('tr.rp-picker-group input').check();
    assert.strictEqual(await page.inputValue('#node-input-outlet'), 'server-01, server-04, web');
    await screenshot(page, 'pdu-outlet-picker');
    await editor.cancel();
  });

  it('pdu-outlet: "Pick" works for a device config added in the editor and not yet deployed, with the communities typed there', async function () {
    await editor.editNode('out1');
    await page.locator('#node-input-btn-device-add').click();
    await page.waitForSelector('#node-config-input-transport', { state: 'visible' });
    await page.locator('#node-config-input-name').fill('rack-14');
    await page.locator('#node-config-input-host').fill('127.0.0.1');
    await page.locator('#node-config-input-port').fill(String(sim.port));
    await page.locator('#node-config-input-readCommunity').fill('public');
    await page.locator('#node-config-dialog-ok').click();
    await page.waitForSelector('#node-config-input-transport', { state: 'detached' });
    await page.waitForFunction(() => /rack-14/.test(document.querySelector('#node-input-device option:checked')?.textContent ?? ''));
    await page.locator('#node-input-outlet-pick').click();
    await page.waitForSelector('.rp-picker-table tr.rp-picker-outlet, .rp-picker-error');
    assert.strictEqual(await page.locator('.rp-picker-error').count(), 0, await page.locator('#node-input-outlet-picker').innerText());
    assert.strictEqual(await page.locator('.rp-picker-table tr.rp-picker-outlet').count(), 8);
    assert.strictEqual(await page.locator('.rp-picker-table tr.rp-picker-group').count(), 0, 'the new config has no groups');
    await editor.cancel();
  });

  it('pdu-config: "Test connection" describes the UNSAVED settings and shows the device, or the exact error', async function () {
    await editor.editConfig('cfg1');
    await page.locator('#node-config-input-port').fill('1');
    await page.locator('#node-config-input-test').click();
    await page.waitForSelector('#rp-test-result.rp-test-failed');
    const failed = await page.locator('#rp-test-result').innerText();
    assert.match(failed, /127\.0\.0\.1:1\b/, `the error names the unsaved address: ${failed}`);
    await page.locator('#node-config-input-port').fill(String(sim.port));
    await page.locator('#node-config-input-test').click();
    await page.waitForSelector('#rp-test-result.rp-test-ok');
    assert.match(await page.locator('#rp-test-result').innerText(), /profile sentry3, 8 outlets \(1 locked\)/);
    await screenshot(page, 'pdu-config-test-connection');
    await editor.cancel();
  });

  it('pdu-config: "Test connection" over SSH shows the host key, and its link pins it', async function () {
    const problem = sshdTerminalProblem();
    if (problem) {
      this.test!.title += ` (skipped: ${problem})`;
      this.skip();
    }
    const sshd = await startSshd({ methods: 'publickey' });
    try {
      await editor.editConfig('cfg1');
      await page.selectOption('#node-config-input-transport', 'ssh');
      await page.selectOption('#node-config-input-profile', 'sentry-cli');
      await page.locator('#node-config-input-port').fill(String(sshd.port));
      await page.locator('#node-config-input-timeout').fill('3000');
      await page.locator('#node-config-input-username').fill(sshd.user);
      if (sshd.password) await page.locator('#node-config-input-password').fill(sshd.password);
      await page.locator('#node-config-input-privateKey').fill(sshd.clientKey);
      // The deployed config's locked outlet is named for the SNMP PDU; the power manager has no such outlet.
      await page.locator('#node-config-input-locked').fill('');
      await page.locator('#node-config-input-test').click();
      await page.waitForSelector('#rp-test-result.rp-test-ok, #rp-test-result.rp-test-failed', { timeout: 20000 });
      const text = await page.locator('#rp-test-result').innerText();
      assert.match(text, /profile sentry-cli, 8 outlets/);
      assert.ok(text.includes(`SSH host key ${sshd.fingerprint}, not pinned`), text);
      await page.locator('#rp-pin-host-key').click();
      assert.strictEqual(await page.locator('#node-config-input-hostKey').inputValue(), sshd.fingerprint);
      await page.locator('#node-config-input-test').click();
      await page.waitForFunction(() => /\(pinned\)/.test(document.querySelector('#rp-test-result')?.textContent ?? ''), undefined, { timeout: 20000 });
      assert.ok(!editor.red.output().includes(sshd.clientKey.split('\n')[1]), 'Node-RED logged the private key');
      await editor.cancel();
    } finally {
      await sshd.stop();
    }
  });

  it('pdu-config: the transports offered, and the rows each shows, come from the registry', async function () {
    await editor.editConfig('cfg1');
    const ids = registeredTransports().map((t) => t.id);
    await page.waitForFunction((count) => document.querySelectorAll('#node-config-input-transport option').length === count, ids.length);
    assert.deepStrictEqual(await page.locator('#node-config-input-transport option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value)), ids);
    const visible = (selector: string) => page.evaluate((s) => Array.from(document.querySelectorAll(s))
      .filter((e) => (e as HTMLElement).offsetParent !== null).map((e) => e.getAttribute('data-rp-field') ?? e.id), selector);
    for (const transport of registeredTransports()) {
      await page.selectOption('#node-config-input-transport', transport.id);
      const shown = await visible('[data-rp-field]');
      assert.deepStrictEqual(shown.filter((field) => !transport.editorFields.includes(field!)), [], `${transport.id}: rows it does not list`);
      const always = await page.evaluate(() => Array.from(document.querySelectorAll('[data-rp-field]:not([data-rp-when])')).map((e) => e.getAttribute('data-rp-field')));
      for (const field of transport.editorFields.filter((f) => always.includes(f))) assert.ok(shown.includes(field), `${transport.id}: "${field}" hidden`);
      assert.strictEqual((await visible('.rp-host')).length, transport.address === 'host' ? 1 : 0, `${transport.id}: host row`);
      if (transport.address === 'host') assert.strictEqual(await page.getAttribute('#node-config-input-port', 'placeholder'), String(transport.defaultPort ?? ''));
    }
    // The conditions on top: SNMP's version and level, NUT's STARTTLS.
    await page.selectOption('#node-config-input-transport', 'snmp');
    await page.selectOption('#node-config-input-snmpVersion', '2c');
    assert.ok(!(await visible('[data-rp-field]')).includes('username'), 'no username on v2c');
    await page.selectOption('#node-config-input-snmpVersion', '3');
    await page.selectOption('#node-config-input-securityLevel', 'authPriv');
    const v3 = await visible('[data-rp-field]');
    for (const field of ['username', 'authKey', 'privKey', 'engineID']) assert.ok(v3.includes(field), `v3 authPriv shows ${field}`);
    assert.ok(!v3.includes('readCommunity'), 'no community on v3');
    await page.selectOption('#node-config-input-securityLevel', 'authNoPriv');
    assert.ok(!(await visible('[data-rp-field]')).includes('privKey'), 'no privacy key on authNoPriv');
    await page.selectOption('#node-config-input-transport', 'telnet');
    assert.ok((await visible('[data-rp-field]')).includes('username'), 'Telnet asks for a username whatever the SNMP version says');
    await page.selectOption('#node-config-input-transport', 'nut');
    assert.ok(!(await visible('[data-rp-field]')).includes('nutCaFile'));
    await page.locator('#node-config-input-nutStarttls').check();
    assert.ok((await visible('[data-rp-field]')).includes('nutCaFile'), 'the CA file with STARTTLS');
    await editor.cancel();
  });

  it('pdu-config: serial port search lists the host\'s ports (or says there are none)', async function () {
    await editor.editConfig('cfg1');
    await page.selectOption('#node-config-input-transport', 'serial');
    await page.locator('#node-config-input-serialPath-search').click();
    await page.waitForFunction(() => !/searching/.test(document.querySelector('#rp-serial-ports')?.textContent ?? 'searching'));
    const text = await page.locator('#rp-serial-ports').innerText();
    assert.ok(/no serial port found/.test(text) || (await page.locator('#rp-serial-ports a.rp-serial-port').count()) > 0, text);
    await editor.cancel();
  });

  it('pdu-config reads well: one-line labels, real labels on the custom command line, defaults and hints shown', async function () {
    await editor.editConfig('cfg1');
    await page.waitForFunction(() => document.querySelectorAll('#node-config-input-profile option').length > 5);
    const profiles = await page.locator('#node-config-input-profile option').allInnerTexts();
    assert.ok(!profiles.some((text) => /\)\s*\(/.test(text)), `doubled parentheses: ${profiles.join(' | ')}`);
    assert.match(await page.locator('.rp-community').filter({ has: page.locator('#node-config-input-writeCommunity') }).innerText(), /needed for switching/);
    assert.strictEqual(await page.getAttribute('#node-config-input-minOffTime', 'placeholder'), '0');
    assert.match(await page.locator('#node-config-input-nativeReboot').locator('..').innerText(), /15 s/);
    for (const [transport, profile] of [['snmp', 'sentry3'], ['telnet', 'custom-cli']]) {
      await page.selectOption('#node-config-input-transport', transport);
      await page.waitForFunction((id) => Array.from(document.querySelectorAll('#node-config-input-profile option')).some((o) => (o as HTMLOptionElement).value === id), profile);
      await page.selectOption('#node-config-input-profile', profile);
      const wrapped = await page.evaluate(() => Array.from(document.querySelectorAll('.red-ui-tray-body .form-row > label'))
        .filter((label) => (label as HTMLElement).offsetParent !== null && label.getClientRects().length > 0)
        .filter((label) => (label as HTMLElement).offsetHeight > 24 || (label as HTMLElement).scrollWidth > (label as HTMLElement).clientWidth + 1)
        .map((label) => (label as HTMLElement).innerText));
      assert.deepStrictEqual(wrapped, [], `${transport}: labels on more than one line or cut`);
    }
    const unlabelled = await page.evaluate(() => Array.from(document.querySelectorAll('.rp-custom input[type=text], .rp-custom select'))
      .filter((input) => (input as HTMLElement).offsetParent !== null)
      .filter((input) => !(document.querySelector(`label[for="${input.id}"]`)?.textContent ?? '').trim())
      .map((input) => input.id));
    assert.deepStrictEqual(unlabelled, [], 'every custom command line field has a label of its own');
    await screenshot(page, 'pdu-config-custom-cli');
    await page.selectOption('#node-config-input-transport', 'snmp');
    await screenshot(page, 'pdu-config-snmp');
    await editor.cancel();
  });

  it('pdu-status: the threshold rows fit the list; ups-nut shows no empty tip box', async function () {
    await editor.editNode('st1');
    await page.waitForSelector('#node-input-thresholds-list .rp-metric');
    const clipped = await page.evaluate(() => {
      const container = document.querySelector('#node-input-thresholds-list')!.closest('.red-ui-editableList-container') as HTMLElement;
      const row = document.querySelector('#node-input-thresholds-list li') as HTMLElement;
      const box = container.getBoundingClientRect();
      return Array.from(row.querySelectorAll('input, select, a')).filter((el) => {
        const rect = el.getBoundingClientRect();
        return rect.right > box.right + 0.5 || rect.bottom > box.bottom + 0.5;
      }).map((el) => el.className);
    });
    assert.deepStrictEqual(clipped, [], 'threshold row fields cut off');
    await editor.cancel();

    await page.evaluate(() => {
      const RED = (window as any).RED;
      RED.view.importNodes([{ id: 'ups1', type: 'ups-nut', x: 400, y: 300, z: RED.workspaces.active(), mode: 'poll', wires: [[], []] }]);
    });
    await editor.editNode('ups1');
    const emptyTips = await page.evaluate(() => Array.from(document.querySelectorAll('.red-ui-tray-body .form-tips'))
      .filter((tip) => (tip as HTMLElement).offsetParent !== null && !(tip.textContent ?? '').trim()).length);
    assert.strictEqual(emptyTips, 0, 'an empty tip box is shown');
    await editor.cancel();
  });

  it('pdu-status: an outlet current row picks its outlets from the device', async function () {
    await editor.editNode('st1');
    await page.locator('.node-input-thresholds-container-row .red-ui-editableList-addButton').click();
    const row = page.locator('#node-input-thresholds-list li').nth(1);
    await row.locator('.rp-metric').selectOption('outletCurrent');
    await row.locator('.rp-high').fill('2');
    await row.locator('.rp-pick').click();
    await row.locator('tr.rp-picker-outlet').first().waitFor();
    assert.strictEqual(await row.locator('tr.rp-picker-outlet[data-index="2"] input').isDisabled(), false, 'a locked outlet may be watched');
    await row.locator('tr.rp-picker-outlet[data-index="5"] input').check();
    await row.locator('tr.rp-picker-group input').check();
    assert.strictEqual(await row.locator('.rp-outlets').inputValue(), 'server-05, web');
    const overlap = await page.evaluate(() => {
      const list = document.querySelector('#node-input-thresholds-list')!.closest('.red-ui-editableList-container')!.getBoundingClientRect();
      const picker = document.querySelector('#node-input-thresholds-list .rp-picker-table')!.getBoundingClientRect();
      const repeat = document.querySelector('#node-input-repeat')!.getBoundingClientRect();
      return { pickerOutside: picker.bottom > list.bottom + 0.5, repeatUnderList: repeat.top < list.bottom };
    });
    assert.deepStrictEqual(overlap, { pickerOutside: false, repeatUnderList: false }, 'the open picker is cut off or covers the fields below');
    assert.strictEqual(await page.locator('#node-input-thresholds-list li').first().locator('.rp-threshold-outlets').isVisible(), false,
      'an input current row has no outlets');
    await screenshot(page, 'pdu-status-thresholds');
    await page.locator('#node-dialog-ok').click();
    await page.waitForFunction(() => document.querySelectorAll('.red-ui-tray').length === 0);
    const saved = await page.evaluate(() => (window as any).RED.nodes.node('st1').thresholds);
    assert.deepStrictEqual(saved, [{ metric: 'inputCurrent', low: '', high: '16' }, { metric: 'outletCurrent', low: '', high: '2', outlets: 'server-05, web' }]);
  });

  it('ups-nut: threshold and timer rows, kept as typed, that fit their lists', async function () {
    await page.evaluate(() => {
      const RED = (window as any).RED;
      RED.view.importNodes([{ id: 'upsRows', type: 'ups-nut', x: 400, y: 400, z: RED.workspaces.active(), mode: 'poll',
        thresholds: [{ variable: 'battery.charge', low: '50', high: '', severity: 'critical' }], wires: [[], []] }]);
    });
    await editor.editNode('upsRows');
    await page.waitForSelector('#node-input-thresholds-list .rp-variable');
    assert.strictEqual(await page.locator('#node-input-thresholds-list .rp-severity').inputValue(), 'critical');
    await page.locator('.rp-list-row:has(#node-input-thresholds-list) .red-ui-editableList-addButton').click();
    const threshold = page.locator('#node-input-thresholds-list li').nth(1);
    await threshold.locator('.rp-variable').fill('input.voltage');
    await threshold.locator('.rp-low').fill('207');
    await threshold.locator('.rp-high').fill('253');
    await page.locator('.rp-list-row:has(#node-input-timers-list) .red-ui-editableList-addButton').click();
    const timer = page.locator('#node-input-timers-list li').first();
    await timer.locator('.rp-timer-name').fill('onbattTimer');
    await timer.locator('.rp-start').fill('ONBATT');
    await timer.locator('.rp-seconds').fill('120');
    await timer.locator('.rp-cancel').fill('ONLINE');
    await timer.locator('.rp-severity').selectOption('critical');
    const clipped = await page.evaluate(() => ['#node-input-thresholds-list', '#node-input-timers-list'].flatMap((list) => {
      const box = document.querySelector(list)!.closest('.red-ui-editableList-container')!.getBoundingClientRect();
      return Array.from(document.querySelectorAll(`${list} li input, ${list} li select`)).filter((el) => {
        const rect = el.getBoundingClientRect();
        return rect.right > box.right + 0.5 || rect.bottom > box.bottom + 0.5;
      }).map((el) => el.className);
    }));
    assert.deepStrictEqual(clipped, [], 'row fields cut off');
    await screenshot(page, 'ups-nut-thresholds-timers');
    await page.locator('#node-dialog-ok').click();
    await page.waitForFunction(() => document.querySelectorAll('.red-ui-tray').length === 0);
    const saved = await page.evaluate(() => {
      const node = (window as any).RED.nodes.node('upsRows');
      return { thresholds: node.thresholds, timers: node.timers };
    });
    assert.deepStrictEqual(saved, {
      thresholds: [
        { variable: 'battery.charge', low: '50', high: '', severity: 'critical' },
        { variable: 'input.voltage', low: '207', high: '253', severity: 'warning' },
      ],
      timers: [{ name: 'onbattTimer', start: 'ONBATT', seconds: '120', cancel: 'ONLINE', severity: 'critical' }],
    });
  });

  it('node labels say what the node does, and every output has a label', async function () {
    const labels = await page.evaluate(() => {
      const RED = (window as any).RED;
      const label = (id: string) => RED.utils.getNodeLabel(RED.nodes.node(id));
      return { outlet: label('out1'), status: label('st1') };
    });
    assert.deepStrictEqual(labels, { outlet: 'off server-01 @ rack-12', status: 'status rack-12' });
    const missing = await page.evaluate(() => {
      const RED = (window as any).RED;
      return ['pdu-outlet', 'pdu-status', 'pdu-trap-in', 'ups-nut'].filter((type) => {
        const definition = RED.nodes.getType(type);
        if (!definition.outputs) return false;
        const node = { type, _def: definition, _: definition._, mode: 'poll' };
        const outputLabels = definition.outputLabels;
        return typeof outputLabels !== 'function' || !outputLabels.call(node, 0);
      });
    });
    assert.deepStrictEqual(missing, [], 'nodes without output labels');
  });

  it('raised no script error in the editor', function () {
    assert.deepStrictEqual(editor.errors(), []);
  });
});

describe('POST /rack-power/describe needs write permission (Node-RED with adminAuth)', function () {
  this.timeout(60000);
  let red: NodeRedProcess;

  before(async function () {
    // Node-RED's own bcrypt, as `node-red admin hash-pw` uses it.
    const bcrypt = require(require.resolve('bcryptjs', { paths: [path.dirname(require.resolve('node-red/package.json'))] }));
    const hash = bcrypt.hashSync('test-password', 8);
    red = await startNodeRed({
      adminAuth: { type: 'credentials', users: [
        { username: 'viewer', password: hash, permissions: 'read' },
        { username: 'operator', password: hash, permissions: '*' },
      ] },
    });
  });

  after(async function () {
    await red?.stop();
  });

  async function token(username: string, scope: string): Promise<string> {
    const answer = await red.request('POST', '/auth/token', { client_id: 'node-red-admin', grant_type: 'password', scope, username, password: 'test-password' });
    const { access_token: granted } = JSON.parse(answer.text);
    assert.ok(granted, `no token for ${username}: ${answer.text}`);
    return granted;
  }

  it('refuses a read-only user and an anonymous request; lets a user with write permission ask', async function () {
    // An address nothing answers on: the permission check comes first, the device is not the point.
    const body = { config: { transport: 'snmp', host: '127.0.0.1', port: '1', timeout: 200, retries: 0 }, credentials: { readCommunity: SECRET } };
    assert.strictEqual((await red.request('POST', '/rack-power/describe', body)).status, 401);
    const viewer = await red.request('POST', '/rack-power/describe', body, { Authorization: `Bearer ${await token('viewer', 'read')}` });
    assert.strictEqual(viewer.status, 401);
    const operator = await red.request('POST', '/rack-power/describe', body, { Authorization: `Bearer ${await token('operator', '*')}` });
    assert.strictEqual(operator.status, 502, operator.text);
    assert.ok(!operator.text.includes(SECRET));
    const ports = await red.request('GET', '/rack-power/serialports', undefined, { Authorization: `Bearer ${await token('viewer', 'read')}` });
    assert.strictEqual(ports.status, 200, 'listing serial ports only reads');
  });
});
