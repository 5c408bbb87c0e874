import * as snmp from 'net-snmp';
import type { DeviceDriver, DriverOptions } from '../../device/driver';
import { DeviceCommandError, DeviceConfigError } from '../../device/errors';
import { detectSnmpProfile, getSnmpProfile } from '../../profiles';
import type {
  ColumnSpec, EnumSpec, InputTableSpec, NumberSpec, RowTableSpec, SensorTableSpec, SnmpProfile,
} from '../../profiles/snmp-profile';
import type {
  CommandReport, DeviceDescription, InputReading, ModuleStatus, OutletInfo, OutletReading, OutletState,
  PowerAction, SensorKind, SensorReading, Snapshot,
} from '../../types';
import { SnmpClient, type ColumnRows, type SnmpValue } from './client';
import { asEnum, asNumber, asText, fahrenheitToCelsius } from './values';

const SYS_DESCR = '1.3.6.1.2.1.1.1.0';
const SYS_OBJECT_ID = '1.3.6.1.2.1.1.2.0';

/** Where one outlet lives: its row in the outlet table and in each joined table. */
interface OutletLayout {
  row: string;
  joined: Record<string, string | undefined>;
  /** Decimal digits per number column (Raritan), read once. */
  digits: Record<string, number>;
}

interface TableRow {
  row: string;
  index: number;
  name: string;
  fahrenheit?: boolean;
}

/** Interprets an SNMP profile: which columns to walk, how to read them, what to SET. */
export class SnmpDriver implements DeviceDriver {
  readonly transport = 'snmp' as const;
  readonly address: string;
  private readonly client: SnmpClient;
  private profile?: SnmpProfile;
  private layout = new Map<number, OutletLayout>();
  private inputTables: Array<{ spec: InputTableSpec; rows: TableRow[] }> = [];
  private sensorRows: Record<SensorKind, TableRow[]> = { temperature: [], humidity: [] };

  constructor(private readonly options: DriverOptions) {
    const port = options.port || 161;
    const credentials = options.credentials;
    this.client = new SnmpClient({
      host: options.host,
      port,
      version: options.snmpVersion ?? '2c',
      timeout: options.timeout,
      retries: options.retries,
      readCommunity: credentials.readCommunity,
      writeCommunity: credentials.writeCommunity,
      v3: options.snmpVersion === '3' ? {
        username: credentials.username ?? '',
        securityLevel: options.securityLevel ?? 'authPriv',
        authProtocol: options.authProtocol,
        authKey: credentials.authKey,
        privProtocol: options.privProtocol,
        privKey: credentials.privKey,
      } : undefined,
    });
    this.address = this.client.address;
  }

  async describe(): Promise<DeviceDescription> {
    const [objectId, descr] = await this.client.get([SYS_OBJECT_ID, SYS_DESCR]);
    const sysObjectID = asText(objectId);
    const sysDescr = asText(descr);
    const profile = this.chooseProfile(sysObjectID, sysDescr);
    this.profile = profile;
    const outlets = await this.describeOutlets(profile);
    this.inputTables = [];
    for (const spec of inputSpecs(profile)) {
      const before = this.inputTables.reduce((sum, table) => sum + table.rows.length, 0);
      this.inputTables.push({ spec, rows: await this.describeRows(spec, 'Input', before) });
    }
    for (const kind of ['temperature', 'humidity'] as const) {
      const spec = profile.sensors?.[kind];
      this.sensorRows[kind] = spec ? await this.describeRows(spec, kind === 'temperature' ? 'Temperature' : 'Humidity') : [];
    }
    const columns = profile.outlets;
    return {
      vendor: profile.vendor,
      model: profile.model,
      profile: profile.id,
      outlets,
      info: sysDescr || undefined,
      capabilities: {
        switch: Boolean(columns.control),
        nativeReboot: Boolean(columns.control?.reboot) && profile.nativeReboot,
        outletCurrent: Boolean(columns.current),
        outletPower: Boolean(columns.power),
        moduleStatus: Boolean(columns.module),
        inputCurrent: inputSpecs(profile).some((spec) => Boolean(spec.current)),
        temperature: Boolean(profile.sensors?.temperature),
        humidity: Boolean(profile.sensors?.humidity),
      },
    };
  }

