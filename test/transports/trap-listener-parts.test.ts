import assert from 'assert';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { loadMibFolder } from '../../lib/events/mib-folder';
import { Throttle } from '../../lib/events/trap-counters';
import { MalformedMessageError, readMessageHeader } from '../../lib/transports/snmp/message-header';
import { TrapListener } from '../../lib/transports/snmp/trap-listener';
import { engineIdHex, hostMatcher, normalizeAddress } from '../../lib/transports/snmp/trap-source';
import { capturePacket, freeUdpPort } from '../helpers/traps';

// The pieces around the listener: the outer message header read before net-snmp decodes, source
// addresses, engine IDs, the diagnostics throttle, bind failures, and MIB folders.

describe('trap listener parts', function () {
  this.timeout(20000);

  describe('message header (from snmptrap\'s own packets)', function () {
    it('reads the community of v1 and v2c traps', async function () {
      const v1 = await capturePacket(['-v', '1', '-c', 'north-side', '{target}', '1.3.6.1.4.1.318', '127.0.0.1', '6', '269', '']);
      const v2 = await capturePacket(['-v', '2c', '-c', 'south', '{target}', '', '1.3.6.1.6.3.1.1.5.1']);
      assert.deepStrictEqual(readMessageHeader(v1), { version: '1', community: 'north-side' });
      assert.deepStrictEqual(readMessageHeader(v2), { version: '2c', community: 'south' });
    });

    it('reads the user, engine ID, boots, time, digest and flags of a v3 authPriv trap', async function () {
      const v3 = await capturePacket(['-v', '3', '-l', 'authPriv', '-u', 'trapuser', '-a', 'SHA', '-A', 'authpass123', '-x', 'AES',
        '-X', 'aespriv123', '-e', '0x8000000001020304', '-Z', '3,4500', '{target}', '', '1.3.6.1.6.3.1.1.5.1']);
      const header = readMessageHeader(v3) as Extract<ReturnType<typeof readMessageHeader>, { version: '3' }>;
      const { msgID, authParameters, ...rest } = header;
      assert.deepStrictEqual({ ...rest, engineID: header.engineID.toString('hex') }, {
        version: '3', engineID: '8000000001020304', engineBoots: 3, engineTime: 4500, userName: 'trapuser', auth: true, priv: true, reportable: false,
      });
      assert.ok(Number.isInteger(msgID));
      // The HMAC-SHA-96 digest, as a view into the packet (net-snmp checks it in place).
      assert.strictEqual(authParameters.length, 12);
      assert.strictEqual(authParameters.buffer, v3.buffer);
    });

    it('refuses what is not SNMP, truncated or of an unknown version, with a reason', async function () {
      const v2 = await capturePacket(['-v', '2c', '-c', 'south', '{target}', '', '1.3.6.1.6.3.1.1.5.1']);
      assert.throws(() => readMessageHeader(Buffer.from('GET / HTTP/1.0\r\n\r\n')), MalformedMessageError);
      assert.throws(() => readMessageHeader(v2.subarray(0, 9)), /announced|truncated/);
      const v7 = Buffer.from(v2);
      v7[4] = 7;
      assert.throws(() => readMessageHeader(v7), /unknown SNMP version 7/);
      assert.throws(() => readMessageHeader(Buffer.alloc(0)), /truncated/);
    });
  });

  describe('sources', function () {
    it('compares addresses however they are written', function () {
      assert.strictEqual(normalizeAddress('::ffff:10.0.0.5'), '10.0.0.5');
      assert.strictEqual(normalizeAddress('[0:0:0:0:0:0:0:1]'), normalizeAddress('::1'));
      assert.strictEqual(normalizeAddress('FE80::0001%eth0'), normalizeAddress('fe80::1'));
      assert.notStrictEqual(normalizeAddress('10.0.0.5'), normalizeAddress('10.0.0.50'));
    });

    it('matches a host name by its addresses, resolved in the background', async function () {
      const lookup = (async () => [{ address: '10.0.0.7', family: 4 }, { address: 'fd00::7', family: 6 }]) as never;
      const matches = hostMatcher('pdu-7.lab', lookup);
      await new Promise((resolve) => setImmediate(resolve));
      assert.strictEqual(matches('10.0.0.7'), true);
      assert.strictEqual(matches('fd00:0::7'), true);
      assert.strictEqual(matches('10.0.0.8'), false);
      assert.strictEqual(hostMatcher('10.0.0.9')('::ffff:10.0.0.9'), true);
    });

    it('takes engine IDs in the usual spellings, and says what is wrong with a bad one', function () {
      assert.strictEqual(engineIdHex('0x80001F8880C71100'), '80001f8880c71100');
      assert.strictEqual(engineIdHex('80:00:1f:88:80'), '80001f8880');
      assert.strictEqual(engineIdHex(''), undefined);
      assert.throws(() => engineIdHex('0x123'), /not 5 to 32 bytes of hex/);
      assert.throws(() => engineIdHex('hello world!'), /not 5 to 32 bytes of hex/);
    });
  });

  it('diagnostics throttle: at most the limit a second, and says how many were held back', function () {
    let now = 0;
    const throttle = new Throttle(3, () => now);
    const taken = Array.from({ length: 5 }, () => throttle.take().send);
    assert.deepStrictEqual(taken, [true, true, true, false, false]);
    now = 1000;
    assert.deepStrictEqual(throttle.take(), { send: true, suppressed: 2 });
  });

  it('sets the receive buffer to the largest a subscriber asks (default 4 MiB), or says the kernel capped it', async function () {
    const port = await freeUdpPort();
    const listener = new TrapListener(port, { address6: false });
    listener.subscribe({ sources: [], anySource: false, recvBufferSize: 1024 * 1024, onTrap: () => undefined, onDrop: () => undefined });
    await listener.open();
    try {
      const capped = listener.notes.some((note) => /raise net\.core\.rmem_max/.test(note));
      assert.ok(capped || listener.recvBufferSize === 1024 * 1024, `granted ${listener.recvBufferSize}, notes ${listener.notes}`);
      // A second subscriber with the default (4 MiB) raises it again, on the open socket.
      listener.subscribe({ sources: [], anySource: false, onTrap: () => undefined, onDrop: () => undefined });
      const raised = listener.notes.some((note) => /4096 KiB asked: raise net\.core\.rmem_max/.test(note));
      assert.ok(raised || listener.recvBufferSize === 4 * 1024 * 1024, `granted ${listener.recvBufferSize}, notes ${listener.notes}`);
    } finally {
      await listener.close();
    }
  });

  it('an IPv6 failure after IPv4 bound is a note when the host has no IPv6, an error otherwise', async function () {
    const port = await freeUdpPort();
    const failingV6 = (code: string) => ({
      createSocket: (options: { type: string }) => {
        const socket = require('dgram').createSocket(options);
        if (options.type === 'udp6') {
          socket.bind = (_port: number, _address: string) => {
            setImmediate(() => socket.emit('error', Object.assign(new Error(`bind ${code}`), { code })));
          };
        }
        return socket;
      },
    });
    const noV6 = new TrapListener(port, { dgramModule: failingV6('EAFNOSUPPORT') as never });
    await noV6.open();
    assert.deepStrictEqual([noV6.state, noV6.families, noV6.notes], ['listening', ['IPv4'], ['IPv6 not available (EAFNOSUPPORT)']]);
    await noV6.close();
    const taken = new TrapListener(port, { dgramModule: failingV6('EADDRINUSE') as never });
    await taken.open();
    assert.strictEqual(taken.state, 'failed');
    assert.match(taken.error!.message, new RegExp(`udp port ${port} is already in use`));
    await taken.close();
  });

  describe('MIB folder', function () {
    let dir: string;
    beforeEach(function () {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rp-mibs-'));
    });
    afterEach(function () {
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('loads modules in import order and names notifications, SMIv1 traps and objects', async function () {
      // Written so that the importing module sorts first: the loader must order them itself.
      fs.writeFileSync(path.join(dir, 'a-widget-traps.mib'), `WIDGET-TRAPS-MIB DEFINITIONS ::= BEGIN
IMPORTS NOTIFICATION-TYPE FROM SNMPv2-SMI widgetName, widgets FROM WIDGET-MIB;
widgetTraps OBJECT IDENTIFIER ::= { widgets 0 }
widgetOverheated NOTIFICATION-TYPE
    OBJECTS { widgetName }
    STATUS current
    DESCRIPTION "Too hot."
    ::= { widgetTraps 3 }
END
`);
      fs.writeFileSync(path.join(dir, 'b-widget.mib'), `WIDGET-MIB DEFINITIONS ::= BEGIN
IMPORTS OBJECT-TYPE, enterprises FROM SNMPv2-SMI DisplayString FROM SNMPv2-TC TRAP-TYPE FROM RFC-1215;
widgets OBJECT IDENTIFIER ::= { enterprises 99999 }
widgetName OBJECT-TYPE
    SYNTAX DisplayString
    MAX-ACCESS read-only
    STATUS current
    DESCRIPTION "Its name."
    ::= { widgets 1 }
widgetOldTrap TRAP-TYPE
    ENTERPRISE widgets
    VARIABLES { widgetName }
    DESCRIPTION "SMIv1."
    ::= 9
END
`);
      fs.writeFileSync(path.join(dir, 'README'), 'not a MIB');
      const folder = await loadMibFolder(dir);
      assert.deepStrictEqual(folder.modules, ['WIDGET-MIB', 'WIDGET-TRAPS-MIB']);
      assert.deepStrictEqual(folder.problems, ['README: no MIB module in it']);
      assert.strictEqual(folder.names.notification('1.3.6.1.4.1.99999.0.3'), 'widgetOverheated');
      assert.strictEqual(folder.names.notification('1.3.6.1.4.1.99999.0.9'), 'widgetOldTrap');
      assert.deepStrictEqual(folder.names.object('1.3.6.1.4.1.99999.1.0'), { name: 'widgetName', instance: '0' });
      assert.strictEqual(await loadMibFolder(dir), await loadMibFolder(dir), 'parsed once while the files stay the same');
    });

    it('a folder that does not exist is a clear error', async function () {
      await assert.rejects(loadMibFolder(path.join(dir, 'nope')), /cannot read the MIB folder .*nope: ENOENT/);
    });
  });
});
