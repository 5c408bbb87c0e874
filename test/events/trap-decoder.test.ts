import assert from 'assert';
import * as snmp from 'net-snmp';
import { TrapDecoder, TrapFormatError, type ReceivedNotification } from '../../lib/events/trap-decoder';
import { OidNames } from '../../lib/events/trap-varbinds';
import { sentry2Traps } from '../../lib/profiles/traps/sentry';

// The decoder on notifications shaped as net-snmp's receiver hands them over (OctetStrings as
// Buffers); the real senders (snmptrap, snmpinform) meet it in test/nodes/pdu-trap-in.

const T = snmp.ObjectType;
const str = (oid: string, text: string): snmp.Varbind => ({ oid, type: T.OctetString, value: Buffer.from(text) });
const int = (oid: string, value: number): snmp.Varbind => ({ oid, type: T.Integer, value });
const oidValue = (oid: string, value: string): snmp.Varbind => ({ oid, type: T.OID, value });
const ascii = (text: string): string => [...text].map((char) => char.charCodeAt(0)).join('.');

const source = { address: '10.0.0.5', port: 50000, family: 'IPv4' };
const security = { model: 'community' as const, matched: 'pdu' };

function v2(trapOid: string, varbinds: snmp.Varbind[], kind: 'trap' | 'inform' = 'trap'): ReceivedNotification {
  return {
    version: '2c', kind, source, security,
    pdu: { varbinds: [{ oid: '1.3.6.1.2.1.1.3.0', type: T.TimeTicks, value: 4242 }, oidValue('1.3.6.1.6.3.1.1.4.1.0', trapOid), ...varbinds] },
  };
}

function v1(enterprise: string, generic: number, specific: number, varbinds: snmp.Varbind[]): ReceivedNotification {
  return { version: '1', kind: 'trap', source, security, pdu: { enterprise, agentAddr: '10.0.0.5', generic, specific, upTime: 77, varbinds } };
}

const decoder = new TrapDecoder();
const decode = (notification: ReceivedNotification, device?: string) => decoder.decode(notification, device);

const S2 = '1.3.6.1.4.1.1718.2';
const s2Port = (port: string, name: string, column: number, value: string): snmp.Varbind[] => [
  str(`${S2}.1.1.0`, 'rack-12'),
  str(`${S2}.1.4.1.1.${ascii(port)}`, port),
  str(`${S2}.1.4.1.3.${ascii(port)}`, name),
  str(`${S2}.1.4.1.${column}.${ascii(port)}`, value),
];
const s2Board = (board: string, column: number, value: string): snmp.Varbind[] => [
  str(`${S2}.1.1.0`, 'rack-12'),
  str(`${S2}.1.3.1.1.${ascii(board)}`, board),
  str(`${S2}.1.3.1.2.${ascii(board)}`, `Board ${board}`),
  str(`${S2}.1.3.1.${column}.${ascii(board)}`, value),
];

