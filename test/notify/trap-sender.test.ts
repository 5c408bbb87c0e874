import assert from 'assert';
import { execFile } from 'child_process';
import path from 'path';
import * as snmp from 'net-snmp';
import { InformNotAcknowledgedError, QueueFullError, TrapSender, type TrapTarget } from '../../lib/notify/trap-sender';
import { EVENT_OBJECTS, NOTIFICATION_OIDS } from '../../lib/notify/rack-power-mib';
import { checkEvent } from '../../lib/notify/event-check';
import type { DeviceEvent } from '../../lib/types';
import { MIB_PATH, OUR_MIBS, startSnmptrapd, type RunningTrapd } from '../peers/snmptrapd';
import { freeUdpPort } from '../helpers/traps';
import { sleep, until } from '../helpers/red';
import { startLoadProbe } from '../helpers/load-probe';

// pdu-trap-out's sending side against the real Net-SNMP snmptrapd, which decodes every field by
// its RACK-POWER-MIB name: what an operator's NMS would see.

const COMMUNITY = 'nms-c0mmunity';
const USER = { name: 'rpnotify', auth: { protocol: 'SHA', key: 'authSecret-77' }, priv: { protocol: 'AES', key: 'privSecret-88' }, engineID: '8001869f05a1b2c3d4e5f60708' };
const V3: Pick<TrapTarget, 'version' | 'user' | 'engineID'> = {
  version: '3',
  engineID: USER.engineID,
  user: { username: USER.name, securityLevel: 'authPriv', authProtocol: 'sha', authKey: USER.auth.key, privProtocol: 'aes', privKey: USER.priv.key },
};

const FULL: DeviceEvent = {
  event: 'loadHigh', severity: 'critical', device: 'rack-12 pdu', source: 'poll',
  outlet: { index: 3, id: 'AA3', name: 'web-03' }, sensor: { index: 1, name: 'Temp 1', type: 'temperature' },
  value: 12.5, threshold: 10, text: 'Load 12.5 A is above 10 A on rack-12 (Grüße)',
};

/** Every field of FULL, as snmptrapd prints it with the MIB loaded. */
const DECODED = [
  'SNMPv2-MIB::snmpTrapOID.0 = OID: RACK-POWER-MIB::rpEventCritical',
  'RACK-POWER-MIB::rpEventName.0 = STRING: loadHigh',
  'RACK-POWER-MIB::rpEventSeverity.0 = INTEGER: critical(3)',
  'RACK-POWER-MIB::rpEventDevice.0 = STRING: rack-12 pdu',
  'RACK-POWER-MIB::rpEventSource.0 = INTEGER: poll(2)',
  'RACK-POWER-MIB::rpEventText.0 = STRING: Load 12.5 A is above 10 A on rack-12 (Grüße)',
  'RACK-POWER-MIB::rpEventOutletIndex.0 = INTEGER: 3',
  'RACK-POWER-MIB::rpEventOutletId.0 = STRING: AA3',
  'RACK-POWER-MIB::rpEventOutletName.0 = STRING: web-03',
  'RACK-POWER-MIB::rpEventSensorIndex.0 = INTEGER: 1',
  'RACK-POWER-MIB::rpEventSensorName.0 = STRING: Temp 1',
  'RACK-POWER-MIB::rpEventSensorType.0 = STRING: temperature',
  'RACK-POWER-MIB::rpEventValue.0 = STRING: 12.5',
  'RACK-POWER-MIB::rpEventThreshold.0 = STRING: 10',
];

function assertDecoded(notification: string, header: RegExp): void {
  assert.match(notification, header);
  const lines = notification.split('\n').filter((line) => line.includes(' = '));
  assert.deepStrictEqual(lines.slice(1), DECODED, notification);
}

function assertNoSecret(text: string): void {
  for (const secret of [COMMUNITY, USER.auth.key, USER.priv.key]) assert.ok(!text.includes(secret), `secret in: ${text}`);
}

describe('RACK-POWER-MIB', function () {
  it('loads in net-snmp\'s module store, every object and notification at its OID', function () {
    const store = snmp.createModuleStore();
    store.loadFromFile(path.join(OUR_MIBS, 'RACK-POWER-MIB.txt'));
    const providers = store.getProvidersForModule('RACK-POWER-MIB');
    assert.deepStrictEqual(Object.fromEntries(providers.map((provider) => [provider.name, provider.oid])), EVENT_OBJECTS);
    const module = store.getModule('RACK-POWER-MIB') as Record<string, { OID?: string }>;
    assert.strictEqual(module.rpEventInfo.OID, NOTIFICATION_OIDS.info);
    assert.strictEqual(module.rpEventWarning.OID, NOTIFICATION_OIDS.warning);
    assert.strictEqual(module.rpEventCritical.OID, NOTIFICATION_OIDS.critical);
  });

  it('translates in Net-SNMP\'s snmptranslate (-M +:dir -m +RACK-POWER-MIB), names to OIDs and back', async function () {
    const translate = (args: string[]): Promise<string> => new Promise((resolve, reject) => {
      execFile('snmptranslate', ['-M', MIB_PATH, '-m', '+RACK-POWER-MIB', ...args], (error, stdout) => (error ? reject(error) : resolve(stdout.trim())));
    });
    assert.strictEqual(await translate(['-On', 'RACK-POWER-MIB::rpEventCritical']), `.${NOTIFICATION_OIDS.critical}`);
    for (const [name, oid] of Object.entries(EVENT_OBJECTS)) {
      assert.strictEqual(await translate([`.${oid}`]), `RACK-POWER-MIB::${name}`);
    }
  });
});

