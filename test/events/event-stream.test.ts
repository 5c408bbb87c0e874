import assert from 'assert';
import FakeTimers from '@sinonjs/fake-timers';
import type { AuditRecord } from '../../lib/device/device';
import { eventFilter } from '../../lib/events/event-filter';
import { EventValve } from '../../lib/events/event-valve';
import { auditEvent, ConnectionEvents, streamEvent, type StreamEvent } from '../../lib/events/stream-event';
import type { DeviceEvent, Severity } from '../../lib/types';

const event = (name: string, severity: Severity = 'info', source: DeviceEvent['source'] = 'poll'): StreamEvent =>
  streamEvent({ event: name, severity, device: 'rack-12', source, text: name });

describe('event stream: filter, connection events, audit events, the valve', function () {
  it('filters by least severity, names with wildcards, and origins', function () {
    const names = (filter: ReturnType<typeof eventFilter>, events: StreamEvent[]) => events.filter(filter).map((e) => e.event);
    const all = [event('outletOff'), event('outletOn'), event('commLost', 'critical'), event('ONBATT', 'warning', 'nut'), event('outlet.x', 'info', 'trap')];
    assert.deepStrictEqual(names(eventFilter({}), all), ['outletOff', 'outletOn', 'commLost', 'ONBATT', 'outlet.x']);
    assert.deepStrictEqual(names(eventFilter({ severity: 'warning' }), all), ['commLost', 'ONBATT']);
    assert.deepStrictEqual(names(eventFilter({ events: 'outlet*, commLost' }), all), ['outletOff', 'outletOn', 'commLost', 'outlet.x']);
    assert.deepStrictEqual(names(eventFilter({ events: 'outletO?? ONBATT' }), all), ['outletOff', 'ONBATT']);
    assert.deepStrictEqual(names(eventFilter({ origins: ['ups', 'trap'] }), all), ['ONBATT', 'outlet.x']);
    assert.deepStrictEqual(names(eventFilter({ events: 'outlet.x' }), [event('outletXx'), event('outlet.x')]), ['outlet.x'], 'a dot is a dot');
  });

  it('says what is wrong with a filter', function () {
    assert.throws(() => eventFilter({ severity: 'loud' }), /^Error: minimum severity "loud" is not info, warning or critical$/);
    assert.throws(() => eventFilter({ origins: ['poll', 'email'] }), /^Error: event source "email" is not one of poll, trap, ups, connection, audit, device$/);
    assert.throws(() => eventFilter({ events: 'a|b' }), /event name "a\|b" may only hold letters, digits/);
  });

  it('turns connection states into connected, commLost and commRestored, once each change', function () {
    const watch = new ConnectionEvents();
    const seen = (['connecting', 'connected', 'connected', 'disconnected', 'error', 'connecting', 'connected'] as const)
      .map((state) => watch.change('rack-12', state, state === 'disconnected' ? 'no answer' : ''))
      .filter(Boolean).map((e) => [e!.event, e!.severity, e!.origin, e!.text]);
    assert.deepStrictEqual(seen, [
      ['connected', 'info', 'connection', 'rack-12: connected'],
      ['commLost', 'critical', 'connection', 'rack-12: communication lost (no answer)'],
      ['commRestored', 'info', 'connection', 'rack-12: communication restored'],
    ]);
  });

  it('makes a failed power command a warning that says why, with the whole record', function () {
    const record: AuditRecord = {
      at: '2026-01-01T00:00:00.000Z', device: 'rack-12', requester: { id: 'n1' }, action: 'off',
      outlets: [{ index: 3, id: '3', name: 'web-03' }, { index: 4, id: '4', name: '' }], forced: true, ok: false,
      error: 'no answer from 10.0.0.5 within 2000 ms; outlet states unknown', durationMs: 2004,
    };
    const audit = auditEvent(record);
    assert.deepStrictEqual([audit.event, audit.severity, audit.origin, audit.source, audit.value], ['powerCommand', 'warning', 'audit', 'command', 'off']);
    assert.strictEqual(audit.text, 'n1 off (forced) outlets 3 (web-03), 4 on rack-12: failed: no answer from 10.0.0.5 within 2000 ms; outlet states unknown in 2004 ms');
    assert.strictEqual(audit.audit, record);
  });

  describe('the valve', function () {
    let clock: ReturnType<typeof FakeTimers.install>;
    beforeEach(function () { clock = FakeTimers.install({ toFake: ['setInterval', 'clearInterval', 'Date'] }); });
    afterEach(function () { clock.uninstall(); });

    it('sends at most its rate, queues at most its queue, and reports the rest once a second by severity', function () {
      const sent: number[] = [];
      const reports: Array<[number, Partial<Record<Severity, number>>]> = [];
      const valve = new EventValve<number>({
        rate: 10, queue: 5, send: (item) => sent.push(item), dropped: (count, by) => reports.push([count, by]),
        severity: (item) => (item % 2 ? 'critical' : 'info'),
      });
      for (let item = 0; item < 100; item += 1) valve.push(item);
      assert.deepStrictEqual(sent, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 'the first second\'s worth at once');
      assert.strictEqual(valve.queued, 5);
      clock.tick(100);
      assert.deepStrictEqual(sent.slice(10), [10], 'then one per tenth of a second');
      assert.deepStrictEqual(reports, [[85, { info: 42, critical: 43 }]]);
      clock.tick(1000);
      assert.deepStrictEqual(sent.slice(10), [10, 11, 12, 13, 14]);
      assert.strictEqual(reports.length, 1, 'nothing more to report');
      valve.push(100);
      clock.tick(100);
      assert.deepStrictEqual([valve.sent, valve.droppedTotal, valve.queued], [16, 85, 0]);
      clock.tick(5000);
      assert.strictEqual(clock.countTimers(), 0, 'an idle valve holds no timer');
      valve.stop();
    });
  });
});
