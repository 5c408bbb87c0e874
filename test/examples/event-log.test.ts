import assert from 'assert';
import fs from 'fs';
import os from 'os';
import path from 'path';
import type { Browser, Page } from 'playwright-core';
import { startSim, type SimDevice } from '../../sim/index';
import { DEFAULT_PORTS } from '../../sim/ports';
import { DEMO_CREDENTIALS } from '../../sim/demo/credentials';
import { launchChromium } from '../editor/browser';
import { startNodeRed, type NodeRedProcess } from '../runtime/node-red-process';
import { until } from '../helpers/red';
import { readExample } from '../helpers/examples';

// examples/event-log.json in a real Node-RED with the real node-red-node-sqlite (its native
// sqlite3) and FlowFuse Dashboard 2, against the simulators it expects: events of several sources
// become rows, a device named like SQL is stored as text, retention deletes old rows, and the
// page in Debian's Chromium shows the rows and filters them.

const sqlite3 = require('sqlite3') as { Database: new (file: string, mode?: number) => SqliteDb; OPEN_READWRITE: number };
interface SqliteDb {
  all(sql: string, params: unknown[], callback: (error: Error | null, rows: Array<Record<string, any>>) => void): void;
  run(sql: string, params: unknown[], callback: (error: Error | null) => void): void;
  close(callback: () => void): void;
}

/** A device name an attacker might give, to show that names and texts never become SQL. */
const HOSTILE = "rack-12 '); DROP TABLE events; --";

