// The shape of an SNMP vendor profile: vendor knowledge as data. Every OID carries the MIB object
// name it stands for, and test/profiles checks each one against the vendor's own MIB file.

/** An OID with the name of the MIB object it is. For a column, the OID of the column (entry.N). */
export interface MibRef {
  oid: string;
  object: string;
}

export interface ColumnSpec extends MibRef {
  /** OID arcs after the row index (Raritan's readings: `.{pdu}.{outlet}.{sensorType}`). */
  suffix?: string;
  /** The column lives in another table (`tables`), whose rows are matched to ours by key. */
  table?: string;
  /**
   * A scalar: `oid` is the object and `.0` is read, with no rows. Beside a table's columns it
   * holds for every row (Sentry4's one temperature scale for all its sensors).
   */
  scalar?: boolean;
  /**
   * The column is in a parent table indexed by the first `parentArcs` arcs of our row: Eaton's
   * temperatureScale is set per unit, its temperature rows are `unit.sensor`.
   */
  parentArcs?: number;
}

export interface NumberSpec extends ColumnSpec {
  /** Multiply the raw value: 0.1 for tenths of an ampere, 1000 for kW -> W. */
  scale?: number;
  /** Divide by 10^digits, digits read once from this column (Raritan's decimalDigits). */
  digits?: ColumnSpec;
  /** Raw values that mean "not available" (Sentry's -1). */
  invalid?: number[];
  /** Every raw value below this means "not available" (Panduit's negative watts). */
  invalidBelow?: number;
  /** A DisplayString carrying the number (`2.3 Amps`, `27.0 Deg C.`); words like `N/A` mean none. */
  text?: boolean;
  /** Words a text value may hold instead of a number, and the number they mean (`Not On` = 0 A). */
  words?: Record<string, number>;
}

export interface EnumSpec extends ColumnSpec {
  /** Raw value (integer, or text compared case-insensitively) -> our value. Unlisted -> unknown. */
  map: Record<string, string>;
}

/**
 * A module status that says only that the sensed power disagrees with the control state
 * (Sentry4's `pwrError`). The outlet's sensed state tells which failure it is: off -> `onFail`
 * (set on, no power out), on -> `offFail` (set off, power still out).
 */
export const SENSE_FAIL = 'senseFail';

/** Writing `value` (an INTEGER) to this column at the outlet's row does the action. */
export interface SetSpec extends ColumnSpec {
  value: number;
}

/** Rows whose `column` holds one of `values` (INTEGERs, TruthValue true is 1). */
export interface RowFilter {
  column: ColumnSpec;
  values: number[];
}

export interface RowTableSpec {
  /** The column walked to find the rows (one that every row has). */
  rows: ColumnSpec;
  name?: ColumnSpec;
  /** The name when `name` gives none for a row (Sentry4's st4PhaseLabel where st4PhaseID is missing). */
  altName?: ColumnSpec;
  /** Keep only these rows, chosen once: Raritan's external sensors of one type, CyberPower's phase rows. */
  where?: RowFilter;
  /** Checked at every read: a row is left out while it is not present (a probe unplugged). */
  present?: RowFilter;
}

export interface SensorTableSpec extends RowTableSpec {
  value: NumberSpec;
  /**
   * Temperatures reported in Fahrenheit when this column (or scalar) holds `value`. Read with
   * every reading: the scale is a setting an operator can change while we are connected.
   */
  fahrenheitWhen?: { column: ColumnSpec; value: number };
  /** Temperatures always in Fahrenheit (CyberPower's envirTemperature). */
  fahrenheit?: boolean;
  /** Name for rows without a name column: `Sensor` -> `Sensor 1`, `Sensor 2`. */
  label?: string;
}

export interface InputTableSpec extends RowTableSpec {
  current?: NumberSpec;
  power?: NumberSpec;
  voltage?: NumberSpec;
  label?: string;
}

export interface SnmpProfile {
  id: string;
  vendor: string;
  model: string;
  /** The MIB module the objects come from (e.g. `PowerNet-MIB`), and the files it needs. */
  mib: { module: string; files: string[] };
  /**
   * `auto` picks this profile when sysObjectID starts with one of these (and sysDescr matches, and
   * the device answers `requires`: CyberPower's ePDUs and UPSes share one sysObjectID branch).
   */
  detect: { sysObjectID: string[]; sysDescr?: string; requires?: MibRef };
  /** The vendor's factory communities, as its manual gives them (for operators; nothing fills them in). */
  defaults?: { readCommunity?: string; writeCommunity?: string; trapCommunity?: string };
  /**
   * Models of the family that cannot switch, told by their sysDescr (a regular expression): they
   * answer the outlet table but have no outlet control (Sentry's `Sentry Smart CDU`).
   */
  meteredOnly?: { sysDescr: string };
  /** The reboot command keeps the outlet off for the device's own delay. */
  nativeReboot: boolean;
  outlets: {
    rows: ColumnSpec;
    name: ColumnSpec;
    /** The outlet number as the vendor counts it; without it, outlets are numbered in table order. */
    number?: ColumnSpec;
    /** The vendor's absolute id: a column, or the row index read as ASCII (Sentry2's `A1`). */
    id?: ColumnSpec | { fromIndex: 'ascii'; prefix?: string };
    /**
     * Columns whose values identify the outlet in the joined tables (APC: module + number). When
     * the numbers repeat (a chain of units), outlets are numbered in table order and the key
     * values joined by `:` are the id (`2:5`, unit 2 outlet 5).
     */
    key?: ColumnSpec[];
    state: EnumSpec;
    /** Read instead of `state` when the device does not answer it (another object with the same state). */
    stateFallback?: EnumSpec;
    module?: EnumSpec;
    current?: NumberSpec;
    power?: NumberSpec;
    control?: { on: SetSpec; off: SetSpec; reboot?: SetSpec };
    /**
     * The device's own word on whether it switches: it does when this column answers (with one of
     * `values`, when given) on some outlet. Metered models of a family answer the same outlet table
     * without it, or with false (Raritan's outletSwitchable).
     */
    switchable?: { column: ColumnSpec; values?: number[] };
  };
  /** Other tables with outlet columns, matched to the outlet rows by their key columns. */
  tables?: Record<string, { key: ColumnSpec[] }>;
  /** Input rows; several tables add up in order (APC: the phases, then each unit's total power). */
  inputs?: InputTableSpec | InputTableSpec[];
  sensors?: { temperature?: SensorTableSpec; humidity?: SensorTableSpec };
}

/** Every MibRef in a profile, with where it sits, for the MIB check and the editor. */
export function profileObjects(profile: SnmpProfile): Array<{ path: string; ref: MibRef }> {
  const found: Array<{ path: string; ref: MibRef }> = [];
  const visit = (value: unknown, path: string): void => {
    if (!value || typeof value !== 'object') return;
    const record = value as Record<string, unknown>;
    if (typeof record.oid === 'string' && typeof record.object === 'string') found.push({ path, ref: record as unknown as MibRef });
    for (const [key, inner] of Object.entries(record)) visit(inner, path ? `${path}.${key}` : key);
  };
  visit(profile, '');
  return found;
}
