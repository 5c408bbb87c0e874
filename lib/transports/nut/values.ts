// NUT variables as flows want them: numbers as numbers, ups.status split into its flags.

/**
 * Variables that may look numeric but are identifiers or text (serials, versions, dates, names,
 * part numbers): these stay strings whatever they hold, so `ups.serial: 0012345` keeps its zeros.
 */
const TEXT_NAMES = /(^|\.)(serial|id|version|firmware|date|name|desc|description|model|mfr|contact|location|macaddr|type|status|alarm|mode|port|vendorid|productid|bus|product|uuid|part|revision)(\.|$)/;

/**
 * A decimal number as drivers write it. Leading zeros are padding, not an identifier: APC's
 * serial protocol (apcsmart) reports `ups.temperature: 046.8` and `ups.delay.shutdown: 020`.
 */
const NUMBER = /^[-+]?\d+(\.\d+)?$/;

export function nutValue(name: string, value: string): string | number {
  if (!NUMBER.test(value) || TEXT_NAMES.test(name)) return value;
  return Number(value);
}

/** Every variable with numbers converted, keys as upsd names them (`battery.charge`). */
export function nutValues(vars: Record<string, string>): Record<string, string | number> {
  const result: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(vars)) result[name] = nutValue(name, value);
  return result;
}

/** `"FSD OB LB"` -> ['FSD', 'OB', 'LB']; unknown tokens are kept. */
export function statusFlags(status: string | undefined): string[] {
  return (status ?? '').split(/\s+/).filter((flag) => flag !== '');
}