  async read(description: DeviceDescription): Promise<Snapshot> {
    const profile = this.requireProfile();
    const spec = profile.outlets;
    const outletColumns = { state: spec.state, module: spec.module, current: spec.current, power: spec.power };
    const [values, inputs, temperature, humidity] = await Promise.all([
      this.readOutletColumns(description.outlets, outletColumns),
      this.readInputs(),
      this.readSensors('temperature', profile.sensors?.temperature),
      this.readSensors('humidity', profile.sensors?.humidity),
    ]);
    const outlets = description.outlets.map((outlet): OutletReading => {
      const layout = this.layout.get(outlet.index)!;
      const reading: OutletReading = {
        index: outlet.index,
        id: outlet.id,
        name: outlet.name,
        state: stateOf(values.state?.get(outlet.index), spec.state),
      };
      const module = spec.module && asEnum(values.module?.get(outlet.index), spec.module);
      if (module) reading.module = module as ModuleStatus;
      const current = spec.current ? asNumber(values.current?.get(outlet.index), spec.current, layout.digits.current) : undefined;
      if (current !== undefined) reading.current = current;
      const power = spec.power ? asNumber(values.power?.get(outlet.index), spec.power, layout.digits.power) : undefined;
      if (power !== undefined) reading.power = power;
      return reading;
    });
    return { outlets, inputs, sensors: [...temperature, ...humidity] };
  }

  async readStates(_description: DeviceDescription, outlets: OutletInfo[]): Promise<Map<number, OutletState>> {
    const spec = this.requireProfile().outlets.state;
    const values = await this.readOutletColumns(outlets, { state: spec });
    return new Map(outlets.map((outlet) => [outlet.index, stateOf(values.state?.get(outlet.index), spec)]));
  }

  async command(_description: DeviceDescription, outlets: OutletInfo[], action: PowerAction): Promise<CommandReport> {
    const control = this.requireProfile().outlets.control;
    const spec = control?.[action];
    if (!spec) throw new DeviceCommandError(`the ${this.requireProfile().id} profile has no "${action}" command`);
    await this.client.set(outlets.map((outlet) => ({
      oid: this.instanceOid(spec, outlet.index),
      type: snmp.ObjectType.Integer,
      value: spec.value,
    })));
    return {};
  }

  async close(): Promise<void> {
    this.client.close();
  }

  private chooseProfile(sysObjectID: string, sysDescr: string): SnmpProfile {
    if (this.options.profile && this.options.profile !== 'auto') {
      const profile = getSnmpProfile(this.options.profile);
      if (!profile) throw new DeviceConfigError(`unknown SNMP profile "${this.options.profile}"`);
      return profile;
    }
    const profile = detectSnmpProfile(sysObjectID, sysDescr);
    if (!profile) {
      throw new DeviceConfigError(`cannot tell which PDU this is (sysObjectID ${sysObjectID || 'none'}, `
        + `sysDescr "${sysDescr.slice(0, 60)}"): choose a profile in the device config`);
    }
    return profile;
  }

  private requireProfile(): SnmpProfile {
    if (!this.profile) throw new DeviceCommandError('device not described yet');
    return this.profile;
  }

  private async describeOutlets(profile: SnmpProfile): Promise<OutletInfo[]> {
    const spec = profile.outlets;
    const idColumn = spec.id && 'oid' in spec.id ? spec.id : undefined;
    const columns = [spec.rows, spec.name, spec.number, idColumn, ...(spec.key ?? [])];
    const present = columns.filter((column): column is ColumnSpec => Boolean(column));
    const walked = await this.client.walkColumns(present.map((column) => column.oid));
    const rowsOf = (column?: ColumnSpec): ColumnRows | undefined => (column ? walked[present.indexOf(column)] : undefined);
    const rows = [...rowsOf(spec.rows)!.keys()];
    if (rows.length === 0) {
      throw new DeviceConfigError(`no outlets found in ${spec.rows.object} at ${this.address}: is "${profile.id}" the right profile?`);
    }
    const numbers = rows.map((row) => Number(asText(rowsOf(spec.number)?.get(row))));
    const counted = Boolean(spec.number) && numbers.every((n) => Number.isInteger(n) && n > 0);
    const numbered = counted && new Set(numbers).size === numbers.length;
    // A chain of units repeats the outlet numbers: the key (unit, number) tells them apart.
    const chained = counted && !numbered && Boolean(spec.key?.length);
    const joinMaps = await this.joinMaps(profile);
    const keyValues = rows.map((row) => (spec.key ?? []).map((column) => asText(rowsOf(column)?.get(row))));
    const keys = keyValues.map((values) => values.join('|'));
    this.layout = new Map();
    const outlets = rows.map((row, position): OutletInfo => {
      const index = numbered ? numbers[position] : position + 1;
      const key = keys[position];
      // Two outlets with one key cannot be told apart in the joined tables: they get no row there.
      const unique = keys.indexOf(key) === keys.lastIndexOf(key);
      const joined: Record<string, string | undefined> = {};
      for (const [table, map] of Object.entries(joinMaps)) joined[table] = unique ? map.get(key) : undefined;
      this.layout.set(index, { row, joined, digits: {} });
      let id = String(index);
      if (idColumn) id = asText(rowsOf(idColumn)?.get(row)) || id;
      else if (spec.id && 'fromIndex' in spec.id) id = (spec.id.prefix ?? '') + row.split('.').map((c) => String.fromCharCode(Number(c))).join('');
      else if (chained) id = keyValues[position].join(':');
      return { index, id, name: asText(rowsOf(spec.name)?.get(row)), groups: [], key: row };
    });
    await this.readDigits(outlets, { current: spec.current, power: spec.power });
    return outlets.sort((a, b) => a.index - b.index);
  }

