import assert from 'assert';
import { loadMibStore } from '../helpers/mibs';
import * as snmp from 'net-snmp';
import { snmpProfiles } from '../../lib/profiles';
import { profileObjects } from '../../lib/profiles/snmp-profile';

// The vendors' MIB files are not ours to ship: they live beside the repository in
// ../shared/mibs (or RACK_POWER_MIBS). Where they exist, every OID in every profile must name
// the very object the profile says it is.


describe('profile OIDs against the vendors\' MIB files', function () {
  // Parsing a vendor's MIB files takes seconds, more on a loaded machine.
  this.timeout(60000);
  // One store per profile: net-snmp's loading slows as a store grows, so a store of every
  // vendor's MIB takes several times as long as one store each.
  const stores = new Map<string, snmp.ModuleStore | undefined>();
  const storeFor = (files: string[]): snmp.ModuleStore | undefined => {
    const key = files.join(' ');
    if (!stores.has(key)) stores.set(key, loadMibStore(files));
    return stores.get(key);
  };

  for (const profile of snmpProfiles) {
    it(`${profile.id}: every OID names its object in ${profile.mib.module}`, function () {
      const store = storeFor(profile.mib.files);
      if (!store) this.skip();
      const wrong: string[] = [];
      for (const { path: where, ref } of profileObjects(profile)) {
        const name = store!.translate(ref.oid, snmp.OidFormat.module);
        if (name !== `${profile.mib.module}::${ref.object}`) wrong.push(`${where}: ${ref.oid} is ${name}, not ${ref.object}`);
      }
      assert.deepStrictEqual(wrong, []);
    });
  }

  it('catches a wrong OID (the check can fail)', function () {
    const store = storeFor(['Sentry2-MIB']);
    if (!store) this.skip();
    const name = store!.translate('1.3.6.1.4.1.1718.2.1.4.1.3', snmp.OidFormat.module);
    assert.notStrictEqual(name, 'Sentry2-MIB::sentry2PortPowerAction');
    assert.strictEqual(name, 'Sentry2-MIB::sentry2PortDeviceName');
  });
});
