import type { Severity } from '../../types';
import type { SubjectKind, TrapDefinition, TrapField, TrapFields, TrapRule } from './trap-table';

/** The event families with High / Low / Normal names (README, pdu-status events). */
export type LevelEvent = 'load' | 'inputLoad' | 'temperature' | 'humidity';

/**
 * Rules for a trap whose `status` field says where a reading is: the names in `high` become
 * `<family>High` (critical unless listed under `highWarning`), `low` -> `<family>Low`, `normal`
 * -> `<family>Normal`.
 */
export function levelRules(family: LevelEvent, states: {
  high?: string[]; highWarning?: string[]; low?: string[]; lowWarning?: string[]; normal?: string[];
}): TrapRule[] {
  const rules: TrapRule[] = [];
  const add = (names: string[] | undefined, suffix: string, severity?: Severity): void => {
    if (names?.length) rules.push({ when: { status: names }, event: `${family}${suffix}`, ...(severity ? { severity } : {}) });
  };
  add(states.high, 'High', 'critical');
  add(states.highWarning, 'High', 'warning');
  add(states.low, 'Low', 'critical');
  add(states.lowWarning, 'Low', 'warning');
  add(states.normal, 'Normal');
  return rules;
}

/** A field for a varbind's value. */
export function field(oid: string, object: string, extra: Omit<TrapField, 'oid' | 'object'> = {}): TrapField {
  return { oid, object, ...extra };
}

/**
 * APC's and CyberPower's load traps: low load, near overload, overload and the clear of each at
 * trap numbers first .. first+5 (`rPDULowLoad`, `rPDULowLoadCleared`, `rPDUNearOverload` ...).
 */
export function overloadTraps(oid: (n: number) => string, first: number, prefix: string, family: 'load' | 'inputLoad',
  fields: TrapFields, subject: SubjectKind): TrapDefinition[] {
  const steps: Array<[string, string, Severity?]> = [
    ['LowLoad', `${family}Low`, 'warning'], ['LowLoadCleared', `${family}Normal`],
    ['NearOverload', `${family}High`, 'warning'], ['NearOverloadCleared', `${family}Normal`],
    ['Overload', `${family}High`, 'critical'], ['OverloadCleared', `${family}Normal`],
  ];
  return steps.map(([suffix, event, severity], i) => ({
    oid: oid(first + i), name: `${prefix}${suffix}`, subject, fields, event: [{ event, ...(severity ? { severity } : {}) }],
  }));
}

/**
 * Builders for an enterprise's SMIv1 TRAP-TYPEs (APC, CyberPower): `trap(N, ...)` is
 * enterprise.0.N, and `ups(N, name, event)` a UPS trap that carries only the vendor's message.
 */
export function enterpriseTraps(enterprise: string, text: TrapField) {
  const oid = (n: number): string => `${enterprise}.0.${n}`;
  const trap = (n: number, name: string, event: string | undefined, fields: TrapFields, extra: Partial<TrapDefinition> = {}): TrapDefinition => ({
    oid: oid(n), name, ...(event ? { event } : {}), fields, ...extra,
  });
  const ups = (n: number, name: string, event: string | undefined, severity?: Severity): TrapDefinition =>
    trap(n, name, event, { text }, { subject: 'device', ...(severity ? { severity } : {}) });
  return { oid, trap, ups };
}
