import assert from 'assert';
import { CommandLedger, MAX_COMMAND_BYTES, parseCommand } from '../../lib/sites/commands';
import type { IncomingMessage, OutgoingMessage, SiteLink } from '../../lib/sites/link';
import { SiteSpoke } from '../../lib/sites/spoke';
import { checkTopicName, SiteTopics } from '../../lib/sites/topics';
import type { Device } from '../../lib/device/device';
import { heapAfterGc } from '../helpers/gc';
import { startLoadProbe } from '../helpers/load-probe';

// The site's command checks, its memory of commands and what it keeps while the broker is away:
// each bounded, each refusal specific. (The real broker and Node-RED are in spoke.test.ts.)

const NOW = Date.UTC(2026, 10, 30, 12);
const command = (body: Record<string, unknown>) => parseCommand(Buffer.from(JSON.stringify(body)), NOW);

/** A broker link held in memory: up or down at will, every publish recorded. */
class MemoryLink implements SiteLink {
  connected = false;
  readonly sent: OutgoingMessage[] = [];
  readonly handlers = new Map<string, (message: IncomingMessage) => void>();
  publish(message: OutgoingMessage): Promise<void> {
    if (!this.connected) return Promise.reject(new Error('down'));
    this.sent.push(message);
    return Promise.resolve();
  }
  subscribe(filter: string, handler: (message: IncomingMessage) => void): void { this.handlers.set(filter, handler); }
  unsubscribe(filter: string): void { this.handlers.delete(filter); }
}

describe('site commands: checked before anything runs', function () {
  it('reads a well-formed command, with its defaults', function () {
    const parsed = command({ id: 'a1', action: 'off', outlets: ['web-01', 3], expires: NOW + 1000 });
    assert.deepStrictEqual(parsed, {
      command: { id: 'a1', action: 'off', outlets: ['web-01', 3], expires: NOW + 1000, allowAll: false, verify: true, replyTo: undefined, requester: undefined },
    });
  });

  it('refuses each malformed part with its own reason, keeping the id to answer with', function () {
    const cases: Array<[Record<string, unknown>, RegExp, string]> = [
      [{ action: 'off', outlets: 1, expires: NOW + 1 }, /needs an "id"/, 'bad-command'],
      [{ id: 'x', action: 'cycle', outlets: 1, expires: NOW + 1 }, /"action" must be one of on, off, reboot/, 'bad-command'],
      [{ id: 'x', action: 'on', outlets: [], expires: NOW + 1 }, /"outlets" must be/, 'bad-command'],
      [{ id: 'x', action: 'on', outlets: { a: 1 }, expires: NOW + 1 }, /"outlets" must be/, 'bad-command'],
      [{ id: 'x', action: 'on', outlets: 1 }, /needs "expires"/, 'bad-command'],
      [{ id: 'x', action: 'on', outlets: 1, expires: NOW }, /expired .* not run/, 'expired'],
      [{ id: 'x', action: 'on', outlets: 1, expires: NOW + 3_600_000 }, /more than 10 minutes ahead/, 'bad-command'],
      [{ id: 'x', action: 'on', outlets: 1, expires: NOW + 1, allowAll: 'yes' }, /"allowAll" must be true or false/, 'bad-command'],
      [{ id: 'x\n', action: 'on', outlets: 1, expires: NOW + 1 }, /needs an "id"/, 'bad-command'],
      [{ id: 'x', action: 'off', outlets: 1, expires: NOW + 1, probe: { host: 'a b' } }, /"probe" must be/, 'bad-command'],
      [{ id: 'x', action: 'off', outlets: 1, expires: NOW + 1, probe: { host: 'h', port: 70000 } }, /"probe" must be/, 'bad-command'],
      [{ id: 'x', action: 'off', outlets: 1, expires: NOW + 1, probe: 'h' }, /"probe" must be/, 'bad-command'],
    ];
    for (const [body, message, code] of cases) {
      const parsed = command(body);
      assert.ok('error' in parsed, JSON.stringify(body));
      assert.match(parsed.error.message, message);
      assert.strictEqual(parsed.error.code, code);
    }
    const probed = command({ id: 'p', action: 'off', outlets: 1, expires: NOW + 1, probe: { host: 'web-01.lan', port: 22, extra: 1 } });
    assert.ok('command' in probed && JSON.stringify(probed.command.probe) === '{"host":"web-01.lan","port":22}', JSON.stringify(probed));
    const expired = command({ id: 'keep-me', action: 'on', outlets: 1, expires: NOW - 5, replyTo: 'r/1' });
    assert.ok('error' in expired && expired.id === 'keep-me' && expired.replyTo === 'r/1');
  });

  it('refuses a payload that is not a JSON object, or too large, unread', function () {
    for (const payload of ['[1,2]', 'null', '{', '"off"']) {
      const parsed = parseCommand(Buffer.from(payload), NOW);
      assert.ok('error' in parsed && /JSON object/.test(parsed.error.message), payload);
    }
    const big = parseCommand(Buffer.alloc(MAX_COMMAND_BYTES + 1, 0x20), NOW);
    assert.ok('error' in big && /larger than/.test(big.error.message));
  });

  it('topic names: one level each, no wildcard or separator, reserved words refused', function () {
    for (const bad of ['', 'a/b', 'a+', '#', 'reply', 'x'.repeat(65)]) assert.throws(() => checkTopicName('device', bad), Error, bad);
    assert.strictEqual(checkTopicName('site', ' paris-dc1 '), 'paris-dc1');
    const topics = new SiteTopics('s1');
    assert.ok(topics.acceptsReplyTopic('rackpower/v1/s1/reply/hub'));
    for (const bad of ['rackpower/v1/s2/reply/hub', 'rackpower/v1/s1/reply/', 'rackpower/v1/s1/reply/#', 'rackpower/v1/s1/rack/command']) {
      assert.ok(!topics.acceptsReplyTopic(bad), bad);
    }
  });
});

