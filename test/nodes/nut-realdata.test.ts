import assert from 'assert';
import { Device } from '../../lib/device/device';
import { NutClient } from '../../lib/transports/nut/client';
import { NutDriver } from '../../lib/transports/nut/driver';
import type { InputReading, OutletReading, SensorReading } from '../../lib/types';
import { nutDump, skipWithoutRealdata } from '../helpers/realdata';
import { collect, helper, loadFlow, until } from '../helpers/red';
import { startUpsd, type Upsd } from '../peers/upsd';

type Msg = Record<string, any>;

// Eleven real devices, as their users' `upsc` dumps recorded them (the NUT Devices Dumps
// Library, in shared/realdata/nut-ddl), served by the real upsd + dummy-ups. Every expected
// value below is read by hand from the dump line quoted beside it, with NUT's meaning of the
// variable; where dummy-ups 2.8.0 changes a value on the way (nut-ddl/README.md), the comment
// says so. UPSes are read through the ups-nut node, PDUs through the Device and its NUT driver.

const DUMPS: Record<string, string> = {
  apc2200: 'APC__Smart-UPS_2200__usbhid-ups__2.7.4__01.dev',
  apc3000: 'APC__Smart-UPS_3000_RM__apcsmart__2.6.5__01.dev',
  cyber: 'Cyber_Power_Systems__CP900AVR__usbhid-ups__2.6.5__01.dev',
  digitus: 'Digitus__DN-170076__nutdrv_qx__2.7.4__02.dev',
  eaton5px: 'Eaton__5PX_2000__usbhid-ups__2.7.4__01.dev',
  eaton5sc: 'Eaton__5SC_750__usbhid-ups__2.7.2__01.dev',
  novex: 'Novex__NUPS-650__blazer_usb__2.6.5__01.dev',
  epdu_ma: 'Eaton__ePDU_MA_1P__snmp-ups__2.7.4__01.dev',
  epdu_mi: 'Eaton__EPDU_MI_38U-A__snmp-ups__2.7.4__01.dev',
  aphel: 'Eaton__ePDU_Managed_Aphel__snmp-ups__2.6.1__01.dev',
  px2: 'Raritan__PX2-1486__snmp-ups__2.7.4-12-gf1a0d64__01.dev',
};

