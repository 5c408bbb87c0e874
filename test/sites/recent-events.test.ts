import assert from 'assert';
import { RecentEvents } from '../../lib/sites/recent-events';
import type { DeviceEvent } from '../../lib/types';

// The site's memory of events its devices' nodes raised, which tells a wired copy from a new event.

const off = (index: number, text = `outlet ${index} turned off`): DeviceEvent =>
  ({ event: 'outletOff', severity: 'info', device: 'rack-12', source: 'poll', text, outlet: { index, name: `web-${index}` } });

describe('site: events heard from the devices\' nodes, known again by wire', function () {
  let now = 0;
  const recent = () => new RecentEvents(() => now);
  beforeEach(function () { now = 1_000_000; });

  it('a wired copy of an event heard is taken once; a second equal one is new; another device\'s or outlet\'s is new', function () {
    const memory = recent();
    memory.heardFromNode('rack-12', off(3));
    assert.strictEqual(memory.takeWired('rack-13', off(3)), false, 'another device');
    assert.strictEqual(memory.takeWired('rack-12', off(4)), false, 'another outlet');
    assert.strictEqual(memory.takeWired('rack-12', { ...off(3) }), true, 'the copy');
    assert.strictEqual(memory.takeWired('rack-12', off(3)), false, 'a second one is a new event');
    memory.heardFromNode('rack-12', off(3));
    memory.heardFromNode('rack-12', off(3));
    assert.deepStrictEqual([memory.takeWired('rack-12', off(3)), memory.takeWired('rack-12', off(3)), memory.takeWired('rack-12', off(3))], [true, true, false]);
  });

  it('forgets after 10 s: a copy wired later is published', function () {
    const memory = recent();
    memory.heardFromNode('rack-12', off(3));
    now += 10_001;
    assert.strictEqual(memory.takeWired('rack-12', off(3)), false);
    assert.strictEqual(memory.size, 0);
  });

  it('holds at most 1000 events, the oldest going first', function () {
    const memory = recent();
    for (let i = 0; i < 100_000; i += 1) memory.heardFromNode('rack-12', off(i));
    assert.strictEqual(memory.size, 1000);
    assert.strictEqual(memory.takeWired('rack-12', off(98_999)), false, 'an old one is gone');
    assert.strictEqual(memory.takeWired('rack-12', off(99_999)), true, 'the newest is there');
  });
});
