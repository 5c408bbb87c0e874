import type * as snmp from 'net-snmp';

/** A notification as the trap listener accepted it: what it hands to its subscribers. */
export interface ReceivedNotification {
  version: '1' | '2c' | '3';
  kind: 'trap' | 'inform';
  source: { address: string; port: number; family: string };
  /** Who it authenticated as: a community (never the string itself) or a v3 user. */
  security: { model: 'community'; matched: string } | { model: 'usm'; user: string; level: string; engineID: string; matched: string };
  pdu: {
    varbinds: snmp.Varbind[];
    enterprise?: string;
    agentAddr?: string;
    generic?: number;
    specific?: number;
    upTime?: number;
  };
}
