import assert from 'assert';
import FakeTimers from '@sinonjs/fake-timers';
import type { SwitchResult } from '../../lib/device/device';
import { checkPlan, type PlanStep } from '../../lib/automation/sequence-plan';
import { timerClock } from '../../lib/automation/sequence-wait';
import { newRun, SequenceRun, type RunState, type SequenceEnvironment } from '../../lib/automation/sequence-runner';

// The plan checker and the runner on their own: a scripted world and fake time, so that plans of
// hours run in milliseconds and every timing is exact.

const devices = new Set(['rack-1', 'rack-2']);
const check = (plan: unknown): PlanStep[] => checkPlan(plan, { device: (ref) => (devices.has(ref) ? undefined : `no device config "${ref}"`) });

interface World {
  env: SequenceEnvironment;
  /** `t=<seconds> off rack-1 3` for every switch, and what was saved. */
  log: string[];
  saved: Array<RunState | undefined>;
  /** When the probe starts answering (ms since the start); never when undefined. */
  answersFrom?: number;
}

function world(clock: ReturnType<typeof FakeTimers.install>): World {
  const start = clock.now;
  const w: World = { log: [], saved: [], env: undefined as never };
  w.env = {
    switch: async (step) => {
      await new Promise((resolve) => { setTimeout(resolve, 100); });
      const indexes = [step.outlets].flat().map(Number);
      w.log.push(`t=${(clock.now - start) / 1000} ${step.action} ${step.device} ${indexes.join(',')}`);
      const after = step.action === 'off' ? 'off' : 'on';
      return {
        action: step.action, device: step.device!, changed: indexes.length, locked: [], durationMs: 100,
        outlets: indexes.map((index) => ({ index, id: `.A${index}`, name: `server-0${index}`, before: after === 'on' ? 'off' : 'on', after, verified: true })),
      } as SwitchResult;
    },
    resolve: async (_device, outlets) => [outlets].flat().map(Number),
    deviceName: (ref) => ref,
    probe: async (target) => ({ answering: w.answersFrom !== undefined && clock.now - start >= w.answersFrom, method: `tcp ${target.host}:${target.port}`, detail: 'x' }),
    outletCurrent: async () => 0,
    upsStatus: async () => ['OB'],
    save: async (state) => { w.saved.push(JSON.parse(JSON.stringify(state))); },
    forget: async () => { w.saved.push(undefined); },
    pollInterval: 5000,
  };
  return w;
}

