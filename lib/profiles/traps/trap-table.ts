import type { Severity } from '../../types';

// The shape of a vendor's trap table: which notifications it sends, which varbinds carry the
// outlet, sensor and reading, and which of our event names each one becomes. Vendor knowledge as
// data: every OID carries the MIB name it stands for, and test/profiles/trap-mibs checks each one
// (and each enumeration value) against the vendor's own MIB file.

/** Where a field of the event is read from, in the trap's varbinds. */
export interface TrapField {
  /** The object the varbind is an instance of (a column or a scalar, without the instance arcs). */
  oid: string;
  object: string;
  /**
   * `value` (default): the varbind's value. `index`: the last arc of its instance (a column's row
   * number). `ascii`: the instance arcs read as characters (Sentry2's port `A1` is `.65.49`).
   */
  from?: 'value' | 'index' | 'ascii';
  /** Add this to a row number read `from: 'index'` (Eaton's first ePDU numbers its outlet rows from 0). */
  offset?: number;
  /** Multiply a number by this (0.01 for hundredths of an ampere). */
  scale?: number;
  /** The number is inside a text (`2.30A`, `27.0 Deg C.`). */
  text?: boolean;
  /** Integer values and their names as the MIB enumerates them; rules compare these names. */
  enum?: Record<number, string>;
  /** Raw values that mean "no reading" (Sentry's -1). */
  invalid?: number[];
  /** Put before a text id (Sentry2 writes its ports `.A1`). */
  prefix?: string;
  /**
   * Ids of a chain of boards as numbers: `C` is board 3, and with `portsPerBoard` 4, `C4` is
   * port (3 - 1) x 4 + 4 = 12 (Sentry2's chain of boards A-Z with four ports each).
   */
  chain?: { portsPerBoard?: number };
  /** The reading is always in Fahrenheit (converted to °C). */
  fahrenheit?: boolean;
  /** The reading's unit in the event text when it is not the event's usual one (A, °C, %). */
  unit?: string;
}

/** The parts of an event a trap can carry. */
export type TrapFieldRole =
  | 'device'
  | 'outletIndex' | 'outletId' | 'outletName'
  | 'sensorIndex' | 'sensorId' | 'sensorName' | 'sensorType'
  | 'status' | 'previous' | 'control' | 'value' | 'thresholdHigh' | 'thresholdLow' | 'scale'
  | 'text'
  /** The vendor's own severity of an alarm (Geist's trapSeverity warning / alarm). */
  | 'severity';

export type TrapFields = Partial<Record<TrapFieldRole, TrapField>>;

/** The first rule whose `when` holds names the event; values compare by enum name or raw text. */
export interface TrapRule {
  when?: Partial<Record<TrapFieldRole, string | string[]>>;
  event: string;
  severity?: Severity;
}

export type SubjectKind = 'outlet' | 'input' | 'temperature' | 'humidity' | 'sensor' | 'device';

export interface TrapDefinition {
  /** The notification's OID in v2 form; v1 traps are `enterprise.0.specific`. */
  oid: string;
  /** Its NOTIFICATION-TYPE or TRAP-TYPE name in the MIB. */
  name: string;
  /** A fixed event name, or rules; when no rule holds the event is the trap's MIB name. */
  event?: string | TrapRule[];
  /** Severity when neither the rule nor the event's usual severity says. */
  severity?: Severity;
  /** What the outlet/sensor fields describe, which decides `sensor.type` and the text. */
  subject?: SubjectKind;
  fields?: TrapFields;
  /** The reading is in Fahrenheit when this field holds this enum name (converted to °C). */
  fahrenheitWhen?: { field: TrapFieldRole; is: string };
}

export interface TrapTable {
  id: string;
  vendor: string;
  /** The MIB module defining the traps, and the files (in the MIB folder) it needs loaded. */
  mib: { module: string; files: string[] };
  traps: TrapDefinition[];
  /** Other objects the traps carry, by OID, so every varbind in msg.snmp has its name. */
  objects?: Record<string, string>;
}

/** Every TrapField in a table with where it sits, for the MIB check. */
export function trapFields(trap: TrapDefinition): Array<{ role: TrapFieldRole; field: TrapField }> {
  return Object.entries(trap.fields ?? {}).map(([role, field]) => ({ role: role as TrapFieldRole, field: field as TrapField }));
}
