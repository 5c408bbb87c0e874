import assert from 'assert';
import FakeTimers from '@sinonjs/fake-timers';
import { DeviceCommandError, DeviceConfigError } from '../../lib/device/errors';
import { provideBrokers, type BrokerConnection, type IncomingMessage, type OutgoingMessage } from '../../lib/sites/link';
import { RemoteSiteDriver } from '../../lib/transports/site/driver';
import { siteAudit } from '../../lib/transports/site/site-audit';
import { siteEvent } from '../../lib/transports/site/site-event';
import { siteSettings } from '../../lib/transports/site/transport';
import type { DeviceDescription } from '../../lib/types';

// A site that receives a command and never answers (hung, or its answer lost for good) cannot be
// made with a real site on demand: an in-memory broker stands in, and fake time runs the wait out.

/** A broker held in memory: what was published, and a way to deliver retained state. */
class MemoryBroker implements BrokerConnection {
  readonly connected = true;
  readonly v5 = true;
  readonly address = 'memory';
  readonly sent: OutgoingMessage[] = [];
  private readonly handlers = new Map<string, (message: IncomingMessage) => void>();
  publish(message: OutgoingMessage): Promise<void> { this.sent.push(message); return Promise.resolve(); }
  subscribe(filter: string, handler: (message: IncomingMessage) => void): void { this.handlers.set(filter, handler); }
  unsubscribe(filter: string): void { this.handlers.delete(filter); }
  onConnection(): void { /* always connected */ }
  close(): Promise<void> { return Promise.resolve(); }
  deliver(topic: string, body: unknown): void {
    for (const [filter, handler] of this.handlers) {
      const pattern = new RegExp(`^${filter.replace(/\+/g, '[^/]+')}$`);
      if (pattern.test(topic)) handler({ topic, payload: Buffer.from(JSON.stringify(body)) });
    }
  }
}

