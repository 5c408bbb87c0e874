import assert from 'assert';
import { exampleFlows } from '../../sim/demo/userdir';
import { openEditor, type Editor } from './browser';

// Every example as a user sees it on its own tab: no node, comments included, starts off the
// canvas's left or top edge, where the editor cannot scroll to it (a long comment centred near
// the edge is cut off). Widths are the editor's own, measured after it drew each tab.

describe('examples on the canvas (headless Chromium)', function () {
  this.timeout(120000);
  let editor: Editor;

  before(async function () {
    editor = await openEditor();
    // Deployed with every tab disabled: the editor draws them, no node starts (no device, port or file).
    const { flows } = exampleFlows();
    const disabled = (flows as Array<Record<string, unknown>>).map((node) => (node.type === 'tab' ? { ...node, disabled: true } : node));
    const deployed = await editor.red.request('POST', '/flows', disabled, { 'Node-RED-Deployment-Type': 'full' });
    assert.strictEqual(deployed.status, 204, deployed.text);
    await editor.reload();
  });

  after(async function () {
    await editor?.close();
  });

  it('every node of every example lies inside the canvas', async function () {
    const { page } = editor;
    const tabs = await page.evaluate(() => {
      const found: Array<{ id: string; label: string }> = [];
      (window as any).RED.nodes.eachWorkspace((tab: { id: string; label: string }) => found.push({ id: tab.id, label: tab.label }));
      return found;
    });
    assert.ok(tabs.length >= 15, `the examples' tabs: ${tabs.length}`);
    const outside: string[] = [];
    for (const tab of tabs) {
      await page.evaluate((id) => (window as any).RED.workspaces.show(id), tab.id);
      // Widths exist once the tab is drawn.
      await page.waitForFunction((id) => (window as any).RED.nodes.filterNodes({ z: id }).every((node: { w?: number }) => node.w), tab.id, { timeout: 10000 });
      outside.push(...await page.evaluate((id) => (window as any).RED.nodes.filterNodes({ z: id })
        .filter((node: { x: number; y: number; w: number; h: number }) => node.x - node.w / 2 < 0 || node.y - node.h / 2 < 0)
        .map((node: { type: string; id: string; x: number; y: number; w: number; h: number }) => `${node.type} ${node.id}: left ${Math.round(node.x - node.w / 2)}, top ${Math.round(node.y - node.h / 2)}`), tab.id)
        .then((list: string[]) => list.map((line) => `${tab.label}: ${line}`)));
    }
    assert.deepStrictEqual(outside, []);
    assert.deepStrictEqual(editor.errors(), []);
  });
});
