import assert from 'assert';
import { TrapDecoder } from '../../lib/events/trap-decoder';
import { acquireTrapListener, releaseTrapListener, type TrapListener, type TrapSubscriber } from '../../lib/transports/snmp/trap-listener';
import type { DeviceEvent } from '../../lib/types';
import { startSim } from '../../sim';
import { SimModel } from '../../sim/model';
import { freeUdpPort } from '../../sim/snmp/agent';
import { attachTrapEmitter, trapEmitters, type AttachedEmitter } from '../../sim/snmp/traps';
import { helper, loadFlow, until } from '../helpers/red';

// The simulators' trap emitters: each kind sends its vendor's notifications for outlet changes,
// reboots and temperature alarms, and pdu-trap-in's listener and decoder read them back as the
// right events. (The OIDs come from the vendors' MIBs; test/profiles/trap-mibs checks the tables.)

type Received = { event: DeviceEvent; version: string };

async function listen(port: number, events: Received[]): Promise<{ listener: TrapListener; subscriber: TrapSubscriber }> {
  const decoder = new TrapDecoder();
  const subscriber: TrapSubscriber = {
    anySource: true,
    sources: [{ name: 'sim', communities: ['public'], users: [] }],
    onTrap: (notification) => events.push({ event: decoder.decode(notification).event, version: notification.version }),
    onDrop: (drop) => { throw new Error(`dropped: ${drop.reason} ${drop.detail}`); },
  };
  const listener = acquireTrapListener(port, subscriber, { address6: false });
  await until(() => listener.state === 'listening', 3000, 'listener');
  return { listener, subscriber };
}

/** What each kind says about its outlets: the name, and whether a reboot has its own event. */
const OUTLET_NAMES: Record<string, boolean> = {
  sentry2: true, sentry3: true, sentry4: true, 'apc-rpdu2': true, 'apc-rpdu': true, 'apc-spdu': false,
  'raritan-pdu2': false, 'eaton-epdu': false, 'cyberpower-epdu': true, 'raritan-px1': true, 'eaton-epdu-ma': true,
};
/** Kinds whose MIB tells what happened only in the agent's words: tested on their own below. */
const WORDS_ONLY = ['cyberpower-epdu2'];
/** Kinds whose MIB has no notification for a switched outlet. */
const NO_OUTLET_TRAPS = ['geist-imd'];
const REBOOT_EVENT: Record<string, boolean> = { sentry3: true, sentry4: true, 'apc-spdu': true, 'raritan-px1': true, 'eaton-epdu-ma': true };
/** Kinds whose MIB tells a temperature alarm only in words (PDU-MIB's thresholdAlarm), or not at all. */
const NO_TEMPERATURE = ['apc-rpdu', 'apc-spdu', 'raritan-px1', 'eaton-epdu-ma'];

