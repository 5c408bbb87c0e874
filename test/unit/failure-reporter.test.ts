import assert from 'assert';
import type { Node } from 'node-red';
import { FailureReporter, REMINDER_MS } from '../../nodes/shared/poll';
import { translate } from '../helpers/red';

// The poll kit's report of a run of failures, on a clock the test moves: a day-long outage of a
// device polled every 5 s is one error, a reminder every few minutes, and one line at its end.

function recorder() {
  const said: Array<[string, string]> = [];
  const node = {
    error: (error: Error) => said.push(['error', error.message]),
    warn: (text: string) => said.push(['warn', text]),
    log: (text: string) => said.push(['log', text]),
  } as unknown as Node;
  return { node, said };
}

describe('FailureReporter (the poll kit)', function () {
  it('a device dead for an hour, polled every 5 s: one error, a reminder every 5 min, one line when back', function () {
    let now = 0;
    const { node, said } = recorder();
    const reporter = new FailureReporter({ node, texts: (key, vars) => translate(`x:pdu-config.runtime.${key}`, vars), device: () => 'rack-12', everyFailure: false, now: () => now });
    for (; now < 60 * 60 * 1000; now += 5000) reporter.failed(new Error('no answer from 10.0.0.12:161'));
    reporter.succeeded();
    assert.strictEqual(said.filter(([kind]) => kind === 'error').length, 1);
    assert.strictEqual(said.filter(([kind]) => kind === 'warn').length, Math.floor((60 * 60 * 1000 - 5000) / REMINDER_MS));
    assert.match(said.find(([kind]) => kind === 'warn')![1], /^rack-12 still fails after 61 polls \(5 min\): no answer from 10\.0\.0\.12:161$/);
    assert.deepStrictEqual(said.filter(([kind]) => kind === 'log'), [['log', 'rack-12 answers again after 720 failed polls (3600 s)']]);
    reporter.succeeded();
    assert.strictEqual(said.filter(([kind]) => kind === 'log').length, 1, 'nothing while it answers');
  });

  it('with every failure to Catch: each failed poll is an error', function () {
    const { node, said } = recorder();
    const reporter = new FailureReporter({ node, texts: translate, device: () => 'rack-12', everyFailure: true });
    for (let i = 0; i < 5; i += 1) reporter.failed(new Error('timeout'));
    assert.strictEqual(said.filter(([kind]) => kind === 'error').length, 5);
  });
});
