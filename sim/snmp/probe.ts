// The environment probe a simulated PDU may have plugged in: the vendors' probes report °C or °F
// and may be missing, which profiles must handle (tests of units and absent sensors).

export interface ProbeOptions {
  /** The probe reports in Fahrenheit, where the vendor lets it. */
  fahrenheit?: boolean;
  /** No temperature/humidity probe plugged in. */
  noProbe?: boolean;
}

export function toFahrenheit(celsius: number): number {
  return celsius * 9 / 5 + 32;
}