/** What each UPS's dump says, read by hand: the ups.status flags and some variables. */
const UPS_EXPECTED: Record<string, { title: string; status: string[]; vars: Record<string, unknown> }> = {
  apc2200: {
    title: 'APC Smart-UPS 2200 (usbhid-ups): on battery, discharging',
    status: ['OB', 'DISCHRG'], // ups.status: OB DISCHRG
    vars: {
      'battery.charge': 93, // battery.charge: 93
      'battery.runtime': 65535, // battery.runtime: 65535	#BAD: overflow?  (dummy-ups drops the comment)
      'ups.load': 5.2, // ups.load: 5.2
      'input.voltage': 0, // input.voltage: 0.0
      'output.voltage': 220.4, // output.voltage: 220.4
      'battery.temperature': 16.6, // battery.temperature: 16.6
      'ups.timer.reboot': -1, // ups.timer.reboot: -1
      'device.mfr': 'American Power Conversion', // device.mfr: American Power Conversion
      'ups.serial': 'AS1250244567', // ups.serial: AS1250244567
      'ups.productid': '0002', // ups.productid: 0002 (an identifier keeps its zeros)
      'ups.firmware': '654.19.I', // ups.firmware: 654.19.I
      'battery.mfr.date': '2022/10/25', // battery.mfr.date: 2022/10/25
    },
  },
  apc3000: {
    title: 'APC Smart-UPS 3000 RM (apcsmart): zero-padded numbers are numbers, identifiers stay text',
    status: ['OL'], // ups.status: OL
    vars: {
      'battery.charge': 100, // battery.charge: 100.0
      'battery.runtime': 19740, // battery.runtime: 19740
      'ups.load': 0, // ups.load: 000.0
      'input.voltage': 121.5, // input.voltage: 121.5
      'ups.temperature': 46.8, // ups.temperature: 046.8
      'ups.delay.shutdown': 20, // ups.delay.shutdown: 020
      'ups.delay.start': 0, // ups.delay.start: 000
      'battery.packs': 0, // battery.packs: 000
      'battery.voltage.nominal': 48, // battery.voltage.nominal: 048
      'input.frequency': 60, // input.frequency: 60.00
      'ups.serial': 'WS9951003031', // ups.serial: WS9951003031
      'ups.firmware': '92.11.D', // ups.firmware: 92.11.D
      'ups.id': 's0-ups0', // ups.id: s0-ups0
      'battery.date': '09/20/13', // battery.date: 09/20/13
      'input.quality': 'FF', // input.quality: FF
    },
  },
  cyber: {
    title: 'CyberPower CP900AVR (usbhid-ups): on battery; hex USB ids stay text',
    status: ['OB', 'DISCHRG'], // ups.status: OB DISCHRG
    vars: {
      'battery.charge': 93, // battery.charge: 93
      'battery.runtime': 2572, // battery.runtime: 2572
      'ups.load': 13, // ups.load: 13
      'input.voltage': 0, // input.voltage: 0.0
      'output.voltage': 120, // output.voltage: 120.0
      'battery.voltage': 12.1, // battery.voltage: 12.1
      'ups.timer.shutdown': -60, // ups.timer.shutdown: -60
      'device.model': 'CP 1000D', // device.model:  CP 1000D  (dummy-ups drops the leading blanks)
      'ups.vendorid': '0764', // ups.vendorid: 0764
      'ups.productid': '0501', // ups.productid: 0501
      'battery.mfr.date': 'CPS', // battery.mfr.date: CPS
    },
  },
  digitus: {
    title: 'Digitus DN-170076 (nutdrv_qx, Megatec): on battery',
    status: ['OB'], // ups.status: OB
    vars: {
      'battery.charge': 100, // battery.charge: 100
      'battery.runtime': 7200, // battery.runtime: 7200
      'ups.load': 0, // ups.load: 0
      'input.voltage': 227.4, // input.voltage: 227.4
      'battery.voltage': 27.2, // battery.voltage: 27.20
      'input.current.nominal': 8, // input.current.nominal: 8.0
      'ups.type': 'offline / line interactive', // ups.type: offline / line interactive
      'ups.vendorid': '0001', // ups.vendorid: 0001
      'ups.mfr': 'Dummy Manufacturer', // no ups.mfr line: dummy-ups fills in its own
    },
  },
  eaton5px: {
    title: 'Eaton 5PX 2000 (usbhid-ups): ALARM with replace battery',
    status: ['ALARM', 'OL', 'CHRG', 'RB'], // ups.status: ALARM OL CHRG RB
    vars: {
      'ups.alarm': 'Replace battery!', // ups.alarm: Replace battery!
      'battery.charge': 100, // battery.charge: 100
      'battery.runtime': 1032, // battery.runtime: 1032
      'ups.load': 30, // ups.load: 30
      'input.voltage': 235, // input.voltage: 235.0
      'input.current': 0, // input.current: 0.00
      'battery.capacity': 9, // battery.capacity: 9.00
      'ups.realpower': 504, // ups.realpower: 504
      'output.powerfactor': 0.82, // output.powerfactor: 0.82
      'ups.firmware': '06', // ups.firmware: 06
      'device.serial': 'G098D27047', // device.serial: G098D27047
    },
  },
  eaton5sc: {
    title: 'Eaton 5SC 750 (usbhid-ups): four flags',
    status: ['OL', 'CHRG', 'TRIM', 'OFF'], // ups.status: OL CHRG TRIM OFF
    vars: {
      'battery.charge': 100, // battery.charge: 100
      'battery.runtime': 9047, // battery.runtime: 9047
      'ups.load': 0, // ups.load: 0
      'input.voltage': 245.7, // input.voltage: 245.7
      'output.voltage': 0, // output.voltage: 0.0
      'ups.firmware': '01.06.0016', // ups.firmware: 01.06.0016
    },
  },
  novex: {
    title: 'Novex NUPS-650 (blazer_usb): ALARM with forced shutdown',
    status: ['ALARM', 'OL', 'FSD'], // ups.status: ALARM OL FSD
    vars: {
      'ups.alarm': 'Shutdown imminent!', // ups.alarm: Shutdown imminent!
      'battery.charge': 100, // battery.charge: 100
      'battery.runtime': undefined, // (no battery.runtime line)
      'ups.load': 0, // ups.load: 0
      'input.voltage': 223, // input.voltage: 223.0
      'ups.temperature': 0, // ups.temperature: 0.0
      'battery.voltage': 13, // battery.voltage: 13.00
      'ups.firmware': 'VER3.10C', // ups.firmware: VER3.10C
    },
  },
};