describe('trap sender against the real snmptrapd', function () {
  this.timeout(30000);
  let trapd: RunningTrapd;
  const senders: TrapSender[] = [];
  const sender = (target: Partial<TrapTarget>): TrapSender => {
    const made = new TrapSender({ host: '127.0.0.1', port: trapd.port, version: '2c', mode: 'trap', community: COMMUNITY, ...target } as TrapTarget);
    senders.push(made);
    return made;
  };

  before(async function () {
    trapd = await startSnmptrapd({ community: COMMUNITY, users: [USER] });
  });
  afterEach(function () {
    for (const made of senders.splice(0)) made.close();
  });
  after(async function () {
    await trapd?.stop();
  });

  it('a v2c trap: snmptrapd decodes every field by its MIB name', async function () {
    await sender({}).send(FULL);
    const seen = await until(() => trapd.notifications().find((text) => /TRAP2, SNMP v2c/.test(text)), 5000, 'the trap');
    assertDecoded(seen, /TRAP2, SNMP v2c, community/);
  });

  it('a v2c inform: resolves once snmptrapd acknowledged it, every field decoded', async function () {
    const before = trapd.notifications().length;
    await sender({ mode: 'inform' }).send(FULL);
    // The acknowledgement comes after snmptrapd took it: it is already in its log.
    const seen = await until(() => trapd.notifications().slice(before).find((text) => /INFORM, SNMP v2c/.test(text)), 2000, 'the inform');
    assertDecoded(seen, /INFORM, SNMP v2c/);
  });

  it('a v3 authPriv trap with the sender\'s engine ID: decrypted and decoded', async function () {
    await sender(V3).send(FULL);
    const seen = await until(() => trapd.notifications().find((text) => /TRAP2, SNMP v3, user rpnotify/.test(text)), 5000, 'the v3 trap');
    assertDecoded(seen, /TRAP2, SNMP v3, user rpnotify/);
  });

  it('a v3 authPriv inform: acknowledged after engine discovery, decoded', async function () {
    await sender({ ...V3, mode: 'inform' }).send(FULL);
    const seen = await until(() => trapd.notifications().find((text) => /INFORM, SNMP v3, user rpnotify/.test(text)), 2000, 'the v3 inform');
    assertDecoded(seen, /INFORM, SNMP v3, user rpnotify/);
  });

  it('a minimal event carries the five fields the MIB names, in order, and nothing made up', async function () {
    const before = trapd.notifications().length;
    await sender({ mode: 'inform' }).send({ event: 'outletOn', severity: 'info', device: 'pdu-a', source: 'trap', text: 'Outlet on' });
    const seen = trapd.notifications().slice(before).join('');
    assert.deepStrictEqual(seen.split('\n').filter((line) => line.includes(' = ')).slice(1), [
      'SNMPv2-MIB::snmpTrapOID.0 = OID: RACK-POWER-MIB::rpEventInfo',
      'RACK-POWER-MIB::rpEventName.0 = STRING: outletOn',
      'RACK-POWER-MIB::rpEventSeverity.0 = INTEGER: info(1)',
      'RACK-POWER-MIB::rpEventDevice.0 = STRING: pdu-a',
      'RACK-POWER-MIB::rpEventSource.0 = INTEGER: trap(1)',
      'RACK-POWER-MIB::rpEventText.0 = STRING: Outlet on',
    ]);
  });

  it('an inform to the wrong community is never acknowledged: a clear error after its retries, no secret in it', async function () {
    const started = Date.now();
    const error = await sender({ mode: 'inform', community: 'wrong-c0mmunity', retries: 1, timeoutMs: 300 }).send(FULL).then(() => undefined, (e: Error) => e);
    assert.ok(error instanceof InformNotAcknowledgedError, String(error));
    assert.match(error.message, /inform not acknowledged by the NMS after 2 tries \(300 ms each\)/);
    assert.ok(Date.now() - started >= 550, 'waited for both tries');
    assertNoSecret(`${error.message} ${error.stack}`);
    assert.ok(!error.message.includes('wrong-c0mmunity'));
  });
});

