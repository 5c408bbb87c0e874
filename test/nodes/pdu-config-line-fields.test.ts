import assert from 'assert';
import fs from 'fs';
import path from 'path';

// The editor's Telnet, serial and PowerMan fields (no browser here): every label has its text,
// and every field stored in `extra` is one the transports read.

const DIR = path.resolve(__dirname, '../../nodes/pdu-config');
const html = fs.readFileSync(path.join(DIR, 'pdu-config.html'), 'utf8');
const messages = JSON.parse(fs.readFileSync(path.join(DIR, 'locales/en-US/pdu-config.json'), 'utf8'));

/** Keys the CLI settings (lib/transports/cli/settings.ts), the user-defined dialect and PowerMan read. */
const KNOWN = [
  'idleTime', 'loginTimeout', 'dtr', 'nodes',
  'cliPrompt', 'cliUsernamePrompt', 'cliPasswordPrompt', 'cliLoginFailed', 'cliLoginCommand', 'cliEol', 'cliWake', 'cliStatus',
  'cliStatusLine', 'cliOnWord', 'cliOffWord', 'cliOn', 'cliOff', 'cliReboot', 'cliPager', 'cliPagerAnswer', 'cliRefused',
  'cliLogout', 'cliNumber',
];

describe('pdu-config editor: Telnet, serial and PowerMan fields', function () {
  it('has a message for every data-i18n key', function () {
    const keys = [...html.matchAll(/data-i18n="(?:\[placeholder\])?pdu-config\.([\w.]+)"/g)].map((m) => m[1]);
    assert.ok(keys.length > 30);
    for (const key of keys) {
      const text = key.split('.').reduce((node: any, part) => node?.[part], messages['pdu-config']);
      assert.strictEqual(typeof text, 'string', `pdu-config.${key}`);
    }
  });

  it('stores only settings the transports read, each field once', function () {
    // Fields in the template, and the user-defined command line's text fields that the dialog builds from its list.
    const custom = html.slice(html.indexOf('const customFields = {'), html.indexOf('};', html.indexOf('const customFields = {')));
    const fields = [...html.matchAll(/class="rp-extra" data-key="(\w+)"/g), ...custom.matchAll(/\['(\w+)', '/g)].map((m) => m[1]);
    assert.deepStrictEqual([...fields].sort(), [...KNOWN].sort());
    const source = ['lib/transports/cli/settings.ts', 'lib/profiles/cli/custom-cli.ts', 'lib/transports/powerman/transport.ts']
      .map((file) => fs.readFileSync(path.resolve(__dirname, '../..', file), 'utf8')).join('\n');
    for (const field of fields) assert.match(source, new RegExp(`\\b${field}\\??:`), field);
  });
});

describe('pdu-config editor: rows come from the transport registry', function () {
  const rows = new Set([...html.matchAll(/data-rp-field="(\w+)"/g)].map((m) => m[1]));

  it('has a row for every field a registered transport lists, and no row that none lists', function () {
    // Loaded here, not at the top: registering the transports is this test's subject.
    const { registeredTransports } = require('../../lib/transports') as typeof import('../../lib/transports');
    const listed = new Set(registeredTransports().flatMap((t) => [...t.editorFields]));
    for (const t of registeredTransports()) {
      for (const field of t.editorFields) assert.ok(rows.has(field), `${t.id} lists "${field}" but the dialog has no data-rp-field="${field}" row`);
    }
    assert.deepStrictEqual([...rows].filter((row) => !listed.has(row)), [], 'rows no transport shows');
  });

  it('offers no transport by hand: the drop-down is filled from GET rack-power/transports', function () {
    assert.match(html, /<select id="node-config-input-transport"><\/select>/);
    assert.match(html, /getJSON\('rack-power\/transports'\)/);
  });
});
