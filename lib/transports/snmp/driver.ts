import * as snmp from 'net-snmp';
import type { DeviceDriver } from '../../device/driver';
import { DeviceCommandError, DeviceConfigError } from '../../device/errors';
import { detectSnmpProfiles, getSnmpProfile, vendorSnmpProfiles } from '../../profiles';
import { enterpriseText } from '../../profiles/enterprises';
import {
  SENSE_FAIL, type ColumnSpec, type EnumSpec, type InputTableSpec, type MibRef, type NumberSpec, type RowFilter,
  type SensorTableSpec, type SnmpProfile,
} from '../../profiles/snmp-profile';
import type {
  CommandReport, DeviceDescription, InputReading, ModuleStatus, OutletInfo, OutletReading, OutletState,
  PowerAction, SensorKind, SensorReading, Snapshot,
} from '../../types';
import { ReadBatch } from './batch';
import { SnmpClient, type ColumnRows, type SnmpValue } from './client';
import { asEnum, asNumber, asText, fahrenheitToCelsius } from './values';
import type { SnmpDriverOptions } from './transport';

const SYS_DESCR = '1.3.6.1.2.1.1.1.0';
/** Input and sensor tables with at most this many values are read by GET, not walked. */
const SMALL_TABLE_VALUES = 24;
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
  /** Decimal digits per number field (Raritan), read once. */
  digits: Record<string, number>;
}

/** Interprets an SNMP profile: which columns to walk, how to read them, what to SET. */
export class SnmpDriver implements DeviceDriver {
  readonly transport = 'snmp' as const;
  /** Each poll reads the name column too, so a rename on the PDU is known at the next poll. */
  readonly readsNames = true;
  readonly address: string;
  private readonly client: SnmpClient;
  private profile?: SnmpProfile;
  private layout = new Map<number, OutletLayout>();
  private inputTables: Array<{ spec: InputTableSpec; rows: TableRow[] }> = [];
  private sensorRows: Record<SensorKind, TableRow[]> = { temperature: [], humidity: [] };
  /** The column the outlet states are read from: the profile's, or its fallback when the device lacks it. */
  private stateColumn?: EnumSpec;

  constructor(private readonly options: SnmpDriverOptions) {
    const port = options.port || 161;
    const credentials = options.credentials;
    const settings = options.settings;
    this.client = new SnmpClient({
      host: options.host,
      port,
      version: settings.version,
      timeout: options.timeout,
      retries: options.retries,
      readCommunity: credentials.readCommunity,
      writeCommunity: credentials.writeCommunity,
      v3: settings.version === '3' ? {
        username: credentials.username ?? '',
        securityLevel: settings.securityLevel,
        authProtocol: settings.authProtocol,
        authKey: credentials.authKey,
        privProtocol: settings.privProtocol,
        privKey: credentials.privKey,
      } : undefined,
    });
    this.address = this.client.address;
  }

