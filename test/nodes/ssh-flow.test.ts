import assert from 'assert';
import { describeUnsaved } from '../../nodes/pdu-config/describe';
import { collect, helper, loadFlow, until } from '../helpers/red';
import { startSshd, sshdTerminalProblem, type Sshd } from '../peers/sshd';

type Msg = Record<string, any>;

// pdu-outlet over a pdu-config whose transport is SSH, against a real sshd in front of the
// power-manager simulator; and the dialog's Test connection showing the host key to pin.

describe('pdu-outlet over SSH (sentry-cli behind a real OpenSSH sshd)', function () {
  this.timeout(30000);
  let sshd: Sshd;

  beforeEach(async function () {
    const problem = sshdTerminalProblem();
    if (problem) {
      this.currentTest!.title += ` (skipped: ${problem})`;
      this.skip();
    }
    sshd = await startSshd({ methods: 'publickey' });
  });

  afterEach(async function () {
    await helper.unload();
    await sshd?.stop();
  });

  function config(extra: Record<string, unknown> = {}) {
    return {
      node: {
        id: 'cfg', type: 'pdu-config', name: 'pm-ssh', transport: 'ssh', host: '127.0.0.1', port: String(sshd.port),
        profile: 'sentry-cli', timeout: '2000', extra: { loginTimeout: 8 }, ...extra,
      },
      credentials: { username: sshd.user, password: sshd.password, privateKey: sshd.clientKey },
    };
  }

  async function load(extra: Record<string, unknown> = {}) {
    const cfg = config(extra);
    await loadFlow([
      cfg.node,
      { id: 'out', type: 'pdu-outlet', device: 'cfg', outlet: '', action: 'msg', verify: true, wires: [['result']] },
      { id: 'result', type: 'helper' },
      { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
      { id: 'caught', type: 'helper' },
    ], { cfg: cfg.credentials });
    return { out: helper.getNode('out'), results: collect<Msg>(helper.getNode('result')), caught: collect<Msg>(helper.getNode('caught')) };
  }

  it('turns an outlet off by name over a pinned SSH connection and verifies it', async function () {
    const { out, results } = await load({ hostKey: sshd.fingerprint });
    out.receive({ payload: 'off', outlet: 'firewall' });
    const [msg] = await until(() => results.length > 0 && results, 15000, 'result');
    assert.deepStrictEqual(msg.payload.outlets, [{ index: 3, id: '.A3', name: 'firewall', before: 'on', after: 'off', verified: true }]);
    assert.strictEqual(sshd.simStatus()!.outlets[2], false);
  });

  it('a changed host key reaches the Catch node naming both fingerprints, and nothing is switched', async function () {
    const pinned = `SHA256:${'x'.repeat(42)}A`;
    const { out, results, caught } = await load({ hostKey: pinned });
    out.receive({ payload: 'off', outlet: 2 });
    const [error] = await until(() => caught.length > 0 && caught, 15000, 'error');
    assert.match(error.error.message, new RegExp(`host key changed: expected ${pinned}, got ${sshd.fingerprint.replace(/[+/]/g, '\\$&')}`));
    assert.strictEqual(results.length, 0);
    assert.strictEqual(sshd.simStatus(), undefined, 'no session on the device');
  });

  it('Test connection (the dialog\'s describe) shows the host key to pin, and says it is not pinned yet', async function () {
    const cfg = config();
    const answer = await describeUnsaved(cfg.node, cfg.credentials);
    assert.deepStrictEqual(answer.hostKey, { fingerprint: sshd.fingerprint, pinned: false });
    assert.strictEqual(answer.outlets.length, 8);
    const pinned = await describeUnsaved({ ...cfg.node, hostKey: sshd.fingerprint }, cfg.credentials);
    assert.deepStrictEqual(pinned.hostKey, { fingerprint: sshd.fingerprint, pinned: true });
  });

  it('refuses a host key that is not a SHA256 fingerprint at deploy time, with what it should look like', async function () {
    const cfg = config({ hostKey: 'ssh-ed25519 AAAAC3Nza' });
    await assert.rejects(describeUnsaved(cfg.node, cfg.credentials),
      /host key "ssh-ed25519 AAAAC3Nza" is not an SSH SHA256 fingerprint \(SHA256: and 43 base64 characters/);
  });
});
