import fs from 'fs';
import path from 'path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startNodeRed, type NodeRedProcess } from '../runtime/node-red-process';

// Debian's Chromium driving a real Node-RED's editor, shared by the editor and dashboard tests;
// they also take the README's screenshots (docs/images/).

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const IMAGES = path.resolve(__dirname, '../../docs/images');

export interface Editor {
  red: NodeRedProcess;
  browser: Browser;
  page: Page;
  /** Script errors the page raised so far (resource misses left out). */
  errors(): string[];
  reload(): Promise<void>;
  editNode(id: string): Promise<void>;
  editConfig(id: string): Promise<void>;
  /** Cancel the open dialog and wait until its tray is gone (the next one must not find its fields). */
  cancel(): Promise<void>;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: test/peers/ensure-peers.sh installs Debian's chromium`);
  return chromium.launch({
    executablePath: CHROMIUM,
    // Root needs --no-sandbox; the rest keeps Chromium from calling home during a test.
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

export async function openEditor(settings: Record<string, unknown> = {}): Promise<Editor> {
  const red = await startNodeRed(settings);
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => { if (message.type() === 'error') errors.push(message.text()); });
  const ready = () => page.waitForFunction(() => (window as any).RED?.nodes?.getType?.('pdu-config') !== undefined
    && (window as any).RED.workspaces?.active?.(), undefined, { timeout: 30000 });
  await page.goto(red.url);
  await ready();
  return {
    red,
    browser,
    page,
    errors: () => errors.filter((text) => !/favicon|Failed to load resource/.test(text)),
    async reload() {
      await page.reload();
      await ready();
    },
    async editNode(id: string) {
      await page.evaluate((nodeId) => { const RED = (window as any).RED; RED.editor.edit(RED.nodes.node(nodeId)); }, id);
      await page.waitForSelector('#node-dialog-ok', { state: 'visible' });
      await page.waitForSelector('#node-input-name', { state: 'visible' });
    },
    async editConfig(id: string) {
      await page.evaluate((nodeId) => (window as any).RED.editor.editConfig('', 'pdu-config', nodeId), id);
      await page.waitForSelector('#node-config-input-transport', { state: 'visible' });
    },
    async cancel() {
      await page.locator('#node-config-dialog-cancel, #node-dialog-cancel').first().click();
      await page.waitForFunction(() => document.querySelectorAll('.red-ui-tray').length === 0);
    },
    async close() {
      await browser.close();
      await red.stop();
    },
  };
}

/** The open dialog tray (or, `whole`, the full page) as docs/images/<name>.png, for the README. */
export async function screenshot(page: Page, name: string, whole = false): Promise<void> {
  fs.mkdirSync(IMAGES, { recursive: true });
  const file = path.join(IMAGES, `${name}.png`);
  // Node-RED's passing notifications ("Imported 1 node") are not part of the picture.
  await page.evaluate(() => document.querySelectorAll('.red-ui-notification').forEach((note) => note.remove()));
  const tray = page.locator('.red-ui-tray').last();
  if (!whole && await tray.count() > 0 && await tray.isVisible()) await tray.screenshot({ path: file });
  else await page.screenshot({ path: file, fullPage: whole });
}