  async describe(): Promise<DeviceDescription> {
    // describe() is how a closed driver is used again (see DeviceDriver.close).
    this.client.reopen();
    const [objectId, descr] = await this.client.get([SYS_OBJECT_ID, SYS_DESCR]);
    const sysObjectID = asText(objectId);
    const sysDescr = asText(descr);
    const profile = await this.chooseProfile(sysObjectID, sysDescr);
    this.profile = profile;
    const outlets = await this.describeOutlets(profile);
    this.stateColumn = await this.chooseStateColumn(profile, outlets.length);
    this.inputTables = [];
    for (const spec of inputSpecs(profile)) {
      const before = this.inputTables.reduce((sum, table) => sum + table.rows.length, 0);
      this.inputTables.push({ spec, rows: await this.describeRows(spec, 'Input', { current: spec.current, power: spec.power, voltage: spec.voltage }, before) });
    }
    for (const kind of ['temperature', 'humidity'] as const) {
      const spec = profile.sensors?.[kind];
      this.sensorRows[kind] = spec
        ? await this.describeRows(spec, kind === 'temperature' ? 'Temperature' : 'Humidity', { value: spec.value })
        : [];
    }
    const inputRows = this.inputTables.reduce((sum, table) => sum + table.rows.length, 0);
    const sensorRows = this.sensorRows.temperature.length + this.sensorRows.humidity.length;
    if (outlets.length === 0 && inputRows === 0 && sensorRows === 0) {
      throw new DeviceConfigError(`nothing of the "${profile.id}" profile answers at ${this.address} (no outlets in `
        + `${profile.outlets.rows.object}, no inputs, no sensors): is "${profile.id}" the right profile?`);
    }
    // What this device can do, from what it answers: a family has switched and metered-only models.
    const columns = profile.outlets;
    const switched = Boolean(columns.control) && outlets.length > 0 && !saysMeteredOnly(profile, sysDescr)
      && await this.saysSwitchable(profile, outlets.length);
    const metered = async (column?: ColumnSpec): Promise<boolean> => outlets.length > 0 && Boolean(column) && this.answers(column!);
    return {
      vendor: profile.vendor,
      model: profile.model,
      profile: profile.id,
      outlets,
      info: sysDescr || undefined,
      capabilities: {
        switch: switched,
        nativeReboot: switched && Boolean(columns.control?.reboot) && profile.nativeReboot,
        outletCurrent: await metered(columns.current),
        outletPower: await metered(columns.power),
        moduleStatus: outlets.length > 0 && Boolean(columns.module),
        inputCurrent: this.inputTables.some((table) => Boolean(table.spec.current) && table.rows.length > 0),
        temperature: this.sensorRows.temperature.length > 0,
        humidity: this.sensorRows.humidity.length > 0,
      },
    };
  }

  async read(description: DeviceDescription): Promise<Snapshot> {
    const profile = this.requireProfile();
    const spec = profile.outlets;
    // Everything one poll needs is registered first, then sent in as few packets as possible.
    const batch = new ReadBatch(this.client);
    const pending = Promise.all([
      this.readOutletColumns(batch, description.outlets, {
        state: this.stateColumn,
        module: spec.module,
        // A column the device did not answer at describe is not asked for at every poll.
        current: description.capabilities.outletCurrent ? spec.current : undefined,
        power: description.capabilities.outletPower ? spec.power : undefined,
        name: spec.name,
      }),
      this.readInputs(batch),
      this.readSensors(batch, 'temperature', profile.sensors?.temperature),
      this.readSensors(batch, 'humidity', profile.sensors?.humidity),
    ]);
    // Awaited together: when the poll fails, both reject, and a rejection nobody awaits would
    // end the whole Node-RED process.
    const [[values, inputs, temperature, humidity]] = await Promise.all([pending, batch.run()]);
    const outlets = description.outlets.map((outlet): OutletReading => {
      const layout = this.layout.get(outlet.index)!;
      const reading: OutletReading = {
        index: outlet.index,
        id: outlet.id,
        name: values.name?.has(outlet.index) ? asText(values.name.get(outlet.index)) : outlet.name,
        state: stateOf(values.state?.get(outlet.index), this.stateColumn!),
      };
      const module = spec.module && moduleOf(asEnum(values.module?.get(outlet.index), spec.module), reading.state);
      if (module) reading.module = module;
      const current = spec.current ? asNumber(values.current?.get(outlet.index), spec.current, layout.digits.current) : undefined;
      if (current !== undefined) reading.current = current;
      const power = spec.power ? asNumber(values.power?.get(outlet.index), spec.power, layout.digits.power) : undefined;
      if (power !== undefined) reading.power = power;
      return reading;
    });
    return { outlets, inputs, sensors: [...temperature, ...humidity] };
  }

