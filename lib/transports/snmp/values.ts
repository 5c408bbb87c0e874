import type { EnumSpec, NumberSpec } from '../../profiles/snmp-profile';
import type { SnmpValue } from './client';

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * OctetStrings arrive as Buffers; agents pad fixed-size strings with NULs or spaces. A name set
 * from a web page today is UTF-8 (`Serveur-café`, `服务器-1`); older firmware writes latin1, whose
 * accented bytes are almost never valid UTF-8: UTF-8 when it decodes as such, else latin1.
 */
export function asText(value: SnmpValue | undefined): string {
  if (value === undefined || value === null) return '';
  if (Buffer.isBuffer(value)) return decodeOctets(value).replace(/\0+$/, '').trim();
  return String(value).trim();
}

function decodeOctets(buffer: Buffer): string {
  try {
    return UTF8.decode(buffer);
  } catch {
    return buffer.toString('latin1');
  }
}

function rawNumber(value: SnmpValue | undefined): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (Buffer.isBuffer(value) && value.length <= 8 && !isPrintable(value)) {
    // Counter64 arrives as a big-endian byte buffer.
    return value.reduce((sum, byte) => sum * 256 + byte, 0);
  }
  const text = asText(value);
  const parsed = text === '' ? NaN : Number(text);
  return Number.isFinite(parsed) ? parsed : undefined;
}

function isPrintable(buffer: Buffer): boolean {
  return buffer.length > 0 && buffer.every((byte) => byte >= 0x20 && byte < 0x7f);
}

/** A number in its unit (A, W, °C, %), or undefined when the device has none to give. */
export function asNumber(value: SnmpValue | undefined, spec: NumberSpec, digits = 0): number | undefined {
  let number: number | undefined;
  if (spec.text) {
    const text = asText(value);
    const word = Object.entries(spec.words ?? {}).find(([phrase]) => phrase.toLowerCase() === text.toLowerCase());
    if (word) return word[1];
    const match = /-?\d+(?:\.\d+)?/.exec(text);
    if (!match) return undefined;
    number = Number(match[0]);
    if (/deg\.?\s*f\b|°\s*f\b/i.test(text)) number = (number - 32) * 5 / 9;
  } else {
    number = rawNumber(value);
  }
  if (number === undefined || spec.invalid?.includes(number)) return undefined;
  if (spec.invalidBelow !== undefined && number < spec.invalidBelow) return undefined;
  const scaled = number * (spec.scale ?? 1) / 10 ** digits;
  return Math.round(scaled * 1e6) / 1e6;
}

interface CompiledEnum {
  numbers: Map<number, string>;
  texts: Map<string, string>;
}

const compiled = new WeakMap<EnumSpec, CompiledEnum>();

/** A profile's value map split into numbers and lower-cased words, once per profile entry. */
function compile(spec: EnumSpec): CompiledEnum {
  let entry = compiled.get(spec);
  if (!entry) {
    entry = { numbers: new Map(), texts: new Map() };
    for (const [raw, mapped] of Object.entries(spec.map)) {
      if (/^-?\d+$/.test(raw)) entry.numbers.set(Number(raw), mapped);
      else entry.texts.set(raw.toLowerCase(), mapped);
    }
    compiled.set(spec, entry);
  }
  return entry;
}

export function asEnum(value: SnmpValue | undefined, spec: EnumSpec): string | undefined {
  if (value === undefined || value === null) return undefined;
  const { numbers, texts } = compile(spec);
  if (typeof value === 'number') return numbers.get(value);
  const text = asText(value).toLowerCase();
  return texts.get(text) ?? (numbers.size > 0 ? numbers.get(Number(text)) : undefined);
}

export function fahrenheitToCelsius(value: number): number {
  return Math.round(((value - 32) * 5 / 9) * 100) / 100;
}