describe('power sequences: plan check and runner (fake time)', function () {
  let clock: ReturnType<typeof FakeTimers.install>;

  beforeEach(function () {
    clock = FakeTimers.install({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });

  afterEach(function () {
    clock.uninstall();
  });

  it('checks every step: defaults, numbers given as text, and each mistake named with its step', function () {
    assert.deepStrictEqual(check([
      { action: 'OFF', device: 'rack-1', outlets: 'web-01' },
      { action: 'delay', seconds: '30' },
      { action: 'tcp', host: 'nas', port: '445', onFailure: 'continue', label: ' nas up ' },
    ]), [
      { label: '', action: 'off', device: 'rack-1', outlets: 'web-01', onFailure: 'stop' },
      { label: '', action: 'delay', seconds: 30, onFailure: 'stop' },
      { label: 'nas up', action: 'tcp', host: 'nas', port: 445, timeout: 60, onFailure: 'continue' },
    ]);
    const refused: Array<[unknown, string]> = [
      [[{ action: 'current', device: 'rack-1', outlets: [1, 2], above: 1 }], 'step 1: a current step reads one outlet'],
      [[{ action: 'ping', host: 'a b' }], 'step 1: host must be a host name or address, not "a b"'],
      [[{ action: 'delay', seconds: 86_401 }], 'step 1: seconds must be a number of seconds above 0 and at most 86400, not 86401'],
      [[{ action: 'on', device: 'rack-1', outlets: 1, allowAll: 'yes' }], 'step 1: allowAll must be true or false'],
      [[{ action: 'ups-online', device: 'rack-1', ups: 'a;b' }], 'step 1: ups must be a UPS name such as "ups"'],
      [[{ action: 'current', device: 'rack-1', outlets: 1, above: 'lots' }], 'step 1: above must be a current in amperes (0-1000), not "lots"'],
      [[null], 'step 1: a step must be an object'],
      [Array.from({ length: 201 }, () => ({ action: 'delay', seconds: 1 })), 'the plan has 201 steps; at most 200'],
    ];
    for (const [plan, message] of refused) assert.throws(() => check(plan), { name: 'PlanError', message });
  });

  it('runs an hour-long power-on in order: each step waits for the one before, delays to the second', async function () {
    const w = world(clock);
    w.answersFrom = 3_700_000;
    const plan = check([
      { action: 'on', device: 'rack-1', outlets: 1 },
      { action: 'delay', seconds: 3600 },
      { label: 'nas', action: 'tcp', host: 'nas', port: 445, timeout: 600 },
      { action: 'on', device: 'rack-2', outlets: [2, 3] },
    ]);
    const running = new SequenceRun({ ...w.env }, newRun(plan, clock.now, 'r1')).run();
    await clock.runAllAsync();
    const report = (await running)!;
    assert.strictEqual(report.outcome, 'ok');
    // The NAS answers at 3700 s: the first check after it (every 5 s from 3600.1 s) is at 3700.1 s.
    assert.deepStrictEqual(w.log, ['t=0.1 on rack-1 1', 't=3700.2 on rack-2 2,3']);
    assert.deepStrictEqual(report.steps.map((step) => step.durationMs), [100, 3_600_000, 100_000, 100]);
    assert.strictEqual(w.saved.length, 5, 'saved before each step, forgotten at the end');
    assert.deepStrictEqual(w.saved.slice(0, 4).map((state) => state!.step), [0, 1, 2, 3]);
    assert.strictEqual(w.saved[4], undefined);
  });

  it('a delay is never short, even when a timer fires a millisecond before the clock says so (as Node\'s can)', async function () {
    const w = world(clock);
    const early = { now: () => Date.now(), sleep: (ms: number, signal?: AbortSignal) => timerClock.sleep(Math.max(1, ms - 1), signal) };
    const plan = check([{ action: 'delay', seconds: 2 }]);
    const running = new SequenceRun({ ...w.env, clock: early }, newRun(plan, clock.now, 'r6')).run();
    await clock.runAllAsync();
    const report = (await running)!;
    assert.strictEqual(report.outcome, 'ok');
    assert.ok(report.steps[0].durationMs >= 2000, `the delay lasted ${report.steps[0].durationMs} ms`);
  });

  it('a delay\'s reported duration is never short of it, however long saving the progress takes (a file store)', async function () {
    const w = world(clock);
    const save = w.env.save;
    w.env.save = async (state) => {
      await new Promise((resolve) => { setTimeout(resolve, 250); });
      await save(state);
    };
    const plan = check([{ action: 'off', device: 'rack-1', outlets: 1 }, { action: 'delay', seconds: 2 }, { action: 'on', device: 'rack-1', outlets: 1 }]);
    const running = new SequenceRun(w.env, newRun(plan, clock.now, 'r7')).run();
    await clock.runAllAsync();
    const report = (await running)!;
    assert.strictEqual(report.outcome, 'ok');
    assert.ok(report.steps[1].durationMs >= 2000, `the delay lasted ${report.steps[1].durationMs} ms`);
    // The off at 0.25 + 0.1 s; the on at least 2 s after it.
    assert.deepStrictEqual(w.log, ['t=0.35 off rack-1 1', 't=2.7 on rack-1 1']);
  });

  it('a wait times out exactly at its timeout, and stops the plan', async function () {
    const w = world(clock);
    const plan = check([{ action: 'tcp', host: 'nas', port: 445, timeout: 600 }, { action: 'on', device: 'rack-1', outlets: 1 }]);
    const running = new SequenceRun(w.env, newRun(plan, clock.now, 'r2')).run();
    await clock.runAllAsync();
    const report = (await running)!;
    assert.deepStrictEqual(report.steps.map((step) => [step.outcome, step.durationMs]), [['failed', 600_000], ['skipped', 0]]);
    assert.strictEqual(report.steps[0].error, 'not met within 600 s (last: tcp nas:445: x)');
    assert.deepStrictEqual(w.log, []);
  });

  it('a wait that can never be met (no current measured) fails at once, saying why', async function () {
    const w = world(clock);
    w.env.outletCurrent = async () => undefined;
    const plan = check([{ action: 'current', device: 'rack-1', outlets: 3, above: 0.5, timeout: 600 }]);
    const running = new SequenceRun(w.env, newRun(plan, clock.now, 'r5')).run();
    await clock.runAllAsync();
    const report = (await running)!;
    assert.deepStrictEqual(report.steps.map((step) => [step.outcome, step.durationMs, step.error]),
      [['failed', 0, 'cannot be met: the device does not measure this outlet\'s current']]);
  });

  it('resumes a saved plan at its step in flight, keeping what it had done and turned off', async function () {
    const w = world(clock);
    const plan = check([
      { action: 'off', device: 'rack-1', outlets: [4, 5] },
      { action: 'delay', seconds: 60 },
      { action: 'on', device: 'rack-1', outlets: [4, 5] },
    ]);
    const first = new SequenceRun(w.env, newRun(plan, clock.now, 'r3'));
    const cut = first.run();
    await clock.tickAsync(30_000);
    first.halt();
    await clock.runAllAsync();
    assert.strictEqual(await cut, undefined, 'a halted run has no report');
    const saved = w.saved[w.saved.length - 1]!;
    assert.deepStrictEqual([saved.step, saved.turnedOff], [1, { 'rack-1': [{ index: 4, id: '.A4', name: 'server-04' }, { index: 5, id: '.A5', name: 'server-05' }] }]);

    const resumed = new SequenceRun(w.env, saved).run();
    await clock.runAllAsync();
    const report = (await resumed)!;
    assert.strictEqual(report.outcome, 'ok');
    assert.deepStrictEqual(report.steps.map((step) => step.outcome), ['ok', 'ok', 'ok']);
    // The delay started at 0.1 s; the 30 s it ran before the halt count: on at 60.1 s + 0.1 s.
    assert.deepStrictEqual(w.log, ['t=0.1 off rack-1 4,5', 't=60.2 on rack-1 4,5']);
    assert.deepStrictEqual(report.leftOff, []);
  });

  it('a delay resumed after a downtime longer than itself ends at once; one whose saved start lies ahead (clock set back) waits in full', async function () {
    const plan = check([
      { action: 'off', device: 'rack-1', outlets: 4 },
      { action: 'delay', seconds: 60 },
      { action: 'on', device: 'rack-1', outlets: 4 },
    ]);
    const haltedInDelay = async (w: World): Promise<RunState> => {
      const first = new SequenceRun(w.env, newRun(plan, clock.now, 'r6'));
      const cut = first.run();
      await clock.tickAsync(10_000);
      first.halt();
      await clock.runAllAsync();
      await cut;
      return w.saved[w.saved.length - 1]!;
    };

    const late = world(clock);
    const saved = await haltedInDelay(late);
    await clock.tickAsync(120_000);
    const resumed = new SequenceRun(late.env, saved).run();
    await clock.runAllAsync();
    assert.strictEqual((await resumed)!.outcome, 'ok');
    assert.deepStrictEqual(late.log, ['t=0.1 off rack-1 4', 't=130.1 on rack-1 4']);

    const setBack = world(clock);
    const ahead = { ...(await haltedInDelay(setBack)), stepStartedAt: clock.now + 3_600_000 };
    const resumedAhead = new SequenceRun(setBack.env, ahead).run();
    await clock.runAllAsync();
    assert.strictEqual((await resumedAhead)!.outcome, 'ok');
    assert.deepStrictEqual(setBack.log, ['t=0.1 off rack-1 4', 't=70.1 on rack-1 4'], 'the full 60 s from the resume at 10 s');
  });

  it('cancel during a switch lets it finish, then stops: "cancelled at step 1", and names what it left off', async function () {
    const w = world(clock);
    const plan = check([{ action: 'off', device: 'rack-2', outlets: 7 }, { action: 'delay', seconds: 5 }, { action: 'on', device: 'rack-2', outlets: 7 }]);
    const run = new SequenceRun(w.env, newRun(plan, clock.now, 'r4'));
    const running = run.run();
    await clock.tickAsync(50);
    run.cancel();
    await clock.runAllAsync();
    const report = (await running)!;
    assert.deepStrictEqual(report.steps.map((step) => step.outcome), ['ok', 'skipped', 'skipped']);
    assert.strictEqual(report.outcome, 'cancelled');
    assert.strictEqual(report.text, 'cancelled at step 1; left off on rack-2: outlet 7 (server-07)');
  });
});