  async readStates(_description: DeviceDescription, outlets: OutletInfo[]): Promise<Map<number, OutletState>> {
    this.requireProfile();
    const spec = this.stateColumn!;
    const batch = new ReadBatch(this.client);
    const pending = this.readOutletColumns(batch, outlets, { state: spec });
    const [values] = await Promise.all([pending, batch.run()]);
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
    // The profiles named by the sysObjectID first, then the vendor's others: firmware may answer
    // another branch than its sysObjectID suggests. A profile whose outlet table answers wins; a
    // device without outlets (metered only, or outlets not monitored) takes the first profile
    // whose inputs or sensors answer.
    const named = detectSnmpProfiles(sysObjectID, sysDescr);
    let readingsOnly: SnmpProfile | undefined;
    for (const profile of [...named, ...vendorSnmpProfiles(sysObjectID, named)]) {
      // Several families may share a sysObjectID (a CyberPower UPS card and its ePDUs): a profile
      // that names an object it requires is only taken when the agent has it.
      if (profile.detect.requires && !await this.answers(profile.detect.requires)) continue;
      if (await this.answers(profile.outlets.rows)) return profile;
      if (!readingsOnly && await this.answersAny(readingObjects(profile))) readingsOnly = profile;
    }
    if (readingsOnly) return readingsOnly;
    const vendor = enterpriseText(sysObjectID);
    throw new DeviceConfigError(`cannot tell which PDU this is (sysObjectID ${sysObjectID || 'none'}, `
      + `sysDescr "${sysDescr.slice(0, 60)}"${vendor ? `, ${vendor}` : ''}): no profile's outlets, inputs or `
      + 'sensors answer; choose a profile in the device config if it is one we support');
  }

  /** The profile's state column, or its fallback when the device does not answer the first (a Raritan without outletSwitchingState). */
  private async chooseStateColumn(profile: SnmpProfile, outlets: number): Promise<EnumSpec> {
    const { state, stateFallback } = profile.outlets;
    if (!stateFallback || outlets === 0 || await this.answers(state)) return state;
    return stateFallback;
  }

  /** Whether the device's own switchable column (when the profile names one) says yes on some outlet. */
  private async saysSwitchable(profile: SnmpProfile, outlets: number): Promise<boolean> {
    const rule = profile.outlets.switchable;
    if (!rule) return true;
    const [rows] = await this.client.walkColumns([rule.column.oid], outlets);
    return [...rows.values()].some((value) => !rule.values || rule.values.includes(Number(asText(value))));
  }

  private async answersAny(refs: MibRef[]): Promise<boolean> {
    for (const ref of refs) if (await this.answers(ref)) return true;
    return false;
  }

