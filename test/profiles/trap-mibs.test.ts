import assert from 'assert';
import fs from 'fs';
import path from 'path';
import * as snmp from 'net-snmp';
import { trapTables } from '../../lib/profiles/traps';
import { trapFields, type TrapDefinition, type TrapField, type TrapTable } from '../../lib/profiles/traps/trap-table';
import { UPS_WELL_KNOWN_ALARMS } from '../../lib/profiles/traps/ups-mib';

// Every trap in the trap tables against the vendors' own MIB files (../shared/mibs or
// RACK_POWER_MIBS): the notification's OID and name (for SMIv1 TRAP-TYPEs: ENTERPRISE + .0. +
// its number), every varbind field's OID and object name, that the object is one the
// notification carries, and every enumeration value a rule or field relies on.

const REPO = path.resolve(__dirname, '../..');
const MIBS = process.env.RACK_POWER_MIBS ?? path.resolve(REPO, '../shared/mibs');
const NET_SNMP_MIBS = path.join(path.dirname(require.resolve('net-snmp')), 'lib/mibs');

type Entry = { OID?: string; MACRO?: string; SYNTAX?: unknown; OBJECTS?: string[]; VARIABLES?: string[]; ENTERPRISE?: string; VALUE?: number };

describe('trap tables against the vendors\' MIB files', function () {
  let store: snmp.ModuleStore;
  let entries: Map<string, Entry[]>;

  before(function () {
    if (!fs.existsSync(MIBS)) {
      console.log(`      (skipped: no MIB folder at ${MIBS}; set RACK_POWER_MIBS)`);
      this.skip();
    }
    this.timeout(60000);
    store = snmp.createModuleStore();
    for (const file of ['IANAifType-MIB.mib', 'IF-MIB.mib']) store.loadFromFile(path.join(NET_SNMP_MIBS, file));
    const files = new Set(trapTables.flatMap((table) => table.mib.files));
    // The imports every vendor MIB needs go first.
    for (const file of ['SNMP-FRAMEWORK-MIB', 'INET-ADDRESS-MIB', ...files]) store.loadFromFile(path.join(MIBS, file));
    entries = new Map();
    for (const module of store.getModuleNames(true)) {
      for (const [name, entry] of Object.entries(store.getModule(module) ?? {})) {
        entries.set(name, [...(entries.get(name) ?? []), entry as Entry]);
      }
    }
  });

  /**
   * The entry of this name in the table's module, else in any loaded module; an SMIv2 definition
   * before the SMIv1 one of the same name (IF-MIB's linkDown, not RFC1215's).
   */
  function lookup(table: TrapTable, name: string): Entry | undefined {
    const own = store.getModule(table.mib.module)?.[name] as Entry | undefined;
    const found = entries.get(name) ?? [];
    return own ?? found.find((entry) => entry.MACRO === 'NOTIFICATION-TYPE') ?? found[0];
  }

  function notificationOid(table: TrapTable, entry: Entry): string | undefined {
    if (entry.MACRO === 'NOTIFICATION-TYPE') return entry.OID;
    if (entry.MACRO === 'TRAP-TYPE' && entry.ENTERPRISE) {
      const enterprise = lookup(table, entry.ENTERPRISE)?.OID;
      return enterprise ? `${enterprise}.0.${entry.VALUE}` : undefined;
    }
    return undefined;
  }

  /** The enumeration of an object's SYNTAX, following a textual convention by name. */
  function enumeration(table: TrapTable, syntax: unknown): Record<string, string> | undefined {
    if (typeof syntax === 'string') return enumeration(table, lookup(table, syntax)?.SYNTAX);
    if (!syntax || typeof syntax !== 'object') return undefined;
    const inner = Object.values(syntax as Record<string, unknown>)[0] as Record<string, unknown> | undefined;
    if (!inner || typeof inner !== 'object' || 'ranges' in inner || 'sizes' in inner) return undefined;
    return inner as Record<string, string>;
  }

  function problems(table: TrapTable, trap: TrapDefinition): string[] {
    const wrong: string[] = [];
    const entry = lookup(table, trap.name);
    if (!entry) return [`${trap.name}: not in the MIB`];
    const oid = notificationOid(table, entry);
    if (oid !== trap.oid) wrong.push(`${trap.name}: OID ${trap.oid}, the MIB says ${oid}`);
    const carried = entry.OBJECTS ?? entry.VARIABLES ?? [];
    const enums = new Map<string, Record<string, string> | undefined>();
    for (const { role, field } of trapFields(trap)) {
      let name: string;
      try {
        name = store.translate(field.oid, snmp.OidFormat.module).split('::')[1];
      } catch {
        name = '(nothing)';
      }
      if (name !== field.object) wrong.push(`${trap.name}.${role}: ${field.oid} is ${name}, not ${field.object}`);
      if (!carried.includes(field.object)) wrong.push(`${trap.name}.${role}: ${field.object} is not among the trap's objects`);
      wrong.push(...enumProblems(table, trap, role, field));
      enums.set(role, field.enum ? Object.fromEntries(Object.entries(field.enum)) : undefined);
    }
    for (const rule of Array.isArray(trap.event) ? trap.event : []) {
      for (const [role, values] of Object.entries(rule.when ?? {})) {
        if (!enums.has(role)) {
          wrong.push(`${trap.name}: a rule tests ${role}, which the trap has no field for`);
          continue;
        }
        const names = enums.get(role);
        for (const value of [values ?? []].flat()) {
          if (names && !Object.values(names).includes(value)) wrong.push(`${trap.name}: rule value ${role} = ${value} is not in the enumeration`);
        }
      }
    }
    return wrong;
  }

  function enumProblems(table: TrapTable, trap: TrapDefinition, role: string, field: TrapField): string[] {
    if (!field.enum) return [];
    const mib = enumeration(table, lookup(table, field.object)?.SYNTAX);
    if (!mib) return [`${trap.name}.${role}: ${field.object} has no enumeration in the MIB`];
    return Object.entries(field.enum)
      .filter(([number, name]) => mib[number] !== name)
      .map(([number, name]) => `${trap.name}.${role}: ${number} is ${mib[number]} in the MIB, not ${name}`);
  }

  for (const table of trapTables) {
    it(`${table.id}: every trap, varbind and enumeration matches ${table.mib.module}`, function () {
      assert.deepStrictEqual(table.traps.flatMap((trap) => problems(table, trap)), []);
    });
  }

  it('the other objects the tables name are the MIB\'s', function () {
    const wrong = trapTables.flatMap((table) => Object.entries(table.objects ?? {})
      .filter(([oid, name]) => store.translate(oid, snmp.OidFormat.module).split('::')[1] !== name)
      .map(([oid, name]) => `${table.id}: ${oid} is not ${name}`));
    assert.deepStrictEqual(wrong, []);
  });

  it('sentry2: all 13 notifications of Sentry2-MIB (US patent 7,099,934) are in the table', function () {
    const mib = Object.entries(store.getModule('Sentry2-MIB'))
      .filter(([, entry]) => (entry as Entry).MACRO === 'NOTIFICATION-TYPE').map(([name]) => name).sort();
    const table = trapTables.find((t) => t.id === 'sentry2')!.traps.map((trap) => trap.name).sort();
    assert.strictEqual(mib.length, 13);
    assert.deepStrictEqual(table, mib);
  });

  it('ups-mib: the well-known alarm OIDs name their alarms', function () {
    for (const alarm of UPS_WELL_KNOWN_ALARMS) {
      assert.strictEqual(store.translate(alarm.oid, snmp.OidFormat.module), `UPS-MIB::${alarm.object}`);
    }
  });

  it('catches a wrong trap number, object and enumeration (the check can fail)', function () {
    const apc = trapTables.find((t) => t.id === 'apc')!;
    const outletOff = apc.traps.find((trap) => trap.name === 'rPDUOutletOff')!;
    assert.deepStrictEqual(problems(apc, { ...outletOff, oid: '1.3.6.1.4.1.318.0.268' }),
      ['rPDUOutletOff: OID 1.3.6.1.4.1.318.0.268, the MIB says 1.3.6.1.4.1.318.0.269']);
    const sentry3 = trapTables.find((t) => t.id === 'sentry3')!;
    const load = sentry3.traps.find((trap) => trap.name === 'outletLoadEvent')!;
    const broken = { ...load, fields: { ...load.fields, status: { ...load.fields!.status!, enum: { 5: 'overload' } } } };
    assert.ok(problems(sentry3, broken).some((line) => /5 is overLoad in the MIB, not overload/.test(line)));
  });
});
