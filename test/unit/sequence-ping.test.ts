import assert from 'assert';
import { execFileSync, spawnSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';

// A sequence's ping step as an unprivileged user runs it (Node-RED as a service user): the system's
// ping command works when it may send ICMP; a ping that may not fails the step at once and says
// why, instead of waiting out the timeout as if the host were down.

const NOBODY = 65534;

/** One check of a ping step, run by `node` as an unprivileged user with `pathFirst` first on PATH. */
function pingAsUser(pathFirst?: string): { met: boolean; detail: string; hopeless?: boolean; tookMs: number } {
  const wait = path.resolve(__dirname, '../../lib/automation/sequence-wait.js');
  const probe = path.resolve(__dirname, '../../lib/device/probe.js');
  const script = `const { waitFor } = require(${JSON.stringify(wait)}); const { probeAppliance } = require(${JSON.stringify(probe)});
    const started = Date.now();
    const clock = { now: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };
    waitFor({ action: 'ping', host: '127.0.0.1', timeout: 5, onFailure: 'stop', label: '' }, { probe: probeAppliance }, clock, new AbortController().signal, 500)
      .then((outcome) => console.log(JSON.stringify({ ...outcome, tookMs: Date.now() - started })));`;
  const env = { ...process.env, PATH: [pathFirst, process.env.PATH].filter(Boolean).join(':') };
  const asRoot = process.getuid?.() === 0;
  const command = asRoot ? 'setpriv' : process.execPath;
  const args = asRoot ? [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', process.execPath, '-e', script] : ['-e', script];
  const result = spawnSync(command, args, { env, cwd: os.tmpdir(), encoding: 'utf8', timeout: 20000 });
  assert.strictEqual(result.status, 0, result.stderr);
  return JSON.parse(result.stdout);
}

/** Whether Linux lets this group open ICMP datagram sockets (ping without privileges). */
function groupMayPing(gid: number): boolean {
  const [low, high] = fs.readFileSync('/proc/sys/net/ipv4/ping_group_range', 'utf8').trim().split(/\s+/).map(Number);
  return gid >= low && gid <= high;
}

describe('power sequences: ping steps without root', function () {
  this.timeout(30000);

  before(function () {
    if (process.platform !== 'linux' || (process.getuid?.() === 0 && spawnSync('setpriv', ['--version']).error)) this.skip();
  });

  it('the system ping answers for an unprivileged user (or the step says why it cannot)', function () {
    const outcome = pingAsUser();
    if (outcome.met) {
      assert.strictEqual(outcome.detail, 'ping 127.0.0.1: echo reply');
    } else {
      assert.match(outcome.detail, /this user may not ping/);
      assert.ok(outcome.tookMs < 4000, 'failed at once, not after the timeout');
    }
  });

  it('a ping command without privileges: the step fails at once with the reason and what to do', function () {
    const gid = process.getuid?.() === 0 ? NOBODY : process.getgid!();
    // A copy of ping loses its setuid bit and file capabilities: what a system without them has.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rp-ping-'));
    fs.chmodSync(dir, 0o755);
    try {
      const system = execFileSync('sh', ['-c', 'command -v ping'], { encoding: 'utf8' }).trim();
      fs.copyFileSync(system, path.join(dir, 'ping'));
      fs.chmodSync(path.join(dir, 'ping'), 0o755);
      const outcome = pingAsUser(dir);
      if (groupMayPing(gid)) {
        assert.ok(outcome.met, `ICMP sockets are open to group ${gid}: ${outcome.detail}`);
        return;
      }
      assert.strictEqual(outcome.met, false);
      assert.strictEqual(outcome.hopeless, true, 'given up before the timeout');
      assert.match(outcome.detail, /^ping 127\.0\.0\.1: this user may not ping \(.*(Operation not permitted|permission denied|cap_net_raw).*\): give the ping command cap_net_raw, let the user's group use ICMP sockets \(sysctl net\.ipv4\.ping_group_range\), or use a tcp step instead$/i);
      assert.ok(outcome.tookMs < 4000, `failed at once, not after the 5 s timeout (${outcome.tookMs} ms)`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