describe('examples/event-log.json (SQLite event log, real Node-RED, headless Chromium)', function () {
  this.timeout(120000);
  const sims: Record<string, SimDevice> = {};
  let red: NodeRedProcess;
  let browser: Browser;
  let page: Page;
  let dbFile: string;
  let db: SqliteDb;

  const query = (sql: string, params: unknown[] = []): Promise<Array<Record<string, any>>> => new Promise((resolve, reject) => {
    db.all(sql, params, (error, rows) => (error ? reject(error) : resolve(rows)));
  });
  const rowsWhere = async (check: (rows: Array<Record<string, any>>) => boolean, what: string, ms = 20000) => {
    const deadline = Date.now() + ms;
    for (;;) {
      const rows = await query('SELECT * FROM events ORDER BY id').catch(() => []);
      if (check(rows)) return rows;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(rows.map((row) => [row.device, row.event, row.origin]))}`);
      await new Promise((resolve) => { setTimeout(resolve, 200); });
    }
  };
  const inject = async (id: string, props?: Array<Record<string, unknown>>) => {
    const answer = await red.request('POST', `/inject/${id}`, props ? { __user_inject_props__: props } : undefined);
    assert.strictEqual(answer.status, 200, answer.text);
  };

  before(async function () {
    const flow = readExample('event-log.json');
    const kinds = Object.fromEntries(Object.entries(DEFAULT_PORTS).map(([kind, port]) => [String(port), kind]));
    dbFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rack-power-log-')), 'events.db');
    for (const node of flow) {
      if (node.type === 'pdu-config') {
        sims[node.id] = await startSim(kinds[String(node.port)], { port: 0, rebootDelay: 1000 });
        node.port = String(sims[node.id].port);
        node.credentials = { ...DEMO_CREDENTIALS[node.transport] };
        if (node.transport === 'snmp') node.name = HOSTILE;
      }
      if (node.type === 'sqlitedb') node.db = dbFile;
      // Polls every second, not every 30 s: the test sees the outlet it switched at once.
      if (node.type === 'pdu-status' || node.type === 'ups-nut') node.interval = 1;
    }
    red = await startNodeRed();
    const deployed = await red.request('POST', '/flows', flow, { 'Node-RED-Deployment-Type': 'full' });
    assert.strictEqual(deployed.status, 204, deployed.text);
    await until(() => fs.existsSync(dbFile), 20000, 'the database file');
    db = new sqlite3.Database(dbFile, sqlite3.OPEN_READWRITE);
  });

  after(async function () {
    await new Promise<void>((resolve) => (db ? db.close(() => resolve()) : resolve()));
    await browser?.close();
    await red?.stop();
    for (const sim of Object.values(sims)) await sim.stop();
    if (dbFile) fs.rmSync(path.dirname(dbFile), { recursive: true, force: true });
  });

  it('writes a row for each event of several sources, with a hostile device name stored as text', async function () {
    await rowsWhere((rows) => rows.filter((row) => row.origin === 'connection').length >= 2, 'both devices connected');
    await inject('rp.log.off');
    const rows = await rowsWhere((found) => found.some((row) => row.origin === 'audit') && found.some((row) => row.origin === 'poll' && row.event === 'outletOff'),
      'the switch\'s audit row and the poll that saw it');
    const audit = rows.find((row) => row.origin === 'audit')!;
    assert.strictEqual(audit.device, HOSTILE);
    assert.strictEqual(audit.event, 'powerCommand');
    assert.strictEqual(audit.outlet, 'server-05');
    assert.match(audit.text, /off outlet 5 \(server-05\) on rack-12 '\); DROP TABLE events; --: ok, 1\/1 verified/);
    const detail = JSON.parse(audit.detail);
    assert.deepStrictEqual(detail.result.outlets.map((outlet: Record<string, unknown>) => [outlet.index, outlet.before, outlet.after, outlet.verified]),
      [[5, 'on', 'off', true]]);
    assert.deepStrictEqual(new Set(rows.filter((row) => row.origin === 'connection').map((row) => row.device)), new Set([HOSTILE, 'nut-sim']));
    for (const row of rows) assert.ok(!Number.isNaN(Date.parse(row.time)), `time ${row.time}`);
    assert.ok(!JSON.stringify(rows).includes(DEMO_CREDENTIALS.snmp.writeCommunity), 'no community in the log');
    assert.match(red.output(), /opened .*events\.db ok/);
    assert.doesNotMatch(red.output(), /SQLITE_ERROR|no such table/);
  });

  it('retention deletes rows older than its days and beyond its newest rows', async function () {
    await new Promise<void>((resolve, reject) => db.run(
      "INSERT INTO events (time, device, severity, event, text) VALUES ('2001-01-01T00:00:00.000Z', 'old-pdu', 'info', 'outletOn', 'long ago')", [],
      (error) => (error ? reject(error) : resolve())));
    assert.strictEqual((await query("SELECT * FROM events WHERE device = 'old-pdu'")).length, 1);
    await inject('rp.log.retention.tick');
    await rowsWhere((rows) => !rows.some((row) => row.device === 'old-pdu'), 'the old row deleted');
    const before = (await query('SELECT count(*) AS n FROM events'))[0].n as number;
    assert.ok(before >= 4, `recent rows stay (${before})`);
    await inject('rp.log.retention.tick', [{ p: 'payload', v: '{"days":30,"rows":2}', vt: 'json' }]);
    const kept = await rowsWhere((rows) => rows.length <= 3, 'only the newest rows kept');
    const newest = (await query('SELECT max(id) AS id FROM events'))[0].id as number;
    assert.ok(kept.every((row) => row.id > newest - 3), 'the newest ones');
  });

  it('the page shows the rows and filters them by severity, device and text (a text filter with SQL in it is just text)', async function () {
    // Something critical: the UPS server goes away (commLost of its connection).
    await sims['rp.nut.ups'].stop();
    delete sims['rp.nut.ups'];
    await rowsWhere((rows) => rows.some((row) => row.severity === 'critical' && row.device === 'nut-sim'), 'the UPS server lost');
    await inject('rp.log.on');
    await rowsWhere((rows) => rows.some((row) => row.origin === 'audit' && /on outlet 5/.test(row.text)), 'the on switch');

    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('pageerror', (error) => assert.fail(`dashboard script error: ${error.message}`));
    await page.goto(`${red.url}/dashboard/event-log`);
    await page.waitForSelector('.rp-log-row', { timeout: 30000 });
    const shown = () => page.locator('.rp-log-row').allInnerTexts();
    await page.waitForFunction(() => /on outlet 5 \(server-05\)/.test(document.querySelector('.rp-log-table')?.textContent ?? ''), undefined, { timeout: 10000 });
    assert.ok((await shown()).some((text) => text.includes(HOSTILE)), 'the hostile name shows as text');

    await page.locator('.rp-log-severity').click();
    await page.locator('.v-overlay .v-list-item', { hasText: 'critical' }).click();
    await page.waitForFunction(() => Array.from(document.querySelectorAll('.rp-log-row')).every((row) => row.getAttribute('data-severity') === 'critical')
      && document.querySelectorAll('.rp-log-row').length > 0, undefined, { timeout: 10000 });
    assert.ok((await shown()).every((text) => /critical/.test(text) && /nut-sim/.test(text)), (await shown()).join('\n'));

    await page.locator('.rp-log-severity').click();
    await page.locator('.v-overlay .v-list-item', { hasText: 'info' }).click();
    await page.locator('.rp-log-device').click();
    await page.locator('.v-overlay .v-list-item', { hasText: HOSTILE }).click();
    await page.waitForFunction((device) => {
      const rows = Array.from(document.querySelectorAll('.rp-log-row'));
      return rows.length > 0 && rows.every((row) => row.children[2]?.textContent === device);
    }, HOSTILE, { timeout: 10000 });

    await page.locator('.rp-log-text input').fill("'); DROP TABLE events; --: ok");
    await page.waitForFunction(() => {
      const rows = Array.from(document.querySelectorAll('.rp-log-row'));
      return rows.length > 0 && rows.every((row) => row.children[3]?.textContent === 'powerCommand');
    }, undefined, { timeout: 10000 });
    await page.locator('.rp-log-text input').fill('no such text anywhere');
    await page.waitForSelector('.rp-log-empty', { timeout: 10000 });
    assert.ok((await query('SELECT count(*) AS n FROM events'))[0].n > 0, 'the table is still there');
  });
});