  /** For each joined table: key (module|number) -> its row index. */
  private async joinMaps(profile: SnmpProfile): Promise<Record<string, Map<string, string>>> {
    const maps: Record<string, Map<string, string>> = {};
    for (const [table, spec] of Object.entries(profile.tables ?? {})) {
      const walked = await this.client.walkColumns(spec.key.map((column) => column.oid));
      const map = new Map<string, string>();
      const repeated = new Set<string>();
      for (const row of walked[0].keys()) {
        const key = walked.map((column) => asText(column.get(row))).join('|');
        if (map.has(key)) repeated.add(key);
        map.set(key, row);
      }
      // A key on two rows would send a command to a guessed row: such outlets get none.
      for (const key of repeated) map.delete(key);
      maps[table] = map;
    }
    return maps;
  }

  private async readDigits(outlets: OutletInfo[], specs: Record<string, NumberSpec | undefined>): Promise<void> {
    for (const [name, spec] of Object.entries(specs)) {
      if (!spec?.digits) continue;
      const digitsSpec = spec.digits;
      const values = await this.client.get(outlets.map((outlet) => this.instanceOid(digitsSpec, outlet.index)));
      outlets.forEach((outlet, position) => {
        this.layout.get(outlet.index)!.digits[name] = Number(asText(values[position])) || 0;
      });
    }
  }

  /** The rows of an input or sensor table; `offset` continues the numbering of an earlier table. */
  private async describeRows(spec: InputTableSpec | SensorTableSpec, label: string, offset = 0): Promise<TableRow[]> {
    const fahrenheit = 'fahrenheitWhen' in spec ? spec.fahrenheitWhen : undefined;
    if (spec.rows.scalar) {
      return [{ row: '0', index: offset + 1, name: spec.label ?? label }];
    }
    const columns = [spec.rows, spec.name, fahrenheit?.column].filter((column): column is ColumnSpec => Boolean(column));
    const walked = await this.client.walkColumns(columns.map((column) => column.oid));
    const nameRows = spec.name ? walked[1] : undefined;
    const unitRows = fahrenheit ? walked[columns.indexOf(fahrenheit.column)] : undefined;
    return [...walked[0].keys()].map((row, position) => ({
      row,
      index: offset + position + 1,
      name: asText(nameRows?.get(row)) || `${spec.label ?? label} ${position + 1}`,
      fahrenheit: fahrenheit ? Number(asText(unitRows?.get(row))) === fahrenheit.value : undefined,
    }));
  }

  /**
   * Read outlet columns: columns of the outlet table (or of one joined table) in one bulk walk,
   * columns with a suffix by GET of their exact instances. Result: column name -> outlet -> value.
   */
  private async readOutletColumns(outlets: OutletInfo[], columns: Record<string, ColumnSpec | undefined>)
    : Promise<Record<string, Map<number, SnmpValue>>> {
    const result: Record<string, Map<number, SnmpValue>> = {};
    const walks = new Map<string, Array<[string, ColumnSpec]>>();
    const gets: Array<[string, ColumnSpec]> = [];
    for (const [name, spec] of Object.entries(columns)) {
      if (!spec) continue;
      result[name] = new Map();
      // A few outlets are cheaper to GET than to walk a whole column.
      if (spec.suffix || outlets.length * 4 < this.layout.size) gets.push([name, spec]);
      else walks.set(spec.table ?? '', [...(walks.get(spec.table ?? '') ?? []), [name, spec]]);
    }
    const tasks: Array<Promise<void>> = [];
    for (const [table, specs] of walks) {
      tasks.push(this.client.walkColumns(specs.map(([, spec]) => spec.oid), this.layout.size).then((walked) => {
        specs.forEach(([name], position) => {
          for (const outlet of outlets) {
            const row = this.rowOf(outlet.index, table);
            if (row !== undefined && walked[position].has(row)) result[name].set(outlet.index, walked[position].get(row));
          }
        });
      }));
    }
    if (gets.length > 0) {
      const wanted: Array<{ name: string; outlet: number; oid: string }> = [];
      for (const [name, spec] of gets) {
        for (const outlet of outlets) {
          if (this.rowOf(outlet.index, spec.table ?? '') !== undefined) {
            wanted.push({ name, outlet: outlet.index, oid: this.instanceOid(spec, outlet.index) });
          }
        }
      }
      tasks.push(this.client.get(wanted.map((item) => item.oid)).then((values) => {
        wanted.forEach((item, position) => {
          if (values[position] !== undefined) result[item.name].set(item.outlet, values[position]);
        });
      }));
    }
    await Promise.all(tasks);
    return result;
  }