describe('real NUT devices (nut-ddl dumps) through upsd + dummy-ups', function () {
  this.timeout(60000);
  let upsd: Upsd;
  const devices: Device[] = [];

  before(async function () {
    this.timeout(120000);
    const folder = skipWithoutRealdata(this);
    const upses = Object.fromEntries(Object.entries(DUMPS).map(([name, file]) => [name, { dev: nutDump(folder, file) }]));
    upsd = await startUpsd({ upses });
  });

  after(async function () {
    await Promise.all(devices.map((device) => device.close()));
    await upsd?.stop();
  });

  describe('UPSes through ups-nut', function () {
    let statuses: Record<string, Msg[]>;

    before(async function () {
      await loadFlow([
        { id: 'srv', type: 'pdu-config', name: 'real', transport: 'nut', host: '127.0.0.1', port: String(upsd.port), profile: 'nut', timeout: '3000', retries: '1' },
        ...Object.keys(UPS_EXPECTED).flatMap((ups) => [
          { id: `n_${ups}`, type: 'ups-nut', device: 'srv', ups, mode: 'poll', interval: 0, wires: [[`o_${ups}`], []] },
          { id: `o_${ups}`, type: 'helper' },
        ]),
      ]);
      statuses = Object.fromEntries(Object.keys(UPS_EXPECTED).map((ups) => [ups, collect<Msg>(helper.getNode(`o_${ups}`))]));
    });

    after(async function () {
      await helper.unload();
    });

    async function poll(ups: string): Promise<Record<string, unknown>> {
      helper.getNode(`n_${ups}`).receive({});
      const [msg] = await until(() => statuses[ups].length > 0 && statuses[ups], 5000, `status of ${ups}`);
      return msg.payload;
    }

    for (const [ups, expected] of Object.entries(UPS_EXPECTED)) {
      it(expected.title, async function () {
        const payload = await poll(ups);
        assert.deepStrictEqual(payload.status, expected.status);
        // The variables named, as the node reported them (undefined when absent).
        assert.deepStrictEqual(Object.fromEntries(Object.keys(expected.vars).map((name) => [name, payload[name]])), expected.vars);
      });
    }
  });

  describe('PDUs through the Device and its NUT driver', function () {
    async function device(ups: string): Promise<Device> {
      const made = new Device({
        name: ups,
        driver: new NutDriver({
          transport: 'nut', host: '127.0.0.1', port: upsd.port, profile: 'nut', timeout: 3000, retries: 1,
          credentials: { username: 'admin', password: 'secret' }, settings: { ups, starttls: false, caFile: '' },
        }),
      });
      devices.push(made);
      return made;
    }

    /** Describe the device, check who it says it is, and read it. */
    async function describeAndRead(ups: string, identity: { vendor: string; model: string; outlets: number }) {
      const pdu = await device(ups);
      const description = await pdu.describe();
      assert.strictEqual(description.profile, 'nut');
      assert.deepStrictEqual({ vendor: description.vendor, model: description.model, outlets: description.outlets.length }, identity);
      return { description, snapshot: await pdu.read() };
    }

    const outlet = (index: number, name: string, state: OutletReading['state'], current?: number, power?: number): OutletReading => ({
      index, id: String(index), name, state, ...(current === undefined ? {} : { current }), ...(power === undefined ? {} : { power }),
    });
    const ambient = (temperature: number, humidity: number): SensorReading[] => [
      { index: 1, name: 'Ambient', type: 'temperature', value: temperature, unit: '°C' },
      { index: 2, name: 'Ambient', type: 'humidity', value: humidity, unit: '%' },
    ];

    it('Eaton ePDU MA 1P: 24 outlets, names, states, current and real power, the input with its voltage', async function () {
      // device.mfr: EATON / device.model: Eaton ePDU MA 1P IN:IEC309 32A OUT:20xC13, 4xC19 / outlet.count: 24.00
      const { snapshot } = await describeAndRead('epdu_ma', { vendor: 'EATON', model: 'Eaton ePDU MA 1P IN:IEC309 32A OUT:20xC13, 4xC19', outlets: 24 });
      // Per outlet: outlet.n.desc, outlet.n.status, outlet.n.current, outlet.n.realpower (W; outlet.n.power is VA).
      const expected: OutletReading[] = [
        outlet(1, 'Outlet 1', 'on', 0.18, 1), // current: 0.18, power: 43.00, realpower: 1.00
        outlet(2, 'Outlet 2', 'on', 0, 0),
        outlet(3, 'Outlet 3', 'on', 0, 0),
        outlet(4, 'Outlet 4', 'on', 0, 0),
        outlet(5, 'Outlet 5', 'on', 0.17, 0), // current: 0.17, power: 41.00, realpower: 0.00
        outlet(6, 'Outlet 6', 'on', 0, 0),
        outlet(7, 'NMDL - Dummy Load Command', 'on', 0.42, 67), // desc: NMDL - Dummy Load Command, current: 0.42, realpower: 67.00
        outlet(8, 'Outlet 8', 'off', 0.15, 0), // status: off, current: 0.15, realpower: 0.00
        outlet(9, 'PDU16 Rack03', 'on', 5, 1069), // desc: PDU16 Rack03, current: 5.00, realpower: 1069.00
        outlet(10, 'PDU18 Rack04', 'on', 7.51, 1620), // desc: PDU18 Rack04, current: 7.51, realpower: 1620.00
        outlet(11, 'Outlet 11', 'on', 0, 0),
        outlet(12, 'Outlet 12', 'on', 0, 0),
        outlet(13, 'Outlet 13', 'on', 0, 0),
        outlet(14, 'Outlet 14', 'on', 0, 0),
        outlet(15, 'PDU04 Rack02', 'on', 4.51, 990), // desc: PDU04 Rack02, current: 4.51, realpower: 990.00
        outlet(16, 'PDU08 Rack01', 'on', 3.26, 412), // desc: PDU08 Rack01, current: 3.26, realpower: 412.00
        // outlets 17-24: desc Outlet n, status on, current 0.00, realpower 0.00
        ...[17, 18, 19, 20, 21, 22, 23, 24].map((n) => outlet(n, `Outlet ${n}`, 'on', 0, 0)),
      ];
      assert.deepStrictEqual(snapshot.outlets, expected);
      // input.phases: 1.00 -> one input; input.current: 19.63, input.realpower: 4198.00, input.voltage: 239.58
      // (input.L2.* on this single-phase unit is not a second input)
      assert.deepStrictEqual(snapshot.inputs, [{ index: 1, name: 'Input', current: 19.63, power: 4198, voltage: 239.58 }] as InputReading[]);
      assert.deepStrictEqual(snapshot.sensors, ambient(20.7, 24.5)); // ambient.temperature: 20.7, ambient.humidity: 24.50
    });

    it('Eaton EPDU MI 38U-A: 42 outlets in two branches, one input with its voltage (no second L1 input without one)', async function () {
      // device.mfr: EATON / device.model: EPDU MI 38U-A IN: L6-30P 24A 1P OUT: 36XC13:6XC19 / outlet.count: 42.00
      const { snapshot } = await describeAndRead('epdu_mi', { vendor: 'EATON', model: 'EPDU MI 38U-A IN: L6-30P 24A 1P OUT: 36XC13:6XC19', outlets: 42 });
      // outlet.1..21.desc: Outlet A1..Outlet A21, outlet.22..42.desc: Outlet B1..Outlet B21; every
      // outlet.n.status: on and outlet.n.current: 0.00; no outlet.n.realpower or outlet.n.power.
      const expected = Array.from({ length: 42 }, (_, i) => outlet(i + 1, i < 21 ? `Outlet A${i + 1}` : `Outlet B${i - 20}`, 'on', 0));
      assert.deepStrictEqual(snapshot.outlets, expected);
      // input.phases: 1.00; input.current: 0.08, input.realpower: 6.00, input.voltage: 237.75 (= input.L1.voltage: 237.75)
      assert.deepStrictEqual(snapshot.inputs, [{ index: 1, name: 'Input', current: 0.08, power: 6, voltage: 237.75 }] as InputReading[]);
      assert.deepStrictEqual(snapshot.sensors, ambient(23.9, 18.8)); // ambient.temperature: 23.9, ambient.humidity: 18.80
    });

    it('Eaton ePDU Managed (Aphel): 4 outlets, outlet 1 off, numeric outlet.count', async function () {
      // device.mfr: EATON | Powerware / device.model: DBQ10634/5 / outlet.count: 4.00
      const { snapshot } = await describeAndRead('aphel', { vendor: 'EATON | Powerware', model: 'DBQ10634/5', outlets: 4 });
      assert.deepStrictEqual(snapshot.outlets, [
        outlet(1, 'Outlet 1', 'off', 0, 0), // desc: Outlet 1, status: off, current: 0.00, realpower: 0.00
        outlet(2, 'Outlet 2', 'on', 0, 0), // desc: Outlet 2, status: on
        outlet(3, 'Outlet 3', 'on', 0, 0), // desc: Outlet 3, status: on
        outlet(4, 'A4', 'on', 0, 0), // desc: A4, status: on
      ]);
      assert.deepStrictEqual(snapshot.inputs, [], 'no input.* line: outlet.voltage/current are the outlets\' total, not the input');
      assert.deepStrictEqual(snapshot.sensors, ambient(28, 40)); // ambient.temperature: 28.0, ambient.humidity: 40.00
    });

    it('Raritan PX2-1486: 24 outlets without status or current, one named, the input', async function () {
      // device.mfr: Raritan, but no ups.mfr line: dummy-ups serves its own `Dummy Manufacturer` / device.model: PX2-1486 / outlet.count: 24.00
      const { description, snapshot } = await describeAndRead('px2', { vendor: 'Dummy Manufacturer', model: 'PX2-1486', outlets: 24 });
      assert.strictEqual(description.capabilities.switch, false, 'no outlet.n.status and no outlet commands');
      // outlet.1.desc: test outlet 1; outlet.n.desc empty for the others; outlet.n.id: n.00; no outlet.n.status
      assert.deepStrictEqual(snapshot.outlets, Array.from({ length: 24 }, (_, i) => outlet(i + 1, i === 0 ? 'test outlet 1' : '', 'unknown')));
      // input.realpower: 3.00 (W; input.power: 10.00 is VA), input.voltage: 231.00, no input.current
      assert.deepStrictEqual(snapshot.inputs, [{ index: 1, name: 'Input', power: 3, voltage: 231 }] as InputReading[]);
      assert.deepStrictEqual(snapshot.sensors, []);
    });

    it('Eaton 5PX 2000, a UPS with two PowerShare outlets, reads as a device with outlets', async function () {
      const pdu = await device('eaton5px');
      const description = await pdu.describe();
      assert.deepStrictEqual(description.outlets.map((entry) => entry.name), ['PowerShare Outlet 1', 'PowerShare Outlet 2']);
      const snapshot = await pdu.read();
      assert.deepStrictEqual(snapshot.outlets, [
        outlet(1, 'PowerShare Outlet 1', 'on', 1.2, 162), // outlet.1.current: 1.20, outlet.1.realpower: 162
        outlet(2, 'PowerShare Outlet 2', 'on', 0.4, 68), // outlet.2.current: 0.40, outlet.2.realpower: 68
      ]);
      // input.current: 0.00, input.voltage: 235.0 (ups.realpower is the output's, not the input's)
      assert.deepStrictEqual(snapshot.inputs, [{ index: 1, name: 'Input', current: 0, voltage: 235 }] as InputReading[]);
    });
  });

  describe('switching through pdu-outlet', function () {
    let nut: NutClient;

    before(function () {
      nut = new NutClient({ host: '127.0.0.1', port: upsd.port, timeout: 3000 });
    });

    after(async function () {
      await nut?.close();
    });

    afterEach(async function () {
      await helper.unload();
    });

    async function outletFlow(ups: string) {
      await loadFlow([
        { id: 'cfg', type: 'pdu-config', name: ups, transport: 'nut', host: '127.0.0.1', port: String(upsd.port), profile: 'nut', nutUps: ups, timeout: '3000', retries: '1' },
        { id: 'out', type: 'pdu-outlet', device: 'cfg', outlet: '', action: 'msg', verify: true, wires: [['result']] },
        { id: 'result', type: 'helper' },
        { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
        { id: 'caught', type: 'helper' },
      ], { cfg: { username: 'admin', password: 'secret' } });
      return { out: helper.getNode('out'), results: collect<Msg>(helper.getNode('result')), caught: collect<Msg>(helper.getNode('caught')) };
    }

    it('Raritan PX2-1486 (every outlet.n.switchable: no): a clear "cannot switch outlets" refusal', async function () {
      const { out, caught, results } = await outletFlow('px2');
      out.receive({ payload: 'off', outlet: 1 });
      const [error] = await until(() => caught.length > 0 && caught, 8000, 'the refusal');
      assert.match(error.error.message, /px2 \(PX2-1486\) cannot switch outlets/);
      assert.strictEqual(results.length, 0);
    });

    it('Aphel (outlet.n.switchable as numbers): 0.00 is locked by the device, 1.00 is switched', async function () {
      const { out, results } = await outletFlow('aphel');
      out.receive({ payload: 'on', outlet: '1,2' }); // outlet.1.switchable: 0.00, outlet.2.switchable: 1.00
      const [msg] = await until(() => results.length > 0 && results, 10000, 'the result');
      assert.deepStrictEqual(msg.payload.locked, [{ index: 1, id: '1', name: 'Outlet 1' }]);
      assert.deepStrictEqual(msg.payload.outlets.map((o: Msg) => [o.index, o.after, o.verified]), [[2, 'on', true]]);
      assert.strictEqual(await nut.getVar('aphel', 'outlet.1.status'), 'off', 'the locked outlet was not touched'); // outlet.1.status: off
    });
  });
});
