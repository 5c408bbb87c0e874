import * as snmp from 'net-snmp';

export type Access = 'read-only' | 'read-write' | 'not-accessible';

export interface SimColumn {
  number: number;
  name: string;
  type: snmp.ObjectType;
  access?: Access;
}

export interface SimTableDefinition {
  name: string;
  /** The entry OID (table.1), as in the MIB. */
  oid: string;
  columns: SimColumn[];
  /**
   * Index columns in the MIB's INDEX order; `length` for fixed-size string indexes (encoded
   * without a length arc). An index part from another table (Sentry3's outlets:
   * `{ towerIndex, infeedIndex, outletIndex }`, PDU2-MIB's pduId) is either named `foreign` or is
   * simply not one of `columns`: register that table first. net-snmp wants those parts first.
   */
  index: Array<{ columnName: string; length?: number; implied?: boolean; foreign?: string }>;
  /**
   * Called for each SET varbind: column number, the row's index arcs (`65.49`), the value.
   * Return an SNMP error status to refuse it. net-snmp runs every SET twice, a test pass and a
   * commit pass: refuse in either, but change the device only when `commit` is true.
   */
  onSet?: (column: number, row: string, value: unknown, commit: boolean) => snmp.ErrorStatus | void;
  /** Every SET this table accepted, for tests that check what a client wrote. */
  log?: SetRecord[];
}

export interface SetRecord {
  oid: string;
  value: unknown;
}

/** A MIB table in a simulated agent, written from the vendor's MIB column by column. */
export class SimTable {
  private readonly rows = new Set<string>();

  constructor(private readonly mib: snmp.Mib, private readonly definition: SimTableDefinition) {
    const writable = definition.columns.some((column) => column.access === 'read-write');
    mib.registerProvider({
      name: definition.name,
      type: snmp.MibProviderType.Table,
      oid: definition.oid,
      maxAccess: snmp.MaxAccess[writable ? 'read-write' : 'read-only'],
      tableColumns: definition.columns.map((column) => ({
        number: column.number,
        name: column.name,
        type: column.type,
        maxAccess: snmp.MaxAccess[column.access ?? 'read-only'],
      })),
      tableIndex: definition.index.map((part) => ({ ...part })),
      handler: (request: snmp.MibRequest) => this.handle(request),
    } as unknown as snmp.ProviderDefinition);
  }

  /**
   * Add or update a row. `index` is the whole index in INDEX order (other tables' parts too);
   * `values` maps column number -> value and must include this table's own index columns.
   */
  setRow(index: unknown[], values: Record<number, unknown>): void {
    const key = JSON.stringify(index);
    if (!this.rows.has(key)) {
      // net-snmp takes the values of other tables' index parts first in the row.
      const own = new Set(this.definition.columns.map((column) => column.name));
      const foreign = index.filter((_, part) => {
        const indexPart = this.definition.index[part];
        return indexPart && (indexPart.foreign !== undefined || !own.has(indexPart.columnName));
      });
      this.mib.addTableRow(this.definition.name, [...foreign, ...this.definition.columns.map((column) => values[column.number])]);
      this.rows.add(key);
      return;
    }
    for (const column of this.definition.columns) {
      if (column.access === 'not-accessible' || !(column.number in values)) continue;
      this.mib.setTableSingleCell(this.definition.name, column.number, index, values[column.number]);
    }
  }

  private handle(request: snmp.MibRequest): void {
    if (request.operation !== snmp.PduType.SetRequest || !this.definition.onSet) {
      request.done();
      return;
    }
    const rest = request.oid.slice(this.definition.oid.length + 1).split('.');
    const column = Number(rest.shift());
    const commit = request.commitSet === true;
    const status = this.definition.onSet(column, rest.join('.'), request.setValue, commit);
    if (!status && commit) this.definition.log?.push({ oid: request.oid, value: request.setValue });
    request.done(status ? { errorStatus: status } : undefined);
  }
}

export interface SimScalarDefinition {
  name: string;
  /** The object's OID (the value is at `.0`). */
  oid: string;
  type: snmp.ObjectType;
  access?: Access;
  /** As a table's onSet, for a read-write scalar. */
  onSet?: (value: unknown, commit: boolean) => snmp.ErrorStatus | void;
  log?: SetRecord[];
}

/** A MIB scalar in a simulated agent, with its starting value. */
export function simScalar(mib: snmp.Mib, definition: SimScalarDefinition, value: unknown): void {
  const { onSet, log } = definition;
  mib.registerProvider({
    name: definition.name,
    type: snmp.MibProviderType.Scalar,
    oid: definition.oid,
    scalarType: definition.type,
    maxAccess: snmp.MaxAccess[definition.access ?? 'read-only'],
    handler: onSet && ((request: snmp.MibRequest) => {
      if (request.operation !== snmp.PduType.SetRequest) {
        request.done();
        return;
      }
      const commit = request.commitSet === true;
      const status = onSet(request.setValue, commit);
      if (!status && commit) log?.push({ oid: request.oid, value: request.setValue });
      request.done(status ? { errorStatus: status } : undefined);
    }),
  });
  mib.setScalarValue(definition.name, value);
}

export const INT = snmp.ObjectType.Integer;
export const STR = snmp.ObjectType.OctetString;
export const GAUGE = snmp.ObjectType.Gauge;
export const OID = snmp.ObjectType.OID;
