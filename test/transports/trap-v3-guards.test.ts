import assert from 'assert';
import dgram from 'dgram';
import * as snmp from 'net-snmp';
import { TrapListener, type DropReason, type TrapSubscriber } from '../../lib/transports/snmp/trap-listener';
import { capturePacket, freeUdpPort, netSnmp, sendRaw } from '../helpers/traps';
import { heapAfterGc } from '../helpers/gc';

// The SNMPv3 guards of the trap listener against hostile senders, with Net-SNMP's snmptrap and
// snmpinform as the legitimate peers: a flood of packets under a known user with ever new engine
// IDs (each would cost a megabyte of hashing and a permanent entry in net-snmp's key cache), and
// replays (RFC 3414 timeliness, and exact copies inside the window).

const USER = { name: 'trapuser', auth: 'authpass123', priv: 'aespriv123' };
const ENGINE = '8000000001020304';
const TRAP = '1.3.6.1.6.3.1.1.5.1';
const v3Args = ['-v', '3', '-l', 'authPriv', '-u', USER.name, '-a', 'SHA', '-A', USER.auth, '-x', 'AES', '-X', USER.priv];
const user: snmp.User = {
  name: USER.name, level: snmp.SecurityLevel.authPriv, authProtocol: snmp.AuthProtocols.sha, authKey: USER.auth,
  privProtocol: snmp.PrivProtocols.aes, privKey: USER.priv,
};

/** A listener on a free loopback port with one subscriber that records what it gets. */
async function listen(engineID?: string) {
  const port = await freeUdpPort();
  const listener = new TrapListener(port, { address6: false });
  const traps: Array<{ kind: string; engineID?: string }> = [];
  // Counted, and the first few kept: a flood's thousands of drops would weigh on the heap measured.
  const counts: Partial<Record<DropReason, number>> = {};
  const drops: Array<{ reason: DropReason; detail: string }> = [];
  let dropped = 0;
  const subscriber: TrapSubscriber = {
    sources: [{ name: 'lab-pdu', communities: [], users: [{ user, engineID }] }],
    anySource: true,
    onTrap: (notification) => traps.push({ kind: notification.kind, engineID: 'engineID' in notification.security ? notification.security.engineID : undefined }),
    onDrop: ({ reason, detail }) => {
      dropped += 1;
      counts[reason] = (counts[reason] ?? 0) + 1;
      if (drops.length < 10) drops.push({ reason, detail });
    },
  };
  listener.subscribe(subscriber);
  await listener.open();
  const byReason = (reason: DropReason): number => counts[reason] ?? 0;
  return { port, listener, traps, drops, byReason, dropped: () => dropped, target: `127.0.0.1:${port}` };
}

async function until<T>(check: () => T | false | undefined, ms: number, what: string): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Event-loop stalls while `run` runs: the longest, and the sum of every delay past the 10 ms tick. */
async function stalls(run: () => Promise<void>): Promise<{ longest: number; total: number }> {
  let last = performance.now();
  let longest = 0;
  let total = 0;
  const probe = setInterval(() => {
    const now = performance.now();
    const late = now - last - 10;
    last = now;
    if (late > 0) total += late;
    longest = Math.max(longest, late);
  }, 10);
  try {
    await run();
  } finally {
    clearInterval(probe);
  }
  return { longest, total };
}

const heapUsed = heapAfterGc;
const netSnmpKeyCache = (): Record<string, Buffer> => (snmp as unknown as { Authentication: { authToKeyCache: Record<string, Buffer> } }).Authentication.authToKeyCache;

let floods = 0;

/** `count` copies of snmptrap's own v3 packet, each under another engine ID never sent before (as a flood would). */
async function engineFlood(count: number): Promise<Buffer[]> {
  floods += 1;
  const packet = await capturePacket([...v3Args, '-e', `0x${ENGINE}`, '{target}', '', TRAP]);
  const at = packet.indexOf(Buffer.from(ENGINE, 'hex'));
  return Array.from({ length: count }, (_, index) => {
    const copy = Buffer.from(packet);
    copy.writeUInt32BE(floods * 0x1000000 + index, at + 4);
    return copy;
  });
}