describe('trap decoder', function () {
  describe('Sentry2 (Sentry2-MIB (US patent 7,099,934))', function () {
    it('turns PortControlStatusChange into outletOff with the port, its number and name', function () {
      const { event, snmp: info } = decode(v2(`${S2}.100.0.5`, s2Port('A3', 'web-03', 4, 'Off')));
      assert.deepStrictEqual(event, {
        event: 'outletOff', severity: 'info', device: 'rack-12', source: 'trap',
        outlet: { index: 3, id: '.A3', name: 'web-03' }, text: 'rack-12: outlet .A3 (web-03) turned off',
      });
      assert.strictEqual(info.trapName, 'sentry2PortControlStatusChange');
      assert.strictEqual(info.upTime, 4242);
      assert.deepStrictEqual(info.varbinds.map((v) => v.name), [
        'sysUpTime.0', 'snmpTrapOID.0', 'sentry2ChainLocation.0', 'sentry2PortIndex.65.51', 'sentry2PortDeviceName.65.51', 'sentry2PortControlStatus.65.51',
      ]);
      assert.strictEqual(info.varbinds[5].value, 'Off');
    });

    it('numbers the ports of later boards (C2 is port 10) and names the device after its config', function () {
      const { event } = decode(v2(`${S2}.100.0.5`, s2Port('C2', 'db-10', 4, 'On')), 'lab-pdu');
      assert.deepStrictEqual(event.outlet, { index: 10, id: '.C2', name: 'db-10' });
      assert.strictEqual(event.event, 'outletOn');
      assert.strictEqual(event.device, 'lab-pdu');
    });

    const expected: Array<[number, snmp.Varbind[], Record<string, unknown>]> = [
      [1, [str(`${S2}.1.1.0`, 'rack-12')], { event: 'deviceStart', severity: 'warning', text: 'rack-12: device started' }],
      [2, s2Board('A', 4, '41.0 Deg C.'), { event: 'temperatureHigh', severity: 'critical', value: 41, sensor: { index: 1, name: 'Board A', type: 'temperature' }, text: 'rack-12: sensor Board A temperature high: 41 °C' }],
      [3, s2Board('B', 4, '50.0 Deg F.'), { event: 'temperatureLow', value: 50, sensor: { index: 2, name: 'Board B', type: 'temperature' } }],
      [4, s2Board('A', 4, '27.0 Deg C.'), { event: 'temperatureNormal', severity: 'info' }],
      [6, s2Port('A2', 'server-02', 5, 'OnS Fail'), { event: 'moduleError', severity: 'critical', value: 'OnS Fail', text: 'rack-12: outlet .A2 (server-02) module error (OnS Fail)' }],
      [7, s2Port('A2', 'server-02', 5, 'Normal'), { event: 'moduleNormal', severity: 'info' }],
      [8, s2Port('A1', 'server-01', 6, '9.50A'), { event: 'loadHigh', value: 9.5, text: 'rack-12: outlet .A1 (server-01) load high: 9.5 A' }],
      [9, s2Port('A1', 'server-01', 6, '0.10A'), { event: 'loadLow', severity: 'warning', value: 0.1 }],
      [10, s2Port('A1', 'server-01', 6, '1.20A'), { event: 'loadNormal', value: 1.2 }],
      [11, s2Board('A', 5, '15.2A'), { event: 'inputLoadHigh', value: 15.2, sensor: { index: 1, name: 'Board A', type: 'input' }, text: 'rack-12: input Board A load high: 15.2 A' }],
      [12, s2Board('A', 5, '0.0A'), { event: 'inputLoadLow', value: 0 }],
      [13, s2Board('A', 5, '3.1A'), { event: 'inputLoadNormal', value: 3.1 }],
    ];
    for (const [number, varbinds, wanted] of expected) {
      it(`decodes ${sentry2Traps.traps.find((trap) => trap.oid.endsWith(`.${number}`))!.name}`, function () {
        const { event } = decode(v2(`${S2}.100.0.${number}`, varbinds));
        for (const [key, value] of Object.entries(wanted)) assert.deepStrictEqual(event[key as keyof typeof event], value, key);
        assert.strictEqual(event.raw, undefined);
      });
    }

    it('maps a v1 trap to enterprise.0.specific', function () {
      const { event, snmp: info } = decode(v1(`${S2}.100`, 6, 5, s2Port('A1', 'server-01', 4, 'Off')));
      assert.strictEqual(info.trapOid, `${S2}.100.0.5`);
      assert.strictEqual(event.event, 'outletOff');
      assert.strictEqual(info.upTime, 77);
      assert.strictEqual(info.agentAddr, '10.0.0.5');
    });

    it('reads a v1 enterprise that already ends in .0 (as net-snmp agents send it)', function () {
      assert.strictEqual(decode(v1(`${S2}.100.0`, 6, 5, s2Port('A1', 'x', 4, 'On'))).event.event, 'outletOn');
    });
  });

  describe('other vendors', function () {
    const S3 = '1.3.6.1.4.1.1718.3';
    it('Sentry3: an overloaded outlet is loadHigh (critical) with amperes and the limit', function () {
      const { event } = decode(v2(`${S3}.100.0.5`, [
        str(`${S3}.1.3.0`, 'row-4'), str(`${S3}.2.3.1.2.1.1.5`, 'AA5'), str(`${S3}.2.3.1.3.1.1.5`, 'db-05'),
        int(`${S3}.2.3.1.6.1.1.5`, 5), int(`${S3}.2.3.1.7.1.1.5`, 1234), int(`${S3}.2.3.1.8.1.1.5`, 0), int(`${S3}.2.3.1.9.1.1.5`, 10),
        str(`${S3}.99.1.0`, 'Over Load'), int(`${S3}.99.2.0`, 1),
      ]));
      assert.deepStrictEqual(event, {
        event: 'loadHigh', severity: 'critical', device: 'row-4', source: 'trap', outlet: { index: 5, id: 'AA5', name: 'db-05' },
        value: 12.34, threshold: 10, text: 'row-4: outlet AA5 (db-05) load high: 12.34 A (limit 10 A) (Over Load)',
      });
    });

    it('Sentry3: a reboot command is outletReboot; Fahrenheit sensors come out in °C', function () {
      const reboot = decode(v2(`${S3}.100.0.6`, [
        str(`${S3}.2.3.1.2.1.1.2`, 'AA2'), int(`${S3}.2.3.1.5.1.1.2`, 0), int(`${S3}.2.3.1.10.1.1.2`, 8),
      ]));
      assert.strictEqual(reboot.event.event, 'outletReboot');
      const temperature = decode(v2(`${S3}.100.0.11`, [
        str(`${S3}.2.5.1.2.1.1`, 'A1'), str(`${S3}.2.5.1.3.1.1`, 'inlet'), int(`${S3}.2.5.1.5.1.1`, 4),
        int(`${S3}.2.5.1.6.1.1`, 1040), int(`${S3}.2.5.1.8.1.1`, 95), int(`${S3}.2.5.1.13.1.1`, 1),
      ]));
      assert.strictEqual(temperature.event.event, 'temperatureHigh');
      assert.strictEqual(temperature.event.value, 40);
      assert.strictEqual(temperature.event.threshold, 35);
    });

    it('Sentry4: an outlet state change on', function () {
      const S4 = '1.3.6.1.4.1.1718.4.1';
      const { event } = decode(v2('1.3.6.1.4.1.1718.4.100.0.16', [
        str(`${S4}.1.1.2.0`, 'hall-b'), str(`${S4}.8.2.1.2.1.1.7`, 'AA7'), str(`${S4}.8.2.1.3.1.1.7`, 'srv-7'),
        int(`${S4}.8.3.1.1.1.1.7`, 1), int(`${S4}.8.3.1.2.1.1.7`, 0), int(`${S4}.8.5.1.1.1.1.7`, 11),
      ]));
      assert.deepStrictEqual([event.event, event.outlet, event.device], ['outletOn', { index: 7, id: 'AA7', name: 'srv-7' }, 'hall-b']);
    });

    const APC = '1.3.6.1.4.1.318';
    it('APC rPDU: a v1 outlet-off trap with APC\'s own message', function () {
      const { event, snmp: info } = decode(v1(APC, 6, 269, [
        str(`${APC}.1.1.12.1.6.0`, 'ZA1234'), str(`${APC}.1.1.12.1.1.0`, 'rack-7-pdu'),
        int(`${APC}.1.1.12.3.3.1.1.1.3`, 3), str(`${APC}.1.1.12.3.3.1.1.2.3`, 'web-03'),
        str(`${APC}.2.3.3.0`, 'Outlet 3 turned off.'),
      ]));
      assert.strictEqual(info.trapOid, `${APC}.0.269`);
      assert.deepStrictEqual(event, {
        event: 'outletOff', severity: 'info', device: 'rack-7-pdu', source: 'trap', outlet: { index: 3, name: 'web-03' },
        text: 'rack-7-pdu: outlet 3 (web-03) turned off (Outlet 3 turned off.)',
      });
    });

    it('APC: MasterSwitch reboot, Rack PDU 2G outlet state, phase near overload, UPS on battery', function () {
      assert.deepStrictEqual(decode(v1(APC, 6, 43, [int(`${APC}.1.1.4.4.2.1.1.2`, 2)])).event.outlet, { index: 2 });
      const abnormal = decode(v1(APC, 6, 547, [
        str(`${APC}.2.3.10.0`, 'SN'), str(`${APC}.2.3.11.0`, 'pdu-2g'), int(`${APC}.2.3.18.0`, 1), int(`${APC}.2.3.1.0`, 12),
        str(`${APC}.2.3.16.0`, 'backup'), int(`${APC}.2.3.6.0`, 2), int(`${APC}.2.3.7.0`, 1), str(`${APC}.2.3.3.0`, ''),
      ])).event;
      assert.deepStrictEqual([abnormal.event, abnormal.device, abnormal.outlet], ['outletOff', 'pdu-2g', { index: 12, name: 'backup' }]);
      const near = decode(v1(APC, 6, 274, [str(`${APC}.1.1.12.1.1.0`, 'p'), int(`${APC}.1.1.12.2.3.1.1.4.1`, 1)])).event;
      assert.deepStrictEqual([near.event, near.severity, near.sensor], ['inputLoadHigh', 'warning', { index: 1, type: 'input' }]);
      const battery = decode(v1(APC, 6, 5, [str(`${APC}.2.3.3.0`, 'UPS: On battery power in response to an input power problem.')])).event;
      assert.deepStrictEqual([battery.event, battery.severity], ['ONBATT', 'warning']);
      assert.match(battery.text, /^10\.0\.0\.5: on battery \(UPS: On battery power/);
    });

    const R = '1.3.6.1.4.1.13742.6';
    it('Raritan: outlet relay off and rms current above the critical threshold', function () {
      const outletSensor = (type: number, state: number): snmp.Varbind[] => [
        str(`${R}.3.2.2.1.13.1`, 'px3-a'), str(`${R}.3.5.3.1.2.1.4`, '4'), int(`${R}.0.0.10.0`, type),
        int(`${R}.5.4.3.1.3.1.4.${type}`, state), int(`${R}.0.0.2.0`, 4),
      ];
      const off = decode(v2(`${R}.0.63`, outletSensor(14, 8))).event;
      assert.deepStrictEqual([off.event, off.outlet, off.device], ['outletOff', { index: 4, id: '4' }, 'px3-a']);
      const high = decode(v2(`${R}.0.63`, outletSensor(1, 6))).event;
      assert.deepStrictEqual([high.event, high.severity], ['loadHigh', 'critical']);
      const other = decode(v2(`${R}.0.63`, outletSensor(5, 6))).event;
      assert.strictEqual(other.event, 'outletSensorStateChange', 'a sensor type without an event keeps the trap name');
      assert.ok(Array.isArray(other.raw));
    });

    it('Raritan: an external temperature sensor above its warning threshold', function () {
      const { event } = decode(v2(`${R}.0.66`, [
        int(`${R}.0.0.8.0`, 2), int(`${R}.0.0.10.0`, 10), int(`${R}.5.5.3.1.3.1.2.10`, 5), str(`${R}.3.6.3.1.4.1.2`, 'rear top'),
      ]));
      assert.deepStrictEqual([event.event, event.severity, event.sensor], ['temperatureHigh', 'warning', { index: 2, name: 'rear top', type: 'temperature' }]);
    });

    const E = '1.3.6.1.4.1.534.6.6.7';
    it('Eaton: outlet current high (critical) in amperes, outlet control on', function () {
      const current = decode(v2(`${E}.0.32`, [
        int(`${E}.1.2.1.1.0`, 0), int(`${E}.6.1.1.1.0.5`, 5), int(`${E}.6.4.1.3.0.5`, 12500), int(`${E}.6.4.1.4.0.5`, 4),
      ])).event;
      assert.deepStrictEqual([current.event, current.severity, current.value, current.outlet], ['loadHigh', 'critical', 12.5, { index: 5 }]);
      const on = decode(v2(`${E}.0.33`, [int(`${E}.6.1.1.1.0.5`, 5), int(`${E}.6.6.1.2.0.5`, 1)])).event;
      assert.strictEqual(on.event, 'outletOn');
    });

    const CPS = '1.3.6.1.4.1.3808';
    it('CyberPower: outlet on, and a temperature in tenths of °F as °C', function () {
      const on = decode(v1(CPS, 6, 102, [
        str(`${CPS}.1.1.3.1.1.0`, 'cp-1'), int(`${CPS}.1.1.3.3.3.1.1.1.6`, 6), str(`${CPS}.1.1.3.3.3.1.1.2.6`, 'nas'),
      ])).event;
      assert.deepStrictEqual([on.event, on.device, on.outlet], ['outletOn', 'cp-1', { index: 6, name: 'nas' }]);
      const hot = decode(v1(CPS, 6, 200, [int(`${CPS}.1.1.4.2.1.0`, 1040)])).event;
      assert.deepStrictEqual([hot.event, hot.value], ['temperatureHigh', 40]);
    });

    const UPS = '1.3.6.1.2.1.33';
    it('UPS-MIB: alarms added and removed follow upsmon\'s names', function () {
      const added = (alarm: number) => decode(v2(`${UPS}.2.3`, [int(`${UPS}.1.6.2.1.1.1`, 1), oidValue(`${UPS}.1.6.2.1.2.1`, `${UPS}.1.6.3.${alarm}`)])).event;
      assert.deepStrictEqual([added(3).event, added(3).severity], ['LOWBATT', 'critical']);
      assert.deepStrictEqual([added(5).event, added(5).severity], ['upsTrapAlarmEntryAdded', 'warning']);
      const removed = decode(v2(`${UPS}.2.4`, [int(`${UPS}.1.6.2.1.1.1`, 1), oidValue(`${UPS}.1.6.2.1.2.1`, `${UPS}.1.6.3.2`)])).event;
      assert.strictEqual(removed.event, 'ONLINE');
      const battery = decode(v2(`${UPS}.2.1`, [int(`${UPS}.1.2.3.0`, 12)])).event;
      assert.deepStrictEqual([battery.event, battery.text], ['ONBATT', '10.0.0.5: on battery (12 min left)']);
    });

    it('generic: a v1 coldStart is deviceStart, a v2 warmStart too (info)', function () {
      assert.deepStrictEqual(decode(v1('1.3.6.1.4.1.8072.3.2.10', 0, 0, [])).snmp.trapOid, '1.3.6.1.6.3.1.1.5.1');
      assert.strictEqual(decode(v1('1.3.6.1.4.1.8072.3.2.10', 0, 0, [])).event.event, 'deviceStart');
      const warm = decode(v2('1.3.6.1.6.3.1.1.5.2', [])).event;
      assert.deepStrictEqual([warm.event, warm.severity], ['deviceStart', 'info']);
    });
  });

  describe('unknown traps', function () {
    it('keep their OID as event name, with the varbinds in raw', function () {
      const { event } = decode(v2('1.3.6.1.4.1.99999.0.7', [str('1.3.6.1.4.1.99999.1.1.0', 'hello'), int('1.3.6.1.4.1.99999.1.2.0', 5)]));
      assert.deepStrictEqual(event, {
        event: '1.3.6.1.4.1.99999.0.7', severity: 'warning', device: '10.0.0.5', source: 'trap',
        text: '10.0.0.5: trap 1.3.6.1.4.1.99999.0.7',
        raw: [
          { oid: '1.3.6.1.4.1.99999.1.1.0', type: 'OctetString', value: 'hello' },
          { oid: '1.3.6.1.4.1.99999.1.2.0', type: 'Integer', value: 5 },
        ],
      });
    });

    it('take their MIB names when a MIB names them', function () {
      const names = new OidNames().addNotification('1.3.6.1.4.1.99999.0.7', 'widgetAlarm').addObject('1.3.6.1.4.1.99999.1.1', 'widgetName');
      const { event, snmp: info } = new TrapDecoder({ mibNames: names }).decode(v2('1.3.6.1.4.1.99999.0.7', [str('1.3.6.1.4.1.99999.1.1.0', 'w')]));
      assert.strictEqual(event.event, 'widgetAlarm');
      assert.deepStrictEqual(event.raw, [{ oid: '1.3.6.1.4.1.99999.1.1.0', name: 'widgetName.0', type: 'OctetString', value: 'w' }]);
      assert.strictEqual(info.trapName, 'widgetAlarm');
    });

    it('names by the longest known prefix, at arc boundaries only, however long the OID', function () {
      const names = new OidNames().addObject('1.3.6.1.4.1.99999.1', 'widgetTable').addObject('1.3.6.1.4.1.99999.1.1', 'widgetName');
      assert.deepStrictEqual(names.object('1.3.6.1.4.1.99999.1.1.7'), { name: 'widgetName', instance: '7' });
      assert.deepStrictEqual(names.object('1.3.6.1.4.1.99999.1.1'), { name: 'widgetName', instance: '' });
      assert.deepStrictEqual(names.object('1.3.6.1.4.1.99999.1.12.3'), { name: 'widgetTable', instance: '12.3' });
      assert.strictEqual(names.object('1.3.6.1.4.1.99999'), undefined);
      assert.strictEqual(names.object('1'), undefined);
      // 30,000 arcs: only prefixes as long as a known OID are looked up (this took seconds when
      // every prefix was split and joined); the instance is the whole rest.
      const rest = Array.from({ length: 30000 }, (_, index) => String(index % 10)).join('.');
      const named = names.object(`1.3.6.1.4.1.99999.1.1.${rest}`);
      assert.deepStrictEqual([named?.name, named?.instance === rest], ['widgetName', true]);
    });

    it('a notification without snmpTrapOID.0 is a format error', function () {
      const broken: ReceivedNotification = { ...v2('1.3.6.1.6.3.1.1.5.1', []), pdu: { varbinds: [] } };
      assert.throws(() => decode(broken), TrapFormatError);
    });

    it('binary OctetStrings come out as hex, not mangled text', function () {
      const { event } = decode(v2('1.3.6.1.4.1.99999.0.8', [{ oid: '1.3.6.1.4.1.99999.1.3.0', type: T.OctetString, value: Buffer.from([0, 0xff, 0x10]) }]));
      assert.strictEqual((event.raw as Array<{ value: unknown }>)[0].value, '00ff10');
    });
  });
});
