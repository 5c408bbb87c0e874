import { DeviceConfigError } from '../../device/errors';
import type { CliDialect } from './dialect';

/** The user-defined dialect's fields, as the pdu-config editor stores them in `extra`. */
export interface CustomCliFields {
  cliPrompt?: string;
  cliUsernamePrompt?: string;
  cliPasswordPrompt?: string;
  cliLoginFailed?: string;
  cliLoginCommand?: string;
  /** `crlf`, `cr` or `lf`. */
  cliEol?: string;
  /** Send Enter while the device stays silent after connect. */
  cliWake?: boolean | string;
  cliStatus?: string;
  cliStatusLine?: string;
  cliOnWord?: string;
  cliOffWord?: string;
  cliOn?: string;
  cliOff?: string;
  cliReboot?: string;
  cliPager?: string;
  cliPagerAnswer?: string;
  cliRefused?: string;
  cliLogout?: string;
  /** `position` or `id`. */
  cliNumber?: string;
}

const EOLS: Record<string, string> = { crlf: '\r\n', cr: '\r', lf: '\n' };

/**
 * A dialect for a device we do not ship, from the prompts, command templates and status regex
 * entered in the config node. Every field is checked here, so a typo is a clear config error
 * at deploy time rather than a timeout later.
 */
export function customCliDialect(fields: CustomCliFields = {}): CliDialect {
  const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');
  const required = (value: unknown, what: string): string => {
    const found = text(value);
    if (!found) throw new DeviceConfigError(`user-defined CLI dialect: set the ${what}`);
    return found;
  };
  const regex = (value: unknown, what: string): string | undefined => {
    const source = text(value);
    if (!source) return undefined;
    try {
      new RegExp(source);
    } catch (error) {
      throw new DeviceConfigError(`user-defined CLI dialect: the ${what} is not a valid regular expression (${(error as Error).message})`);
    }
    return source;
  };
  const template = (value: unknown, what: string): string | undefined => {
    const found = text(value);
    if (found && !found.includes('{outlet}')) {
      throw new DeviceConfigError(`user-defined CLI dialect: the ${what} command must contain {outlet} where the outlet goes`);
    }
    return found || undefined;
  };

  const prompt = regex(required(fields.cliPrompt, 'command prompt (a regular expression)'), 'command prompt')!;
  const line = regex(required(fields.cliStatusLine, 'status line (a regular expression with (?<id>...) and (?<state>...))'), 'status line')!;
  if (!line.includes('(?<id>') || !line.includes('(?<state>')) {
    throw new DeviceConfigError('user-defined CLI dialect: the status line needs the named groups (?<id>...) and (?<state>...)');
  }
  const eol = EOLS[text(fields.cliEol) || 'crlf'];
  if (!eol) throw new DeviceConfigError(`user-defined CLI dialect: line end "${fields.cliEol}" must be crlf, cr or lf`);
  const number = text(fields.cliNumber) || 'position';
  if (number !== 'position' && number !== 'id') {
    throw new DeviceConfigError(`user-defined CLI dialect: outlet numbers "${fields.cliNumber}" must be position or id`);
  }
  const pager = regex(fields.cliPager, 'pager prompt');
  return {
    id: 'custom-cli',
    vendor: 'User-defined',
    model: 'Command-line power controller',
    eol,
    wake: fields.cliWake === true || fields.cliWake === 'true' ? { text: eol } : undefined,
    login: {
      username: regex(fields.cliUsernamePrompt, 'username prompt'),
      password: regex(fields.cliPasswordPrompt, 'password prompt'),
      failed: regex(fields.cliLoginFailed, 'login failure message'),
      command: text(fields.cliLoginCommand) || undefined,
    },
    prompt,
    pagers: pager ? [{ prompt: pager, answer: text(fields.cliPagerAnswer).replace(/\\r/g, '\r').replace(/\\n/g, '\n') || ' ' }] : [],
    refused: regex(fields.cliRefused, 'error message'),
    logout: text(fields.cliLogout) || undefined,
    outlets: { from: 'status' },
    status: {
      all: required(fields.cliStatus, 'status command'),
      line,
      on: regex(fields.cliOnWord, 'on word') ?? 'on',
      off: regex(fields.cliOffWord, 'off word') ?? 'off',
      number: number as 'position' | 'id',
    },
    switch: {
      on: template(required(fields.cliOn, 'on command (e.g. "on {outlet}")'), 'on')!,
      off: template(required(fields.cliOff, 'off command (e.g. "off {outlet}")'), 'off')!,
      reboot: template(fields.cliReboot, 'reboot'),
    },
  };
}
