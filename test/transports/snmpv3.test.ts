import assert from 'assert';
import { DeviceConfigError, DeviceUnreachableError } from '../../lib/device/errors';
import { SnmpClient } from '../../lib/transports/snmp/client';
import type { SnmpV3User } from '../../lib/transports/snmp/options';
import { collect, helper, loadFlow, until } from '../helpers/red';
import { startSnmpd, type RunningSnmpd } from '../peers/snmpd';

// SNMPv3 against the real Net-SNMP snmpd: every security level and the auth/privacy protocols
// an operator meets, and the errors a wrong user or key gives.
const SYS_DESCR = '1.3.6.1.2.1.1.1.0';
const SYS_OBJECT_ID = '1.3.6.1.2.1.1.2.0';

describe('SNMPv3 against a real snmpd', function () {
  let snmpd: RunningSnmpd;

  before(async function () {
    snmpd = await startSnmpd([
      { name: 'ops256', auth: { protocol: 'SHA-256', key: 'authpass123' }, priv: { protocol: 'AES', key: 'aespriv123' }, write: true },
      { name: 'ops512', auth: { protocol: 'SHA-512', key: 'authpass123' }, priv: { protocol: 'AES-256', key: 'aespriv123' } },
      { name: 'opssha', auth: { protocol: 'SHA', key: 'authpass123' }, priv: { protocol: 'AES-256', key: 'aespriv123' } },
      { name: 'ops224', auth: { protocol: 'SHA-224', key: 'authpass123' }, priv: { protocol: 'AES', key: 'aespriv123' } },
      { name: 'ops384', auth: { protocol: 'SHA-384', key: 'authpass123' } },
      { name: 'opsmd5', auth: { protocol: 'MD5', key: 'authpass123' } },
      { name: 'opsdes', auth: { protocol: 'MD5', key: 'authpass123' }, priv: { protocol: 'DES', key: 'despriv123' } },
      { name: 'watcher' },
    ]);
  });

  after(async function () {
    await snmpd?.stop();
  });

  function client(user: SnmpV3User, timeout = 1000): SnmpClient {
    return new SnmpClient({ host: '127.0.0.1', port: snmpd.port, version: '3', timeout, retries: 0, v3: user });
  }

  async function sysObjectID(user: SnmpV3User): Promise<string> {
    const session = client(user);
    try {
      const [oid, descr] = await session.get([SYS_OBJECT_ID, SYS_DESCR]);
      assert.ok(String(descr).length > 0, 'sysDescr read');
      return String(oid);
    } finally {
      session.close();
    }
  }

  const NET_SNMP_AGENT = '1.3.6.1.4.1.8072.3.2.10';
  const cases: Array<[string, SnmpV3User]> = [
    ['authPriv SHA-256 + AES-128', { username: 'ops256', securityLevel: 'authPriv', authProtocol: 'sha256', authKey: 'authpass123', privProtocol: 'aes', privKey: 'aespriv123' }],
    ['authPriv SHA-512 + AES-256', { username: 'ops512', securityLevel: 'authPriv', authProtocol: 'sha512', authKey: 'authpass123', privProtocol: 'aes256', privKey: 'aespriv123' }],
    ['authPriv SHA-1 + AES-256 (Blumenthal key extension, as snmpd)', { username: 'opssha', securityLevel: 'authPriv', authProtocol: 'sha', authKey: 'authpass123', privProtocol: 'aes256b', privKey: 'aespriv123' }],
    ['authPriv SHA-224 + AES-128', { username: 'ops224', securityLevel: 'authPriv', authProtocol: 'sha224', authKey: 'authpass123', privProtocol: 'aes', privKey: 'aespriv123' }],
    ['authNoPriv SHA-384', { username: 'ops384', securityLevel: 'authNoPriv', authProtocol: 'sha384', authKey: 'authpass123' }],
    ['authNoPriv MD5', { username: 'opsmd5', securityLevel: 'authNoPriv', authProtocol: 'md5', authKey: 'authpass123' }],
    ['noAuthNoPriv', { username: 'watcher', securityLevel: 'noAuthNoPriv' }],
  ];
  for (const [what, user] of cases) {
    it(`reads sysObjectID and sysDescr with ${what}`, async function () {
      assert.strictEqual(await sysObjectID(user), NET_SNMP_AGENT);
    });
  }

  it('refuses DES on this Node with a message that names the cause and the fix', async function () {
    await assert.rejects(sysObjectID({ username: 'opsdes', securityLevel: 'authPriv', authProtocol: 'md5', authKey: 'authpass123', privProtocol: 'des', privKey: 'despriv123' }),
      (error: Error) => error instanceof DeviceConfigError && /DES privacy is not available: Node\.js v\d+.*OpenSSL 3.*--openssl-legacy-provider.*AES/.test(error.message));
  });

  it('says so when the auth key is wrong', async function () {
    await assert.rejects(sysObjectID({ username: 'ops256', securityLevel: 'authPriv', authProtocol: 'sha256', authKey: 'wrongpass99', privProtocol: 'aes', privKey: 'aespriv123' }),
      (error: Error) => error instanceof DeviceConfigError && /rejected the request: Wrong Digest.*check the auth key/.test(error.message));
  });

  it('says so when the user is unknown', async function () {
    await assert.rejects(sysObjectID({ username: 'nobody', securityLevel: 'authNoPriv', authProtocol: 'sha', authKey: 'authpass123' }),
      (error: Error) => error instanceof DeviceConfigError && /Unknown User Name \(check the user name\)/.test(error.message));
  });

  it('times out with a clear error when the privacy key is wrong (snmpd drops what it cannot decrypt)', async function () {
    await assert.rejects(sysObjectID({ username: 'ops256', securityLevel: 'authPriv', authProtocol: 'sha256', authKey: 'authpass123', privProtocol: 'aes', privKey: 'wrongpriv99' }),
      (error: Error) => error instanceof DeviceUnreachableError && /no answer from .* after 1 try .*SNMPv3 user and keys/.test(error.message));
  });

  it('through a flow: pdu-status on snmpd over v3 authPriv reads the agent and says it is no known PDU', async function () {
    await loadFlow([
      {
        id: 'cfg', type: 'pdu-config', name: 'lab-snmpd', transport: 'snmp', host: '127.0.0.1', port: String(snmpd.port),
        profile: 'auto', snmpVersion: '3', securityLevel: 'authPriv', authProtocol: 'sha256', privProtocol: 'aes', timeout: '1000', retries: '0',
      },
      { id: 'poll', type: 'pdu-status', device: 'cfg', interval: 0, wires: [['snap'], ['events']] },
      { id: 'snap', type: 'helper' },
      { id: 'events', type: 'helper' },
      { id: 'catcher', type: 'catch', scope: null, wires: [['caught']] },
      { id: 'caught', type: 'helper' },
    ], { cfg: { username: 'ops256', authKey: 'authpass123', privKey: 'aespriv123' } });
    const caught = collect<Record<string, any>>(helper.getNode('caught'));
    helper.getNode('poll').receive({ payload: 'now' });
    const [error] = await until(() => caught.length > 0 && caught, 5000, 'error');
    assert.match(error.error.message, /cannot tell which PDU this is \(sysObjectID 1\.3\.6\.1\.4\.1\.8072\.3\.2\.10, sysDescr "Linux/);
    await helper.unload();
  });
});
