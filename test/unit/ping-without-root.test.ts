import assert from 'assert';
import { execFileSync, spawnSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';

// Ping as an unprivileged user runs it (Node-RED as a service user): the system's ping command
// works when it may send ICMP. A ping that may not is no host that does not answer: a sequence's
// ping step fails at once and says why, instead of waiting out its timeout, and the appliance
// check refuses the off, since it cannot tell whether the appliance still runs.

const NOBODY = 65534;
type Msg = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Run `script` with node as an unprivileged user, `pathFirst` first on PATH; its last line of output is JSON. */
function runAsUser(script: string, pathFirst?: string): Msg {
  const env = { ...process.env, PATH: [pathFirst, process.env.PATH].filter(Boolean).join(':') };
  const asRoot = process.getuid?.() === 0;
  const command = asRoot ? 'setpriv' : process.execPath;
  const args = asRoot ? [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', process.execPath, '-e', script] : ['-e', script];
  const result = spawnSync(command, args, { env, cwd: os.tmpdir(), encoding: 'utf8', timeout: 20000 });
  assert.strictEqual(result.status, 0, result.stderr);
  return JSON.parse(result.stdout.trim().split('\n').pop()!);
}

const compiled = (file: string): string => JSON.stringify(path.resolve(__dirname, '../..', file));

/** One check of a ping step, as an unprivileged user. */
function pingStepAsUser(pathFirst?: string): Msg {
  return runAsUser(`const { waitFor } = require(${compiled('lib/automation/sequence-wait.js')});
    const { probeAppliance } = require(${compiled('lib/device/probe.js')});
    const started = Date.now();
    const clock = { now: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };
    waitFor({ action: 'ping', host: '127.0.0.1', timeout: 5, onFailure: 'stop', label: '' }, { probe: probeAppliance }, clock, new AbortController().signal, 500)
      .then((outcome) => console.log(JSON.stringify({ ...outcome, tookMs: Date.now() - started })));`, pathFirst);
}

/**
 * An off with the appliance check by ping, as an unprivileged user, on the Sentry2 simulator:
 * the error, and the SETs the simulator received.
 */
function applianceOffAsUser(pathFirst?: string): Msg {
  return runAsUser(`const { Device } = require(${compiled('lib/device/device.js')});
    const { driverFor } = require(${compiled('test/helpers/drivers.js')});
    const { simDevice } = require(${compiled('test/helpers/sim.js')});
    (async () => {
      const sim = await simDevice('sentry2');
      const pdu = new Device({ name: 'rack-12', driver: driverFor({ transport: 'snmp', host: '127.0.0.1', port: sim.port,
        profile: 'sentry2', timeout: 300, retries: 0, snmpVersion: '2c', credentials: { readCommunity: 'public', writeCommunity: 'private' } }) });
      const error = await pdu.switch({ targets: 3, action: 'off', probe: { host: '127.0.0.1', timeout: 1000 } }).then(() => undefined, (e) => e);
      const sets = sim.sets.length;
      await pdu.close();
      await sim.stop();
      console.log(JSON.stringify({ error: error && error.message, code: error && error.code, sets }));
    })();`, pathFirst);
}

/** A copy of the system's ping: it loses its setuid bit and file capabilities, as on a system without them. */
function withStrippedPing<T>(use: (dir: string) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rp-ping-'));
  fs.chmodSync(dir, 0o755);
  try {
    const system = execFileSync('sh', ['-c', 'command -v ping'], { encoding: 'utf8' }).trim();
    fs.copyFileSync(system, path.join(dir, 'ping'));
    fs.chmodSync(path.join(dir, 'ping'), 0o755);
    return use(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const NOT_PERMITTED = String.raw`this user may not ping \(.*(Operation not permitted|permission denied|cap_net_raw).*\): give the ping command cap_net_raw, let the user's group use ICMP sockets \(sysctl net\.ipv4\.ping_group_range\), or probe a TCP port of the host instead`;

/** Whether Linux lets this group open ICMP datagram sockets (ping without privileges). */
function groupMayPing(gid: number): boolean {
  const [low, high] = fs.readFileSync('/proc/sys/net/ipv4/ping_group_range', 'utf8').trim().split(/\s+/).map(Number);
  return gid >= low && gid <= high;
}

describe('ping without root: sequence steps and the appliance check', function () {
  this.timeout(30000);
  const gid = (): number => (process.getuid?.() === 0 ? NOBODY : process.getgid!());

  before(function () {
    if (process.platform !== 'linux' || (process.getuid?.() === 0 && spawnSync('setpriv', ['--version']).error)) this.skip();
  });

  it('the system ping answers for an unprivileged user (or the step says why it cannot)', function () {
    const outcome = pingStepAsUser();
    if (outcome.met) {
      assert.strictEqual(outcome.detail, 'ping 127.0.0.1: echo reply');
    } else {
      assert.match(outcome.detail, /this user may not ping/);
      assert.ok(outcome.tookMs < 4000, 'failed at once, not after the timeout');
    }
  });

  it('a ping command without privileges: the step fails at once with the reason and what to do', function () {
    withStrippedPing((dir) => {
      const outcome = pingStepAsUser(dir);
      if (groupMayPing(gid())) {
        assert.ok(outcome.met, `ICMP sockets are open to group ${gid()}: ${outcome.detail}`);
        return;
      }
      assert.strictEqual(outcome.met, false);
      assert.strictEqual(outcome.hopeless, true, 'given up before the timeout');
      assert.match(outcome.detail, new RegExp(`^ping 127\\.0\\.0\\.1: ${NOT_PERMITTED}$`, 'i'));
      assert.ok(outcome.tookMs < 4000, `failed at once, not after the 5 s timeout (${outcome.tookMs} ms)`);
    });
  });

  it('a ping command without privileges: the appliance check refuses the off (it cannot look), nothing is sent', function () {
    withStrippedPing((dir) => {
      const outcome = applianceOffAsUser(dir);
      assert.strictEqual(outcome.code, 'appliance-answering', String(outcome.error));
      assert.strictEqual(outcome.sets, 0, 'no SET reached the PDU');
      if (groupMayPing(gid())) {
        assert.match(outcome.error, /the appliance answers \(ping 127\.0\.0\.1: echo reply\)/);
        return;
      }
      assert.match(outcome.error, new RegExp(`^refused to off outlet 3 \\(\\S+\\) on rack-12: cannot tell whether the appliance answers \\(ping 127\\.0\\.0\\.1: ${NOT_PERMITTED}\\); set msg\\.force to true to override$`, 'i'));
    });
  });
});
