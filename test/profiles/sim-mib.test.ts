import assert from 'assert';
import { loadMibStore } from '../helpers/mibs';
import * as snmp from 'net-snmp';
import type { SimDevice } from '../../sim';
import { snmpSims } from '../../sim/snmp';

// The simulators stand in for real PDUs, so they must answer what the vendor's MIB defines and
// nothing else: every object a walk returns is a column or scalar of the MIB, of the MIB's type,
// with a value its enumeration, range or size allows. Checked against net-snmp's reading of the
// MIB files, not against our profiles.


interface Column {
  name: string;
  type: number;
  constraints?: { enumeration?: Record<string, string>; ranges?: Array<{ min: number; max: number }>; sizes?: Array<{ min: number; max: number }> };
}

const SIMS = [
  { id: 'raritan-pdu2', module: 'PDU2-MIB', files: ['PDU2-MIB'], roots: ['1.3.6.1.4.1.13742.6'] },
  { id: 'eaton-epdu', module: 'EATON-EPDU-MIB', files: ['EATON-OIDS', 'EATON-EPDU-MIB'], roots: ['1.3.6.1.4.1.534.6.6.7'] },
  { id: 'cyberpower-epdu', module: 'CPS-MIB', files: ['CPS-MIB'], roots: ['1.3.6.1.4.1.3808'] },
  { id: 'cyberpower-epdu2', module: 'CPS-MIB', files: ['CPS-MIB'], roots: ['1.3.6.1.4.1.3808'] },
  { id: 'geist-imd', module: 'GEIST-V5-MIB', files: ['GEIST-V5-MIB'], roots: ['1.3.6.1.4.1.21239.5.2'] },
  { id: 'tripplite-pdu', module: 'TRIPPLITE-PRODUCTS', files: ['TRIPPLITE', 'TRIPPLITE-PRODUCTS'], roots: ['1.3.6.1.4.1.850.1.1'] },
  { id: 'avocent-pm', module: 'PM-MIB', files: ['IANAifType-MIB', 'IF-MIB', 'PM-MIB'], roots: ['1.3.6.1.4.1.10418.17'] },
];

function walk(port: number, root: string): Promise<snmp.Varbind[]> {
  const session = snmp.createSession('127.0.0.1', 'public', { port, version: snmp.Version2c, timeout: 1000, retries: 0 });
  const found: snmp.Varbind[] = [];
  return new Promise((resolve, reject) => {
    session.walk(root, 20, (varbinds) => {
      for (const varbind of varbinds) {
        if (snmp.isVarbindError(varbind) || !varbind.oid.startsWith(`${root}.`)) return true;
        found.push(varbind);
      }
      return false;
    }, (error) => {
      session.close();
      if (error) reject(error);
      else resolve(found);
    });
  });
}

/** What is wrong with one varbind, or undefined. */
function check(varbind: snmp.Varbind, scalars: Map<string, Column>, tables: Map<string, Map<number, Column>>): string | undefined {
  let column = varbind.oid.endsWith('.0') ? scalars.get(varbind.oid.slice(0, -2)) : undefined;
  if (!column) {
    for (const [entry, columns] of tables) {
      if (!varbind.oid.startsWith(`${entry}.`)) continue;
      const [number, ...index] = varbind.oid.slice(entry.length + 1).split('.');
      if (index.length > 0) column = columns.get(Number(number));
    }
  }
  if (!column) return `${varbind.oid} is no column or scalar of the MIB`;
  if (varbind.type !== column.type) return `${varbind.oid} (${column.name}) is ${snmp.ObjectType[varbind.type as number]}, not ${snmp.ObjectType[column.type]}`;
  const { enumeration, ranges, sizes } = column.constraints ?? {};
  const value = varbind.value as unknown;
  if (enumeration && !(String(value) in enumeration)) return `${column.name} = ${value} is none of its enumeration`;
  if (ranges && !ranges.some((range) => Number(value) >= range.min && Number(value) <= range.max)) return `${column.name} = ${value} is out of range`;
  const length = Buffer.isBuffer(value) ? value.length : -1;
  if (sizes && length >= 0 && !sizes.some((size) => length >= size.min && length <= size.max)) return `${column.name} has a size the MIB does not allow (${length})`;
  return undefined;
}

describe('simulated PDUs answer their vendor\'s MIB', function () {
  // Parsing a vendor's MIB files takes seconds, more on a loaded machine.
  this.timeout(60000);
  // One store per simulator: net-snmp's loading slows as a store grows.
  const stores = new Map<string, snmp.ModuleStore | undefined>();

  for (const spec of SIMS) {
    for (const options of [{}, { locked: [2], noProbe: true, fahrenheit: true }]) {
      it(`${spec.id} ${JSON.stringify(options)}: every object, type and value is the ${spec.module}'s`, async function () {
        if (!stores.has(spec.id)) stores.set(spec.id, loadMibStore(spec.files));
        const store = stores.get(spec.id);
        if (!store) this.skip();
        const scalars = new Map<string, Column>();
        const tables = new Map<string, Map<number, Column>>();
        for (const provider of store!.getProvidersForModule(spec.module) as unknown as Array<Record<string, unknown>>) {
          if (provider.type === snmp.MibProviderType.Scalar) {
            scalars.set(provider.oid as string, { name: provider.name as string, type: provider.scalarType as number, constraints: provider.constraints as Column['constraints'] });
          } else {
            tables.set(provider.oid as string, new Map((provider.tableColumns as Array<Column & { number: number }>).map((column) => [column.number, column])));
          }
        }
        const sim: SimDevice = await snmpSims[spec.id]({ port: 0, driftInterval: 0, outlets: 12, ...options });
        try {
          const varbinds = (await Promise.all(spec.roots.map((root) => walk(sim.port, root)))).flat();
          assert.ok(varbinds.length > 100, `only ${varbinds.length} objects`);
          const wrong = varbinds.map((varbind) => check(varbind, scalars, tables)).filter(Boolean);
          assert.deepStrictEqual(wrong, []);
        } finally {
          await sim.stop();
        }
      });
    }
  }

  it('catches an object in the wrong place (the check can fail)', function () {
    const tables = new Map([['1.3.6.1.4.1.3808.1.1.3.3.5.1.1', new Map([[4, { name: 'ePDUOutletStatusOutletState', type: 2 }]])]]);
    // The status table registered one level too deep, as a first draft of the simulator had it.
    const misplaced = { oid: '1.3.6.1.4.1.3808.1.1.3.3.3.5.1.4.1', type: 2, value: 1 } as snmp.Varbind;
    assert.match(check(misplaced, new Map(), tables) ?? '', /no column or scalar/);
    const wrongType = { oid: '1.3.6.1.4.1.3808.1.1.3.3.5.1.1.4.1', type: 66, value: 1 } as snmp.Varbind;
    assert.match(check(wrongType, new Map(), tables) ?? '', /is Gauge, not Integer/);
  });
});