describe('trap sender without an NMS', function () {
  this.timeout(20000);

  it('an inform to a dead port fails after its retries; the queue behind it is bounded and each event gets its own outcome', async function () {
    const port = await freeUdpPort();
    const sender = new TrapSender({ host: '127.0.0.1', port, version: '2c', mode: 'inform', community: COMMUNITY, retries: 2, timeoutMs: 200, queueLimit: 3 });
    try {
      const outcomes = Array.from({ length: 6 }, () => sender.send(FULL).then(() => 'sent', (error: Error) => error));
      const results = await Promise.all(outcomes);
      // One in flight, three waiting, two refused at once: six outcomes for six events.
      const refused = results.filter((result) => result instanceof QueueFullError);
      const unacknowledged = results.filter((result) => result instanceof InformNotAcknowledgedError);
      assert.strictEqual(refused.length, 2);
      assert.strictEqual(unacknowledged.length, 4);
      assert.match((unacknowledged[0] as Error).message, /after 3 tries \(200 ms each\)/);
      assert.match((refused[0] as Error).message, /3 events already wait for the NMS/);
      assert.strictEqual(sender.pending, 0);
    } finally {
      sender.close();
    }
  });

  it('a flood of events while the NMS is silent: memory and event-loop lag stay bounded, every event gets its outcome', async function () {
    const port = await freeUdpPort();
    const sender = new TrapSender({ host: '127.0.0.1', port, version: '2c', mode: 'inform', community: COMMUNITY, retries: 0, timeoutMs: 5000, queueLimit: 100 });
    const probe = startLoadProbe();
    const outcomes: Array<Promise<string>> = [];
    // In bursts of 1000, as a busy flow delivers them, so that the event loop turns between them.
    for (let i = 0; i < 20000; i += 1) {
      outcomes.push(sender.send({ ...FULL, text: `event ${i}` }).then(() => 'sent', (error: Error) => error.constructor.name));
      if (i % 1000 === 999) await new Promise((resolve) => setImmediate(resolve));
    }
    const refused = await Promise.all(outcomes.slice(101));
    await sleep(50);
    const report = probe.stop();
    console.log(`      20000 events, NMS silent: max lag ${report.maxLagMs.toFixed(1)} ms, growth ${report.growthMiB.toFixed(1)} MiB`);
    assert.ok(refused.every((outcome) => outcome === 'QueueFullError'), 'all past the bound refused at once');
    assert.strictEqual(sender.pending, 101);
    sender.close();
    const held = await Promise.all(outcomes.slice(0, 101));
    assert.ok(held.every((outcome) => outcome === 'Error'), held.join(' '));
    assert.ok(report.maxLagMs < 300, `event loop held up ${report.maxLagMs} ms`);
    assert.ok(report.growthMiB < 40, `memory grew ${report.growthMiB} MiB`);
  });

  it('close refuses what waits, with an error, and sends nothing more', async function () {
    const port = await freeUdpPort();
    const sender = new TrapSender({ host: '127.0.0.1', port, version: '2c', mode: 'inform', community: COMMUNITY, retries: 5, timeoutMs: 1000 });
    const outcomes = [sender.send(FULL), sender.send(FULL)].map((sent) => sent.then(() => 'sent', (error: Error) => error.message));
    sender.close();
    const results = await Promise.all(outcomes);
    assert.ok(results.every((result) => result !== 'sent'), results.join('; '));
    assert.match(await sender.send(FULL).then(() => '', (error: Error) => error.message), /closing/);
  });

  it('refuses a wrong configuration at once, naming what is wrong and no secret', function () {
    assert.throws(() => new TrapSender({ host: '', port: 162, version: '2c', mode: 'trap', community: COMMUNITY }), /no NMS host/);
    assert.throws(() => new TrapSender({ host: 'nms', port: 0, version: '2c', mode: 'trap', community: COMMUNITY }), /port must be 1 to 65535/);
    assert.throws(() => new TrapSender({ host: 'nms', port: 162, version: '2c', mode: 'trap' }), /v2c needs a community/);
    assert.throws(() => new TrapSender({ host: 'nms', port: 162, ...V3, engineID: 'xyz', mode: 'trap' }), /engine ID must be 5 to 32 octets/);
    const short = { ...V3.user!, privKey: 'short' };
    assert.throws(() => new TrapSender({ host: 'nms', port: 162, ...V3, user: short, mode: 'trap' }), (error: Error) => {
      assert.match(error.message, /privacy key must be at least 8/);
      assertNoSecret(error.message);
      return true;
    });
  });
});

describe('event check', function () {
  it('accepts the pack\'s events and refuses anything else with the field that is wrong', function () {
    assert.strictEqual(checkEvent(FULL), FULL);
    const wrong: Array<[unknown, RegExp]> = [
      ['outletOff', /not an event: msg.payload is the string "outletOff"/],
      [null, /msg.payload is null/],
      [[FULL], /is an array/],
      [{ ...FULL, event: '' }, /msg.payload.event is empty/],
      [{ ...FULL, severity: 'major' }, /severity is the string "major", expected info, warning or critical/],
      [{ ...FULL, source: undefined }, /source is missing/],
      [{ ...FULL, text: 5 }, /text is the number 5/],
      [{ ...FULL, outlet: { index: -1 } }, /outlet.index is the number -1/],
      [{ ...FULL, sensor: { name: 3 } }, /sensor.name is the number 3/],
      [{ ...FULL, value: {} }, /value is an object/],
      [{ ...FULL, threshold: 'ten' }, /threshold is the string "ten"/],
    ];
    for (const [payload, message] of wrong) assert.throws(() => checkEvent(payload), message);
  });
});
