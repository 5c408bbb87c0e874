// NUT variables as flows want them: numbers as numbers, ups.status split into its flags.

/** Variables that look numeric but are identifiers or text (serials, versions, dates, names). */
const TEXT_NAMES = /(^|\.)(serial|id|version|firmware|date|name|desc|model|mfr|contact|location|macaddr|type|status|alarm|mode|port|vendorid|productid|bus|product|uuid)(\.|$)/;

/** A decimal number as upsd writes it; `007` stays text (a leading zero means an identifier). */
const NUMBER = /^[-+]?(0|[1-9]\d*)(\.\d+)?$/;

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
