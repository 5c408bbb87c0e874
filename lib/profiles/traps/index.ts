import { apcTraps } from './apc';
import { cyberpowerTraps } from './cyberpower';
import { cyberpowerEpdu2Traps } from './cyberpower-epdu2';
import { eatonTraps } from './eaton';
import { genericTraps } from './generic';
import { geistTraps } from './geist';
import { panduitTraps } from './panduit';
import { eatonEpduMaTraps, raritanPx1Traps } from './pdu-mib';
import { raritanTraps } from './raritan';
import { sentry2Traps, sentry3Traps, sentry4Traps } from './sentry';
import { trippLiteTraps } from './tripplite';
import type { TrapDefinition, TrapTable } from './trap-table';
import { upsMibTraps } from './ups-mib';

/** Every vendor's trap table. Add a vendor by adding its file and one line here. */
export const trapTables: TrapTable[] = [
  genericTraps,
  upsMibTraps,
  sentry2Traps,
  sentry3Traps,
  sentry4Traps,
  apcTraps,
  raritanTraps,
  eatonTraps,
  cyberpowerTraps,
  cyberpowerEpdu2Traps,
  geistTraps,
  trippLiteTraps,
  panduitTraps,
  raritanPx1Traps,
  eatonEpduMaTraps,
];

/** Every known trap by its v2 OID. */
export function trapIndex(tables: TrapTable[] = trapTables): Map<string, { trap: TrapDefinition; table: TrapTable }> {
  const index = new Map<string, { trap: TrapDefinition; table: TrapTable }>();
  for (const table of tables) for (const trap of table.traps) index.set(trap.oid, { trap, table });
  return index;
}