describe('simulator trap emitters', function () {
  this.timeout(20000);
  let port: number;
  let events: Received[];
  let listening: Awaited<ReturnType<typeof listen>>;
  let emitter: AttachedEmitter | undefined;
  let model: SimModel;

  beforeEach(async function () {
    port = await freeUdpPort();
    events = [];
    listening = await listen(port, events);
    model = new SimModel({ outlets: 8, rebootDelay: 100, temperature: 25 });
  });

  afterEach(async function () {
    emitter?.close();
    model.stop();
    await releaseTrapListener(listening.listener, listening.subscriber);
  });

  const names = (): string[] => events.map((received) => received.event.event);

  /** Outlet 3 off and on, outlet 5 rebooted: the events each change sends. */
  async function outletEvents(kind: string): Promise<void> {
    model.switch(3, false);
    await until(() => events.length === 2, 3000, 'off');
    const off = events[1].event;
    assert.strictEqual(off.event, 'outletOff');
    assert.strictEqual(off.outlet?.index, 3);
    if (OUTLET_NAMES[kind]) assert.strictEqual(off.outlet?.name, 'server-03');
    model.switch(3, true);
    await until(() => events.length === 3, 3000, 'on');
    assert.strictEqual(names()[2], 'outletOn');

    model.reboot(5);
    await until(() => events.length === 5, 3000, 'reboot');
    assert.deepStrictEqual(names().slice(3), [REBOOT_EVENT[kind] ? 'outletReboot' : 'outletOff', 'outletOn']);
    assert.ok(events.slice(3).every((received) => received.event.outlet?.index === 5));
  }

  for (const kind of Object.keys(trapEmitters).filter((name) => !WORDS_ONLY.includes(name))) {
    const outletTraps = !NO_OUTLET_TRAPS.includes(kind);
    it(`${kind}: start${outletTraps ? ', outlet off/on, reboot' : ''}${NO_TEMPERATURE.includes(kind) ? '' : ', temperature high/normal'}`, async function () {
      emitter = attachTrapEmitter(kind, model, { port }, `${kind}-rack`);
      await until(() => events.length === 1, 3000, 'start trap');
      assert.strictEqual(names()[0], 'deviceStart');
      if (outletTraps) await outletEvents(kind);
      else {
        // Switching sends nothing: the next event is the temperature's.
        model.switch(3, false);
        model.reboot(5);
      }
      const first = events.length;

      if (!NO_TEMPERATURE.includes(kind)) {
        model.setSensors(41);
        model.setSensors(41.5); // still high: no second alarm
        model.setSensors(24);
        await until(() => events.length === first + 2, 3000, 'temperature');
        assert.deepStrictEqual(names().slice(first), ['temperatureHigh', 'temperatureNormal']);
        const high = events[first].event;
        if (high.value !== undefined) assert.ok(Math.abs(Number(high.value) - 41) < 0.1, `°C: ${high.value}`);
      }
      assert.strictEqual(emitter!.errors, 0);
    });
  }

  it('cyberpower-epdu2: its own traps, pduOutletSwitchedEvent and envTemperatureAlarm with its clear, the agent\'s words as text', async function () {
    emitter = attachTrapEmitter('cyberpower-epdu2', model, { port }, 'cp-rack');
    await until(() => events.length === 1, 3000, 'start trap');
    model.switch(3, false);
    await until(() => events.length === 2, 3000, 'off');
    const off = events[1].event;
    assert.deepStrictEqual([off.event, off.severity, off.device, off.outlet],
      ['pduOutletSwitchedEvent', 'info', 'cp-rack', { index: 3, name: 'server-03' }]);
    assert.match(off.text, /\(Outlet 3 turned off\.\)$/);
    model.setSensors(41);
    model.setSensors(24);
    await until(() => events.length === 4, 3000, 'temperature');
    const [alarm, clear] = events.slice(2).map((received) => received.event);
    assert.deepStrictEqual([alarm.event, alarm.severity, alarm.device, alarm.sensor?.index, alarm.sensor?.type],
      ['envTemperatureAlarm', 'warning', 'ENVIROSENSOR', 1, 'temperature']);
    assert.match(alarm.text, /\(Temperature over its limit\.\)$/);
    // The trap does not say in which unit envir2Temperature is: no value rather than a wrong one.
    assert.strictEqual(alarm.value, undefined);
    assert.deepStrictEqual([clear.event, clear.severity], ['envTemperatureAlarmClear', 'info']);
    assert.strictEqual(emitter!.errors, 0);
  });

  it('sends v1 traps when asked, decoded the same', async function () {
    emitter = attachTrapEmitter('apc-rpdu', model, { port, version: '1' }, 'pdu-7');
    model.switch(2, false);
    await until(() => events.length === 2, 3000, 'traps');
    assert.deepStrictEqual(events.map((received) => [received.version, received.event.event]), [['1', 'deviceStart'], ['1', 'outletOff']]);
    assert.deepStrictEqual(events[1].event.outlet, { index: 2, name: 'server-02' });
    assert.strictEqual(events[1].event.device, 'pdu-7');
  });

  it('a kind without an emitter is left alone', function () {
    assert.strictEqual(attachTrapEmitter('nut-server', model, { port }), undefined);
  });
});

describe('rack-power-sim with traps: the Sentry2 simulator switched over SNMP tells pdu-trap-in', function () {
  this.timeout(20000);

  it('pdu-outlet turns port A2 off; pdu-trap-in reports outletOff for .A2 (server-02)', async function () {
    const trapPort = await freeUdpPort();
    const sim = await startSim('sentry2', { port: 0, rebootDelay: 300, driftInterval: 0, traps: { port: trapPort, community: 'sentry-trap' } });
    try {
      assert.match(sim.summary, new RegExp(`traps to 127\\.0\\.0\\.1:${trapPort}`));
      await loadFlow([
        { id: 'cfg', type: 'pdu-config', name: 'rack-12', transport: 'snmp', host: '127.0.0.1', port: String(sim.port), profile: 'sentry2', snmpVersion: '2c', timeout: '500' },
        { id: 'out', type: 'pdu-outlet', device: 'cfg', outlet: '2', action: 'off', verify: true, wires: [[]] },
        { id: 'traps', type: 'pdu-trap-in', devices: ['cfg'], port: String(trapPort), wires: [['events']] },
        { id: 'events', type: 'helper' },
      ], { cfg: { readCommunity: 'public', writeCommunity: 'private', trapCommunity: 'sentry-trap' } });
      const events: Array<Record<string, any>> = [];
      helper.getNode('events').on('input', (msg: Record<string, any>) => { events.push(msg); });
      await new Promise((resolve) => { setTimeout(resolve, 200); });
      helper.getNode('out').receive({ payload: 'off' });
      const msg = await until(() => events.find((m) => m.topic === 'outletOff'), 8000, 'outletOff trap');
      assert.deepStrictEqual(msg.payload.outlet, { index: 2, id: '.A2', name: 'server-02' });
      assert.strictEqual(msg.payload.device, 'rack-12');
      assert.strictEqual(sim.model.outlet(2)!.on, false);
    } finally {
      await helper.unload();
      await sim.stop();
    }
  });
});