  /** Whether the agent has anything under this object: one GetNext, however long the column. */
  private async answers(ref: MibRef): Promise<boolean> {
    try {
      return await this.client.hasAny(ref.oid);
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
    // No outlet rows: a metered-only device, or one whose outlets are not monitored (a Sentry
    // Smart CDU with infeedOutletCount 0). describe() asks whether the profile fits at all.
    this.layout = new Map();
    if (rows.length === 0) return [];
    const numbers = rows.map((row) => Number(asText(rowsOf(spec.number)?.get(row))));
    const counted = Boolean(spec.number) && numbers.every((n) => Number.isInteger(n) && n > 0);
    const numbered = counted && new Set(numbers).size === numbers.length;
    // A chain of units repeats the outlet numbers: the key (unit, number) tells them apart.
    const chained = counted && !numbered && Boolean(spec.key?.length);
    const joinMaps = await this.joinMaps(profile);
    const keyValues = rows.map((row) => (spec.key ?? []).map((column) => asText(rowsOf(column)?.get(row))));
    const keys = keyValues.map((values) => values.join('|'));
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

  /**
   * Rows of an input or sensor table: which to keep (`where`), their names and decimal digits;
   * `offset` continues the numbering of an earlier table.
   */
  private async describeRows(spec: InputTableSpec | SensorTableSpec, label: string,
    numbers: Record<string, NumberSpec | undefined>, offset = 0): Promise<TableRow[]> {
    let rows: TableRow[];
    if (spec.rows.scalar) {
      // A unit's scalar is one row only when the agent has it: a unit that does not report its
      // readings (or has no probe) has none, rather than a row with nothing in it.
      rows = await this.answers(spec.rows) ? [{ row: '0', index: offset + 1, name: spec.label ?? label, digits: {} }] : [];
    } else {
      const columns = [spec.rows, spec.name, spec.altName, spec.where?.column].filter((column): column is ColumnSpec => Boolean(column));
      const walked = await this.client.walkColumns(columns.map((column) => column.oid));
      const valueOf = (column: ColumnSpec | undefined, row: string): SnmpValue | undefined =>
        (column ? walked[columns.indexOf(column)].get(parentRow(column, row)) : undefined);
      const kept = [...walked[0].keys()].filter((row) => !spec.where || holds(valueOf(spec.where.column, row), spec.where));
      rows = kept.map((row, position) => ({
        row,
        index: offset + position + 1,
        name: asText(valueOf(spec.name, row)) || asText(valueOf(spec.altName, row)) || `${spec.label ?? label} ${position + 1}`,
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
   * Register the reads of outlet columns: columns of the outlet table (or of a joined table) as
   * column walks, columns with a suffix as GETs of their exact instances. Result: column name ->
   * outlet -> value.
   */
  private readOutletColumns(batch: ReadBatch, outlets: OutletInfo[], columns: Record<string, ColumnSpec | undefined>)
    : Promise<Record<string, Map<number, SnmpValue>>> {
    const result: Record<string, Map<number, SnmpValue>> = {};
    const tasks: Array<Promise<void>> = [];
    const walks = new Map<string, Array<[string, ColumnSpec]>>();
    const wanted: Array<{ name: string; outlet: number; oid: string }> = [];
    for (const [name, spec] of Object.entries(columns)) {
      if (!spec || outlets.length === 0) continue;
      result[name] = new Map();
      const table = spec.table ?? '';
      // A few outlets are cheaper to GET than to walk a whole column.
      if (spec.suffix || outlets.length * 4 < this.layout.size) {
        for (const outlet of outlets) {
          if (this.rowOf(outlet.index, table) !== undefined) wanted.push({ name, outlet: outlet.index, oid: this.instanceOid(spec, outlet.index) });
        }
      } else {
        walks.set(table, [...(walks.get(table) ?? []), [name, spec]]);
      }
    }
    for (const [table, specs] of walks) {
      tasks.push(batch.walk(specs.map(([, spec]) => spec.oid), this.layout.size).then((walked) => {
        specs.forEach(([name], position) => {
          for (const outlet of outlets) {
            const row = this.rowOf(outlet.index, table);
            if (row !== undefined && walked[position].has(row)) result[name].set(outlet.index, walked[position].get(row));
          }
        });
      }));
    }
    if (wanted.length > 0) {
      tasks.push(batch.get(wanted.map((item) => item.oid)).then((values) => {
        wanted.forEach((item, position) => {
          if (values[position] !== undefined) result[item.name].set(item.outlet, values[position]);
        });
      }));
    }
    return Promise.all(tasks).then(() => result);
  }

  private readInputs(batch: ReadBatch): Promise<InputReading[]> {
    return Promise.all(this.inputTables.map(({ spec, rows }) => {
      const fields = (['current', 'power', 'voltage'] as const).filter((field) => spec[field]);
      const wanted = [spec.present?.column, ...fields.map((field) => spec[field]!)];
      return this.readRowColumns(batch, rows, wanted).then(([present, ...values]) => rows
        .filter((row) => isPresent(spec.present, present, row))
        .map((row) => {
          const reading: InputReading = { index: row.index, name: row.name };
          fields.forEach((field, position) => {
            const value = asNumber(values[position].get(row.row), spec[field]!, row.digits[field]);
            if (value !== undefined) reading[field] = value;
          });
          return reading;
        }));
    })).then((tables) => tables.flat());
  }

  private readSensors(batch: ReadBatch, kind: SensorKind, spec?: SensorTableSpec): Promise<SensorReading[]> {
    const rows = this.sensorRows[kind];
    if (!spec || rows.length === 0) return Promise.resolve([]);
    // The temperature scale is read every time: an operator may change it while we are connected.
    const scale = kind === 'temperature' ? spec.fahrenheitWhen : undefined;
    const wanted = [spec.present?.column, spec.value, scale?.column];
    return this.readRowColumns(batch, rows, wanted).then(([present, values, units]) => {
      const readings: SensorReading[] = [];
      for (const row of rows) {
        if (!isPresent(spec.present, present, row)) continue;
        let value = asNumber(values.get(row.row), spec.value, row.digits.value);
        if (value === undefined) continue;
        const fahrenheit = kind === 'temperature'
          && (spec.fahrenheit === true || (scale !== undefined && Number(asText(units.get(row.row))) === scale.value));
        if (fahrenheit) value = fahrenheitToCelsius(value);
        readings.push({ index: row.index, name: row.name, type: kind, value, unit: kind === 'temperature' ? '°C' : '%' });
      }
      return readings;
    });
  }

  /**
   * Register the reads of table rows found by describe (inputs, sensors): whole columns as bulk
   * walks, and scalars, suffixed columns and parent-table columns as GETs of their instances.
   * Result: one map per wanted column, row -> value; an absent column gives an empty map.
   */
  private readRowColumns(batch: ReadBatch, rows: TableRow[], wanted: Array<ColumnSpec | undefined>): Promise<ColumnRows[]> {
    const result: ColumnRows[] = wanted.map(() => new Map());
    if (rows.length === 0) return Promise.resolve(result);
    const walked: number[] = [];
    const instances = new Map<string, Array<{ position: number; row: string }>>();
    // A table of a few known rows (an infeed, two probes) costs less as instances in the poll's
    // one GET than as a walk of its own.
    const few = rows.length * wanted.length <= SMALL_TABLE_VALUES;
    wanted.forEach((spec, position) => {
      if (!spec) return;
      if (!few && !spec.scalar && !spec.suffix && !spec.parentArcs) {
        walked.push(position);
        return;
      }
      for (const row of rows) {
        const oid = rowInstance(spec, row.row);
        instances.set(oid, [...(instances.get(oid) ?? []), { position, row: row.row }]);
      }
    });
    const oids = [...instances.keys()];
    return Promise.all([
      walked.length > 0 ? batch.walk(walked.map((position) => wanted[position]!.oid), rows.length) : Promise.resolve([]),
      oids.length > 0 ? batch.get(oids) : Promise.resolve([]),
    ]).then(([columns, values]) => {
      walked.forEach((position, n) => { result[position] = columns[n]; });
      oids.forEach((oid, n) => {
        if (values[n] === undefined) return;
        for (const { position, row } of instances.get(oid)!) result[position].set(row, values[n]);
      });
      return result;
    });
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

/** The objects that tell a profile's inputs or sensors are there: their row columns (or scalars). */
function readingObjects(profile: SnmpProfile): MibRef[] {
  const sensors = [profile.sensors?.temperature, profile.sensors?.humidity];
  return [...inputSpecs(profile), ...sensors].filter((spec): spec is InputTableSpec | SensorTableSpec => Boolean(spec))
    .map((spec) => spec.rows);
}

/** A model of a switched family that says in its sysDescr that it only meters (a Sentry Smart CDU). */
function saysMeteredOnly(profile: SnmpProfile, sysDescr: string): boolean {
  return Boolean(profile.meteredOnly) && new RegExp(profile.meteredOnly!.sysDescr, 'i').test(sysDescr);
}

function inputSpecs(profile: SnmpProfile): InputTableSpec[] {
  if (!profile.inputs) return [];
  return Array.isArray(profile.inputs) ? profile.inputs : [profile.inputs];
}

function stateOf(value: SnmpValue | undefined, spec: EnumSpec): OutletState {
  const mapped = asEnum(value, spec);
  return mapped === 'on' || mapped === 'off' ? mapped : 'unknown';
}

/** A sense failure is named from the sensed state; with the state unknown, so is the failure. */
function moduleOf(mapped: string | undefined, state: OutletState): ModuleStatus | undefined {
  if (mapped !== SENSE_FAIL) return mapped as ModuleStatus | undefined;
  if (state === 'unknown') return undefined;
  return state === 'off' ? 'onFail' : 'offFail';
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

/** A row without a `present` rule is always there; with one, only while its column says so. */
function isPresent(filter: RowFilter | undefined, values: ColumnRows, row: TableRow): boolean {
  return !filter || holds(values.get(row.row), filter);
}