  private async readInputs(): Promise<InputReading[]> {
    const tables = await Promise.all(this.inputTables.map(async ({ spec, rows }) => {
      const fields = (['current', 'power', 'voltage'] as const).filter((field) => spec[field]);
      const [counts, ...values] = await this.readRowColumns(rows, [spec.when?.column, ...fields.map((field) => spec[field]!)]);
      return rows.filter((row) => rowCounts(spec, counts, row)).map((row) => {
        const reading: InputReading = { index: row.index, name: row.name };
        fields.forEach((field, position) => {
          const value = asNumber(values[position].get(row.row), spec[field]!);
          if (value !== undefined) reading[field] = value;
        });
        return reading;
      });
    }));
    return tables.flat();
  }

  private async readSensors(kind: SensorKind, spec?: SensorTableSpec): Promise<SensorReading[]> {
    if (!spec || this.sensorRows[kind].length === 0) return [];
    const [counts, values] = await this.readRowColumns(this.sensorRows[kind], [spec.when?.column, spec.value]);
    const readings: SensorReading[] = [];
    for (const row of this.sensorRows[kind]) {
      if (!rowCounts(spec, counts, row)) continue;
      let value = asNumber(values.get(row.row), spec.value);
      if (value === undefined) continue;
      if (kind === 'temperature' && row.fahrenheit) value = fahrenheitToCelsius(value);
      readings.push({ index: row.index, name: row.name, type: kind, value, unit: kind === 'temperature' ? '°C' : '%' });
    }
    return readings;
  }

  /** Values of some columns for table rows found by describe (inputs, sensors); none for an absent spec. */
  private async readRowColumns(rows: TableRow[], wanted: Array<ColumnSpec | undefined>): Promise<ColumnRows[]> {
    const specs = wanted.filter((spec): spec is ColumnSpec => Boolean(spec));
    let values: ColumnRows[] = specs.map(() => new Map());
    if (specs.length > 0 && rows.length > 0) {
      if (specs.every((spec) => spec.scalar)) {
        values = (await this.client.get(specs.map((spec) => `${spec.oid}.0`))).map((value) => new Map([['0', value]]));
      } else {
        values = await this.client.walkColumns(specs.map((spec) => spec.oid), rows.length);
      }
    }
    return wanted.map((spec) => (spec ? values[specs.indexOf(spec)] : new Map()));
  }

  private rowOf(index: number, table: string): string | undefined {
    const layout = this.layout.get(index);
    if (!layout) return undefined;
    return table ? layout.joined[table] : layout.row;
  }

  private instanceOid(spec: ColumnSpec, index: number): string {
    const row = this.rowOf(index, spec.table ?? '');
    if (row === undefined) {
      throw new DeviceCommandError(`outlet ${index} has no row in the ${spec.table ?? 'outlet'} table (${spec.object})`);
    }
    return `${spec.oid}.${row}${spec.suffix ? `.${spec.suffix}` : ''}`;
  }
}

function inputSpecs(profile: SnmpProfile): InputTableSpec[] {
  if (!profile.inputs) return [];
  return Array.isArray(profile.inputs) ? profile.inputs : [profile.inputs];
}

/** Whether a row counts now: its `when` column holds one of the listed values (or there is no such rule). */
function rowCounts(spec: RowTableSpec, values: ColumnRows, row: TableRow): boolean {
  if (!spec.when) return true;
  const value = Number(asText(values.get(row.row)));
  return spec.when.values.includes(value);
}

function stateOf(value: SnmpValue | undefined, spec: EnumSpec): OutletState {
  const mapped = asEnum(value, spec);
  return mapped === 'on' || mapped === 'off' ? mapped : 'unknown';
}