async function sendAll(port: number, packets: Buffer[]): Promise<void> {
  for (let index = 0; index < packets.length; index += 100) await sendRaw(port, packets.slice(index, index + 100));
}

describe('trap listener: SNMPv3 guards (real snmptrap / snmpinform)', function () {
  this.timeout(60000);
  const FLOOD = 5000;
  let opened: TrapListener | undefined;

  afterEach(async function () {
    await opened?.close();
    opened = undefined;
  });

  describe('a flood of new engine IDs under a configured user', function () {
    async function flood(engineID: string | undefined) {
      const receiver = await listen(engineID);
      opened = receiver.listener;
      const packets = await engineFlood(FLOOD);
      const cacheBefore = Object.keys(netSnmpKeyCache()).length;
      const heapBefore = heapUsed();
      const lag = await stalls(async () => {
        await sendAll(receiver.port, packets);
        await until(() => receiver.dropped() >= FLOOD, 30000, 'every flood packet dropped');
      });
      const grown = heapUsed() - heapBefore;
      return { ...receiver, lag, grown, cacheGrown: Object.keys(netSnmpKeyCache()).length - cacheBefore };
    }

    it('with the engine ID pinned: no key computed for the others, no stall, and the real engine still gets through', async function () {
      const result = await flood(ENGINE);
      assert.ok(result.cacheGrown <= 2, `net-snmp key cache grew by ${result.cacheGrown} entries`);
      assert.ok(result.lag.longest < 1000 && result.lag.total < 2500, `event loop stalled ${JSON.stringify(result.lag)} ms`);
      assert.ok(result.grown < 1024 * 1024, `heap grew ${result.grown} bytes`);
      assert.strictEqual(result.byReason('engineID'), FLOOD);
      const sent = await netSnmp('snmptrap', [...v3Args, '-e', `0x${ENGINE}`, result.target, '', TRAP]);
      assert.strictEqual(sent.code, 0, sent.stderr);
      await until(() => result.traps.length === 1, 5000, 'the legitimate trap');
      assert.strictEqual(result.traps[0].engineID, ENGINE);
    });

    it('with any engine: new ones are rate-limited before any hashing, an engine already known still gets through', async function () {
      const receiver = await listen();
      opened = receiver.listener;
      // The device has been sending traps: its engine's keys are known and kept.
      const first = await netSnmp('snmptrap', [...v3Args, '-e', `0xaabb${ENGINE}`, receiver.target, '', TRAP]);
      assert.strictEqual(first.code, 0, first.stderr);
      await until(() => receiver.traps.length === 1, 5000, 'the first trap');
      const packets = await engineFlood(FLOOD);
      const cacheBefore = Object.keys(netSnmpKeyCache()).length;
      const heapBefore = heapUsed();
      const lag = await stalls(async () => {
        await sendAll(receiver.port, packets);
        await until(() => receiver.dropped() >= FLOOD, 30000, 'every flood packet dropped');
      });
      const grown = heapUsed() - heapBefore;
      const cacheGrown = Object.keys(netSnmpKeyCache()).length - cacheBefore;
      assert.ok(cacheGrown <= 0, `net-snmp key cache grew by ${cacheGrown} entries`);
      assert.ok(lag.longest < 1000 && lag.total < 2500, `event loop stalled ${JSON.stringify(lag)} ms`);
      assert.ok(grown < 1024 * 1024, `heap grew ${grown} bytes`);
      // A few are tried (the burst: they fail to decrypt), the rest refused unhashed.
      assert.ok(receiver.byReason('rateLimit') >= FLOOD - 50, JSON.stringify(receiver.drops.slice(0, 3)));
      assert.strictEqual(receiver.byReason('rateLimit') + receiver.byReason('privacy'), FLOOD);
      assert.match(receiver.drops.find((drop) => drop.reason === 'rateLimit')!.detail, /too many new engine IDs from 127\.0\.0\.1/);
      const again = await netSnmp('snmptrap', [...v3Args, '-e', `0xaabb${ENGINE}`, receiver.target, '', TRAP]);
      assert.strictEqual(again.code, 0, again.stderr);
      await until(() => receiver.traps.length === 2, 5000, 'the trap after the flood');
    });
  });

  describe('replays (RFC 3414 section 3.2 timeliness)', function () {
    it('drops traps with older boots, or a time 10,000 s behind the latest, and exact copies of one already received', async function () {
      const receiver = await listen(ENGINE);
      opened = receiver.listener;
      const trap = (bootsTime: string) => netSnmp('snmptrap', [...v3Args, '-e', `0x${ENGINE}`, '-Z', bootsTime, receiver.target, '', TRAP]);
      assert.strictEqual((await trap('5,20000')).code, 0);
      await until(() => receiver.traps.length === 1, 5000, 'the first trap');
      await trap('4,30000');
      await until(() => receiver.byReason('timeWindow') === 1, 5000, 'older boots dropped');
      await trap('5,10000');
      await until(() => receiver.byReason('timeWindow') === 2, 5000, 'a time 10,000 s behind dropped');
      assert.match(receiver.drops[1].detail, /10000 s behind its clock/);
      // Within the window, later boots or a later time pass.
      await trap('5,19900');
      await trap('6,3');
      await until(() => receiver.traps.length === 3, 5000, 'the timely traps');
      // A packet caught on the wire, sent twice: the copy is a replay.
      const caught = await capturePacket([...v3Args, '-e', `0x${ENGINE}`, '-Z', '6,10', '{target}', '', TRAP]);
      await sendRaw(receiver.port, [caught, caught]);
      await until(() => receiver.byReason('replay') === 1, 5000, 'the replay dropped');
      assert.strictEqual(receiver.traps.length, 4);
      assert.deepStrictEqual(receiver.drops.map((drop) => drop.reason), ['timeWindow', 'timeWindow', 'replay']);
    });

    it('answers an inform outside our time window with usmStatsNotInTimeWindows; snmpinform resynchronises and it is acknowledged', async function () {
      const receiver = await listen();
      opened = receiver.listener;
      const sent = await netSnmp('snmpinform', [...v3Args, '-e', `0x${receiver.listener.engineID}`, '-Z', '1,1', '-t', '1', '-r', '2',
        receiver.target, '', TRAP]);
      assert.strictEqual(sent.code, 0, `snmpinform: ${sent.stderr}`);
      await until(() => receiver.traps.length === 1, 5000, 'the inform');
      assert.deepStrictEqual([receiver.traps[0].kind, receiver.drops.map((drop) => drop.reason)], ['inform', ['timeWindow']]);
    });

    it('drops a replayed inform unacknowledged (an inform caught between snmpinform and us, sent again)', async function () {
      const receiver = await listen();
      opened = receiver.listener;
      // A relay on the path records what snmpinform sends and passes the answers back.
      const relay = dgram.createSocket('udp4');
      const caught: Buffer[] = [];
      let client: dgram.RemoteInfo | undefined;
      relay.on('message', (packet, from) => {
        if (from.port === receiver.port) {
          if (client) relay.send(packet, client.port, client.address);
          return;
        }
        client = from;
        caught.push(packet);
        relay.send(packet, receiver.port, '127.0.0.1');
      });
      await new Promise<void>((resolve) => relay.bind(0, '127.0.0.1', () => resolve()));
      try {
        const sent = await netSnmp('snmpinform', [...v3Args, '-t', '1', '-r', '1', `127.0.0.1:${relay.address().port}`, '', TRAP]);
        assert.strictEqual(sent.code, 0, sent.stderr);
        await until(() => receiver.traps.length === 1, 5000, 'the inform');
      } finally {
        relay.close();
      }
      const answers: Buffer[] = [];
      const replayer = dgram.createSocket('udp4');
      replayer.on('message', (packet) => answers.push(packet));
      await new Promise<void>((resolve) => replayer.bind(0, '127.0.0.1', () => resolve()));
      try {
        replayer.send(caught[caught.length - 1], receiver.port, '127.0.0.1');
        await until(() => receiver.byReason('replay') === 1, 5000, 'the replay dropped');
        await new Promise((resolve) => setTimeout(resolve, 200));
        assert.strictEqual(receiver.traps.length, 1);
        assert.strictEqual(answers.length, 0, 'a replay is not acknowledged');
      } finally {
        replayer.close();
      }
    });
  });
});
