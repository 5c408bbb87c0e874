import assert from 'assert';
import fs from 'fs';
import path from 'path';
import { packedFiles } from './packed-install';

// What `npm publish` would ship: the nodes, the library, the simulators, the example flows (and
// nothing else under examples/, or Node-RED lists no example at all), the licence, and none of
// the demo's files, which need the repository around them.

const REPO = path.resolve(__dirname, '../..');

describe('the npm package', function () {
  this.timeout(60000);
  let files: string[];

  before(function () {
    files = packedFiles();
  });

  it('ships the Apache-2.0 licence text that package.json names', function () {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
    assert.strictEqual(pkg.license, 'Apache-2.0');
    assert.ok(files.includes('LICENSE'), 'LICENSE in the tarball');
    const text = fs.readFileSync(path.join(REPO, 'LICENSE'), 'utf8');
    assert.match(text, /Apache License\s+Version 2\.0, January 2004/);
    assert.match(text, /END OF TERMS AND CONDITIONS/);
  });

  it('ships every node the package registers, with its editor file and catalog', function () {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
    for (const file of Object.values<string>(pkg['node-red'].nodes)) {
      assert.ok(files.includes(file), file);
      assert.ok(files.includes(file.replace(/\.js$/, '.html')), `${file} html`);
      const name = path.basename(file, '.js');
      assert.ok(files.includes(`${path.dirname(file)}/locales/en-US/${name}.json`), `${name} messages`);
    }
    assert.ok(files.includes(pkg.bin['rack-power-sim']), 'the simulator command');
    assert.ok(files.includes('mibs/RACK-POWER-MIB.txt'), 'the MIB of pdu-trap-out\'s notifications');
  });

  it('has only flows under examples/ (Node-RED drops the folder when its first entry is not one)', function () {
    const examples = files.filter((file) => file.startsWith('examples/'));
    assert.ok(examples.length > 5, `${examples.length} examples`);
    for (const file of examples) assert.match(file, /^examples\/[\w-]+\.json$/, file);
  });

  it('ships no demo-only file, no source, no test', function () {
    const unwanted = files.filter((file) => /^sim\/demo(\.|\/)|^test\/|^bench\/|\.ts$|\.map$|^\.demo\//.test(file));
    assert.deepStrictEqual(unwanted, []);
  });
});
