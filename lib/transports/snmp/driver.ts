import * as snmp from 'net-snmp';
import type { DeviceDriver, DriverOptions } from '../../device/driver';
import { DeviceCommandError, DeviceConfigError } from '../../device/errors';
import { detectSnmpProfiles, getSnmpProfile } from '../../profiles';
import type {
  ColumnSpec, EnumSpec, InputTableSpec, MibRef, NumberSpec, RowFilter, SensorTableSpec, SnmpProfile,
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
  /** Decimal digits per number field (Raritan), read once. */
  digits: Record<string, number>;
}

/** Interprets an SNMP profile: which columns to walk, how to read them, what to SET. */
export class SnmpDriver implements DeviceDriver {
  readonly transport = 'snmp' as const;
  readonly address: string;
  private readonly client: SnmpClient;
  private profile?: SnmpProfile;
  private layout = new Map<number, OutletLayout>();
  private inputRows: TableRow[] = [];
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
    const profile = await this.chooseProfile(sysObjectID, sysDescr);
    this.profile = profile;
    const outlets = await this.describeOutlets(profile);
    const inputs = profile.inputs;
    if (inputs) {
      this.inputRows = await this.describeRows(inputs, 'Input', { current: inputs.current, power: inputs.power, voltage: inputs.voltage });
    }
    for (const kind of ['temperature', 'humidity'] as const) {
      const spec = profile.sensors?.[kind];
      this.sensorRows[kind] = spec
        ? await this.describeRows(spec, kind === 'temperature' ? 'Temperature' : 'Humidity', { value: spec.value })
        : [];
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
        inputCurrent: Boolean(profile.inputs?.current),
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
      profile.inputs ? this.readInputs(profile.inputs) : Promise.resolve([]),
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

  private async chooseProfile(sysObjectID: string, sysDescr: string): Promise<SnmpProfile> {
    if (this.options.profile && this.options.profile !== 'auto') {
      const profile = getSnmpProfile(this.options.profile);
      if (!profile) throw new DeviceConfigError(`unknown SNMP profile "${this.options.profile}"`);
      return profile;
    }
    for (const profile of detectSnmpProfiles(sysObjectID, sysDescr)) {
      if (!profile.detect.requires || await this.answers(profile.detect.requires)) return profile;
    }
    throw new DeviceConfigError(`cannot tell which PDU this is (sysObjectID ${sysObjectID || 'none'}, `
      + `sysDescr "${sysDescr.slice(0, 60)}"): choose a profile in the device config`);
  }

  /** Whether the agent has anything at or under this object (one GetNext's worth). */
  private async answers(ref: MibRef): Promise<boolean> {
    try {
      const [rows] = await this.client.walkColumns([ref.oid], 1);
      return rows.size > 0;
    } catch (error) {
      // An SNMPv1 agent answers a GetNext past its last object with noSuchName.
      if (error instanceof DeviceCommandError) return false;
      throw error;
    }
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
    const numbered = Boolean(spec.number) && numbers.every((n) => Number.isInteger(n) && n > 0)
      && new Set(numbers).size === numbers.length;
    const joinMaps = await this.joinMaps(profile);
    this.layout = new Map();
    const outlets = rows.map((row, position): OutletInfo => {
      const index = numbered ? numbers[position] : position + 1;
      const key = (spec.key ?? []).map((column) => asText(rowsOf(column)?.get(row))).join('|');
      const joined: Record<string, string | undefined> = {};
      for (const [table, map] of Object.entries(joinMaps)) joined[table] = map.get(key);
      this.layout.set(index, { row, joined, digits: {} });
      let id = String(index);
      if (idColumn) id = asText(rowsOf(idColumn)?.get(row)) || id;
      else if (spec.id && 'fromIndex' in spec.id) id = (spec.id.prefix ?? '') + row.split('.').map((c) => String.fromCharCode(Number(c))).join('');
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
      for (const row of walked[0].keys()) map.set(walked.map((column) => asText(column.get(row))).join('|'), row);
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

  /** Rows of an input or sensor table: which to keep, their names, units and decimal digits. */
  private async describeRows(spec: InputTableSpec | SensorTableSpec, label: string,
    numbers: Record<string, NumberSpec | undefined>): Promise<TableRow[]> {
    const unit = 'fahrenheitWhen' in spec ? spec.fahrenheitWhen : undefined;
    const alwaysFahrenheit = 'fahrenheit' in spec && spec.fahrenheit === true;
    let rows: TableRow[];
    if (spec.rows.scalar) {
      rows = [{ row: '0', index: 1, name: spec.label ?? label, fahrenheit: alwaysFahrenheit, digits: {} }];
    } else {
      const columns = [spec.rows, spec.name, spec.where?.column, unit?.column].filter((column): column is ColumnSpec => Boolean(column));
      const walked = await this.client.walkColumns(columns.map((column) => column.oid));
      const valueOf = (column: ColumnSpec | undefined, row: string): SnmpValue | undefined =>
        (column ? walked[columns.indexOf(column)].get(parentRow(column, row)) : undefined);
      const kept = [...walked[0].keys()].filter((row) => !spec.where || holds(valueOf(spec.where.column, row), spec.where));
      rows = kept.map((row, position) => ({
        row,
        index: position + 1,
        name: asText(valueOf(spec.name, row)) || `${spec.label ?? label} ${position + 1}`,
        fahrenheit: alwaysFahrenheit || (unit ? Number(asText(valueOf(unit.column, row))) === unit.value : false),
        digits: {},
      }));
    }
    for (const [field, number] of Object.entries(numbers)) {
      const digits = number?.digits;
      if (!digits || rows.length === 0) continue;
      const values = await this.client.get(rows.map((row) => rowInstance(digits, row.row)));
      rows.forEach((row, position) => { row.digits[field] = Number(asText(values[position])) || 0; });
    }
    return rows;
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

  private async readInputs(spec: InputTableSpec): Promise<InputReading[]> {
    const fields = (['current', 'power', 'voltage'] as const).filter((field) => spec[field]);
    const [present, ...values] = await this.readRowColumns(this.inputRows,
      [spec.present?.column, ...fields.map((field) => spec[field]!)]);
    return this.inputRows.filter((row) => isPresent(spec.present, present, row)).map((row) => {
      const reading: InputReading = { index: row.index, name: row.name };
      fields.forEach((field, position) => {
        const value = asNumber(values[position].get(row.row), spec[field]!, row.digits[field]);
        if (value !== undefined) reading[field] = value;
      });
      return reading;
    });
  }

  private async readSensors(kind: SensorKind, spec?: SensorTableSpec): Promise<SensorReading[]> {
    if (!spec || this.sensorRows[kind].length === 0) return [];
    const [present, values] = await this.readRowColumns(this.sensorRows[kind], [spec.present?.column, spec.value]);
    const readings: SensorReading[] = [];
    for (const row of this.sensorRows[kind]) {
      if (!isPresent(spec.present, present, row)) continue;
      let value = asNumber(values.get(row.row), spec.value, row.digits.value);
      if (value === undefined) continue;
      if (kind === 'temperature' && row.fahrenheit) value = fahrenheitToCelsius(value);
      readings.push({ index: row.index, name: row.name, type: kind, value, unit: kind === 'temperature' ? '°C' : '%' });
    }
    return readings;
  }

  /**
   * Values of some columns for table rows found by describe (inputs, sensors): whole columns in
   * one bulk walk, scalars and columns with a suffix or a parent table by GET of their instances.
   */
  private async readRowColumns(rows: TableRow[], specs: Array<ColumnSpec | undefined>): Promise<ColumnRows[]> {
    const result: ColumnRows[] = specs.map(() => new Map());
    if (rows.length === 0) return result;
    const walked: number[] = [];
    const wanted: Array<{ position: number; row: string; oid: string }> = [];
    specs.forEach((spec, position) => {
      if (!spec) return;
      if (!spec.scalar && !spec.suffix && !spec.parentArcs) walked.push(position);
      else for (const row of rows) wanted.push({ position, row: row.row, oid: rowInstance(spec, row.row) });
    });
    const [columns, values] = await Promise.all([
      walked.length > 0 ? this.client.walkColumns(walked.map((position) => specs[position]!.oid), rows.length) : [],
      wanted.length > 0 ? this.client.get(wanted.map((item) => item.oid)) : [],
    ]);
    walked.forEach((position, n) => { result[position] = columns[n]; });
    wanted.forEach((item, n) => { if (values[n] !== undefined) result[item.position].set(item.row, values[n]); });
    return result;
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

function stateOf(value: SnmpValue | undefined, spec: EnumSpec): OutletState {
  const mapped = asEnum(value, spec);
  return mapped === 'on' || mapped === 'off' ? mapped : 'unknown';
}

/** The row index in a column's own table: the leading arcs when it is a parent table. */
function parentRow(column: ColumnSpec, row: string): string {
  return column.parentArcs ? row.split('.').slice(0, column.parentArcs).join('.') : row;
}

/** The OID of a column's instance for a row of an input or sensor table. */
function rowInstance(column: ColumnSpec, row: string): string {
  if (column.scalar) return `${column.oid}.0`;
  return `${column.oid}.${parentRow(column, row)}${column.suffix ? `.${column.suffix}` : ''}`;
}

function holds(value: SnmpValue | undefined, filter: RowFilter): boolean {
  const text = asText(value);
  return text !== '' && filter.values.includes(Number(text));
}

function isPresent(filter: RowFilter | undefined, values: ColumnRows, row: TableRow): boolean {
  return !filter || holds(values.get(row.row), filter);
}