describe('remote device (transport site): a site that never answers', function () {
  let clock: ReturnType<typeof FakeTimers.install>;
  let broker: MemoryBroker;

  beforeEach(function () {
    clock = FakeTimers.install({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    broker = new MemoryBroker();
    provideBrokers(() => broker);
  });

  afterEach(function () {
    clock.uninstall();
  });

  for (const { expiry, givesUp } of [{ expiry: 60, givesUp: 120 }, { expiry: 10, givesUp: 70 }]) {
    it(`fails the command as "not responding" when the site never answers, saying it may have run (expiry ${expiry} s: after ${givesUp} s)`, async function () {
      const driver = new RemoteSiteDriver({
        transport: 'site', host: '', port: 0, profile: '', timeout: 1000, retries: 0, credentials: {},
        settings: { broker: 'b', site: 'lab', device: 'rack-1', commandExpiry: expiry },
      });
      const described = driver.describe();
      broker.deliver('rackpower/v1/lab/status', { version: 1, site: 'lab', state: 'online' });
      broker.deliver('rackpower/v1/lab/rack-1/description', {
        version: 1, vendor: 'V', model: 'M', profile: 'p', remoteControl: true,
        capabilities: { switch: true, nativeReboot: false, outletCurrent: false, outletPower: false, moduleStatus: false, inputCurrent: false, temperature: false, humidity: false },
        outlets: [{ index: 1, id: '1', name: 'web-01', groups: [] }, { index: 2, id: '2', name: 'db-01', groups: [] }],
      });
      const description: DeviceDescription = await described;
      const sentAt = Date.now();
      const command = driver.command(description, [description.outlets[0]], 'off');
      const failure = command.then(() => undefined, (error: Error) => error);
      await clock.tickAsync(0);
      const sent = broker.sent.find((message) => message.topic === 'rackpower/v1/lab/rack-1/command');
      assert.ok(sent, 'the command went to the site');
      const body = JSON.parse(sent.payload);
      assert.deepStrictEqual({ outlets: body.outlets, expect: body.expect, allowAll: body.allowAll }, {
        outlets: [1], expect: [{ index: 1, name: 'web-01' }], allowAll: false,
      });
      assert.strictEqual(body.expires, sentAt + expiry * 1000, 'the command expires after the config\'s seconds');
      assert.ok(sent.responseTopic?.startsWith('rackpower/v1/lab/reply/'), 'v5: the answer is asked under the site\'s reply space');
      await clock.tickAsync(givesUp * 1000 - 1000);
      assert.strictEqual(await Promise.race([failure, Promise.resolve('pending')]), 'pending', 'still waiting before the site\'s time is up');
      await clock.tickAsync(2_000);
      const error = await failure;
      assert.ok(error instanceof DeviceCommandError, String(error));
      assert.match(error.message, new RegExp(`site lab did not answer the off of outlet 1 \\(web-01\\) within ${givesUp} s \\(not responding\\): it may or may not have run`));
      await driver.close();
    });
  }
});

describe('remote device (transport site): its settings', function () {
  const settings = (extra: Record<string, unknown>) => siteSettings({ mqttBroker: 'b1', site: 'paris-dc1', siteDevice: 'rack-12', ...extra });

  it('a command expires after 60 s unless set, from 5 to 600 s', function () {
    assert.deepStrictEqual(settings({}), { broker: 'b1', site: 'paris-dc1', device: 'rack-12', commandExpiry: 60 });
    assert.strictEqual(settings({ commandExpiry: '' }).commandExpiry, 60);
    assert.strictEqual(settings({ commandExpiry: '10' }).commandExpiry, 10);
    assert.strictEqual(settings({ commandExpiry: 600 }).commandExpiry, 600);
    for (const bad of ['4', '601', '2.5', 'soon', -1]) {
      assert.throws(() => settings({ commandExpiry: bad }), (error: Error) => error instanceof DeviceConfigError
        && error.message === `"Commands expire after" must be a whole number of seconds from 5 to 600 (got "${bad}")`, String(bad));
    }
  });

  it('a missing broker, site or device is a clear refusal', function () {
    assert.throws(() => siteSettings({ site: 'a', siteDevice: 'b' }), /choose the MQTT broker the site publishes on/);
    assert.throws(() => settings({ site: 'lyon/#' }), DeviceConfigError);
    assert.throws(() => settings({ siteDevice: '' }), DeviceConfigError);
  });
});

describe('remote device (transport site): what a site reports is checked field by field', function () {
  const record = (extra: Record<string, unknown> = {}) => ({
    version: 1, at: '2026-11-30T10:00:00.000Z', device: 'rack-12', requester: { id: 'n1', name: 'button' }, action: 'off',
    outlets: [{ index: 7, id: 'AA7', name: 'server-07' }], forced: false, ok: true, durationMs: 30,
    result: { action: 'off', device: 'rack-12', outlets: [{ index: 7, id: 'AA7', name: 'server-07', before: 'on', after: 'off', verified: true }], changed: 1, locked: [], durationMs: 28 },
    ...extra,
  });

  it('a power command\'s record: only its known fields, with the site named; a malformed one is not a record', function () {
    const kept = siteAudit(record({ community: 'private', requester: { id: 'n1', name: 'button', password: 'x' } }), 'paris', 'rack-12')!;
    assert.deepStrictEqual(Object.keys(kept).sort(), ['action', 'at', 'device', 'durationMs', 'forced', 'ok', 'outlets', 'requester', 'result', 'site']);
    assert.deepStrictEqual([kept.requester, kept.site, kept.result!.outlets[0].after], [{ id: 'n1', name: 'button' }, { name: 'paris', device: 'rack-12' }, 'off']);
    assert.ok(!JSON.stringify(kept).includes('private'));
    for (const bad of [{ requester: undefined }, { action: 'explode' }, { ok: 'yes' }, { outlets: 'all' }, { outlets: [{ index: '7' }] },
      { outlets: Array.from({ length: 2000 }, (_, index) => ({ index, id: '', name: '' })) }, { durationMs: Infinity }]) {
      assert.strictEqual(siteAudit(record(bad), 'paris', 'rack-12'), undefined, JSON.stringify(bad).slice(0, 80));
    }
    assert.strictEqual(siteAudit(record({ error: 'e'.repeat(5000), ok: false }), 'paris', 'rack-12')!.error!.length, 1001, 'a long error cut');
  });

  it('an event: only its known fields; the site\'s connection events and malformed ones are not taken', function () {
    const base = { version: 1, event: 'outletOff', severity: 'warning', source: 'trap', text: 'off', device: 'rack-12' };
    assert.deepStrictEqual(siteEvent({ ...base, community: 'private', outlet: { index: 3, name: 'web', secret: 'x' } }, 'paris', 'rack-12'), {
      event: 'outletOff', severity: 'warning', device: 'rack-12', source: 'trap', text: 'off', site: { name: 'paris', device: 'rack-12' },
      outlet: { index: 3, name: 'web' },
    });
    for (const bad of [{ event: 'commLost' }, { event: 'commRestored' }, { severity: 'loud' }, { source: 'email' }, { text: 5 }, { event: 'x'.repeat(200) }]) {
      assert.strictEqual(siteEvent({ ...base, ...bad }, 'paris', 'rack-12'), undefined, JSON.stringify(bad).slice(0, 60));
    }
  });
});