describe('site memory: bounded, never at the cost of running a command twice', function () {
  it('a known id gets the first outcome; when full of live commands, a new one is refused, not an old one forgotten', async function () {
    const ledger = new CommandLedger<string>(3);
    let runs = 0;
    const start = () => Promise.resolve(`run ${++runs}`);
    for (const id of ['a', 'b', 'c']) ledger.once(id, NOW + 1000, NOW, start);
    const again = ledger.once('a', NOW + 1000, NOW, start);
    assert.strictEqual(again.repeated, true);
    assert.strictEqual(await again.outcome, 'run 1');
    assert.throws(() => ledger.once('d', NOW + 1000, NOW, start), /more than 3 commands are remembered/);
    // Once the old ones have expired there is room again.
    const later = ledger.once('d', NOW + 5000, NOW + 2000, start);
    assert.strictEqual(await later.outcome, 'run 4');
    assert.strictEqual(ledger.size, 1);
  });

  it('keeps at most offlineLimit events while the broker is away, and says how many it dropped', function () {
    const link = new MemoryLink();
    // No rate limit here: what is kept while the broker is away, alone.
    const spoke = new SiteSpoke({ site: 's1', link, devices: [{ name: 'rack', device: {} as Device, remoteControl: false, allowAll: false }], offlineLimit: 100,
      eventRate: 1e9, eventQueue: 1e9 });
    const heap = process.memoryUsage().heapUsed;
    for (let i = 0; i < 50_000; i += 1) {
      spoke.event('rack', { event: 'outletOff', severity: 'info', device: 'rack', source: 'poll', text: `event ${i} ${'x'.repeat(200)}` });
    }
    assert.ok(process.memoryUsage().heapUsed - heap < 20 * 1024 * 1024, 'bounded while the broker is away');
    link.connected = true;
    spoke.linkUp();
    const events = link.sent.filter((m) => m.topic === 'rackpower/v1/s1/rack/event').map((m) => JSON.parse(m.payload));
    assert.strictEqual(events.length, 101);
    assert.match(events[0].text, /event 49900 /, 'the newest are kept');
    assert.strictEqual(events[100].event, 'eventsDropped');
    assert.match(events[100].text, /49900 events and audit records .* dropped/);
  });

  it('a storm of 10,000 events on one device: at most 100 a second published, 1000 waiting, the rest counted in eventsDropped; another device unhindered', async function () {
    this.timeout(10000);
    const link = new MemoryLink();
    link.connected = true;
    const logged: string[] = [];
    const devices = ['rack', 'quiet'].map((name) => ({ name, device: {} as Device, remoteControl: false, allowAll: false }));
    const spoke = new SiteSpoke({ site: 's1', link, devices, log: { warn: (text) => logged.push(text) } });
    const heapBefore = heapAfterGc();
    const probe = startLoadProbe();
    const started = Date.now();
    // As a trap listener hands them over: 500 per turn of the event loop.
    for (let burst = 0; burst < 20; burst += 1) {
      for (let i = 0; i < 500; i += 1) {
        spoke.event('rack', { event: 'outletOff', severity: i % 10 === 0 ? 'critical' : 'info', device: 'rack', source: 'trap', text: `trap ${burst * 500 + i} ${'x'.repeat(200)}` });
      }
      await new Promise((resolve) => { setImmediate(resolve); });
    }
    spoke.event('quiet', { event: 'loadHigh', severity: 'warning', device: 'quiet', source: 'poll', text: 'load high' });
    const on = (topic: string) => link.sent.filter((m) => m.topic === topic).map((m) => JSON.parse(m.payload));
    assert.deepStrictEqual(on('rackpower/v1/s1/quiet/event').map((e) => e.event), ['loadHigh'], 'the other device\'s event at once');
    await new Promise((resolve) => { setTimeout(resolve, 1500); });
    const load = probe.stop();
    const heapKept = (heapAfterGc() - heapBefore) / 1024 / 1024;
    const elapsed = (Date.now() - started) / 1000;
    spoke.stop();
    const events = on('rackpower/v1/s1/rack/event');
    const traps = events.filter((e) => e.event === 'outletOff');
    // One notice a second at most: a slow machine that spread the storm over a valve tick says it in two.
    const notices = events.filter((e) => e.event === 'eventsDropped');
    const dropped = notices.reduce((sum, notice) => sum + notice.dropped, 0);
    const stopped = /^(\d+) events of rack at site s1 were not published: the site stopped with them waiting$/.exec(logged[logged.length - 1]);
    const waiting = Number(stopped?.[1]);
    console.log(`      published ${traps.length} of 10000 in ${elapsed.toFixed(1)} s, dropped ${dropped}, ${waiting} waiting at the stop; `
      + `lag max ${load.maxLagMs.toFixed(1)} ms, heap kept ${heapKept.toFixed(2)} MiB`);
    assert.ok(traps.length >= 200 && traps.length <= 100 + Math.ceil(elapsed * 100) + 10, `${traps.length} published in ${elapsed} s`);
    assert.match(traps[0].text, /^trap 0 /, 'the first ones in order');
    assert.ok(stopped && waiting > 0 && waiting <= 1000, logged.join('\n'));
    assert.strictEqual(traps.length + waiting + dropped, 10000, 'every event published, waiting or counted');
    assert.ok(dropped >= 8000, `${dropped} dropped`);
    for (const notice of notices) {
      assert.strictEqual((notice.bySeverity.critical ?? 0) + (notice.bySeverity.info ?? 0), notice.dropped);
      assert.match(notice.text, new RegExp(`^${notice.dropped} events of rack at site s1 were not published \\(\\d+ critical, \\d+ info\\): more than 100 a second, with 1000 waiting$`));
    }
    assert.deepStrictEqual(logged.slice(0, -1), notices.map((notice) => notice.text));
    // The bound the other flood tests use: a stall (a loop over the storm) takes seconds, a loaded machine 100 ms.
    assert.ok(load.maxLagMs < 250, `event loop held up ${load.maxLagMs.toFixed(1)} ms`);
    assert.ok(heapKept < 2, `heap kept ${heapKept.toFixed(2)} MiB after the stop`);
  });

  it('answers even a refused command, on the requester\'s reply topic with its correlation data', async function () {
    const link = new MemoryLink();
    link.connected = true;
    const spoke = new SiteSpoke({ site: 's1', link, devices: [{ name: 'rack', device: {} as Device, remoteControl: false, allowAll: false }] });
    spoke.start();
    link.handlers.get('rackpower/v1/s1/rack/command')!({
      topic: 'rackpower/v1/s1/rack/command',
      payload: Buffer.from(JSON.stringify({ id: 'q', action: 'on', outlets: 1, expires: Date.now() + 1000 })),
      responseTopic: 'rackpower/v1/s1/reply/h', correlationData: Buffer.from('c'),
    });
    for (let i = 0; i < 20 && link.sent.length === 0; i += 1) await new Promise((resolve) => { setImmediate(resolve); });
    assert.strictEqual(link.sent[0].topic, 'rackpower/v1/s1/reply/h');
    assert.strictEqual(link.sent[0].correlationData?.toString(), 'c');
    assert.strictEqual(JSON.parse(link.sent[0].payload).code, 'remote-off');
  });
});
