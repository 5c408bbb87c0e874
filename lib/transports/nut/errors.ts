import { DeviceCommandError, DeviceConfigError, DeviceUnreachableError } from '../../device/errors';
import { tail } from './lines';

// Every ERR token upsd sends (server/neterr.h, and the legacy ones older servers send), mapped to
// the device layer's three kinds so that the connection status is right, with a message that says
// what to do. Unknown tokens are kept as they are.

export type NutErrorKind = 'config' | 'command' | 'unreachable';

/** What went wrong, for the messages: the request and the UPS it was about. */
export interface NutErrorContext {
  request: string;
  ups?: string;
  /** `host:port` of the server. */
  address: string;
  username?: string;
}

interface TokenInfo {
  kind: NutErrorKind;
  explain(context: NutErrorContext): string;
}

const ups = (context: NutErrorContext): string => (context.ups ? `"${context.ups}"` : 'the UPS');
const user = (context: NutErrorContext): string => (context.username ? `user "${context.username}"` : 'no user');

export const NUT_ERRORS: Record<string, TokenInfo> = {
  'ACCESS-DENIED': {
    kind: 'config',
    explain: (c) => `access denied for ${user(c)}: check the user and password on the device config, and that upsd.users `
      + 'gives this user the right (actions = SET / FSD, instcmds = the command or ALL)',
  },
  'UNKNOWN-UPS': { kind: 'config', explain: (c) => `upsd at ${c.address} has no UPS ${ups(c)} (LIST UPS shows the names in its ups.conf)` },
  'VAR-NOT-SUPPORTED': { kind: 'command', explain: (c) => `UPS ${ups(c)} has no such variable` },
  'CMD-NOT-SUPPORTED': { kind: 'command', explain: (c) => `UPS ${ups(c)} does not support this instant command (LIST CMD shows the ones it has)` },
  'INVALID-ARGUMENT': { kind: 'command', explain: () => 'upsd rejected an argument of the request' },
  'INSTCMD-FAILED': { kind: 'command', explain: (c) => `the driver of ${ups(c)} failed to run the command` },
  'SET-FAILED': { kind: 'command', explain: (c) => `the driver of ${ups(c)} failed to set the variable` },
  READONLY: { kind: 'command', explain: () => 'the variable is read-only' },
  'TOO-LONG': { kind: 'command', explain: () => 'the value is longer than the variable allows (GET TYPE shows STRING:n)' },
  'FEATURE-NOT-SUPPORTED': { kind: 'config', explain: (c) => `upsd at ${c.address} does not support this (for STARTTLS: it was built without TLS)` },
  'FEATURE-NOT-CONFIGURED': {
    kind: 'config',
    explain: (c) => `upsd at ${c.address} has this feature but it is not configured (for STARTTLS: no CERTFILE/CERTPATH in upsd.conf)`,
  },
  'ALREADY-SSL-MODE': { kind: 'command', explain: () => 'the connection is already using TLS' },
  'DRIVER-NOT-CONNECTED': {
    kind: 'unreachable',
    explain: (c) => `upsd at ${c.address} has lost its driver for ${ups(c)} (is the driver running? upsdrvctl start)`,
  },
  'DATA-STALE': { kind: 'unreachable', explain: (c) => `the data of ${ups(c)} is stale: its driver has lost contact with the UPS` },
  'ALREADY-LOGGED-IN': { kind: 'command', explain: (c) => `this connection is already logged in to ${ups(c)}` },
  'INVALID-PASSWORD': { kind: 'config', explain: () => 'upsd rejected the password (check the password on the device config)' },
  'ALREADY-SET-PASSWORD': { kind: 'command', explain: () => 'the password was already sent on this connection' },
  'INVALID-USERNAME': { kind: 'config', explain: (c) => `upsd rejected ${user(c)} (check the user on the device config)` },
  'ALREADY-SET-USERNAME': { kind: 'command', explain: () => 'the user was already sent on this connection' },
  'USERNAME-REQUIRED': {
    kind: 'config',
    explain: () => 'upsd needs a user for this: set User and Password on the device config (a user from upsd.users)',
  },
  'PASSWORD-REQUIRED': { kind: 'config', explain: () => 'upsd needs a password for this: set Password on the device config' },
  'UNKNOWN-COMMAND': { kind: 'command', explain: (c) => `upsd at ${c.address} does not know this request (an older NUT version?)` },
  'INVALID-VALUE': { kind: 'command', explain: () => 'the value is not valid for this variable (LIST ENUM / LIST RANGE show the allowed ones)' },
  // Answers to GET TRACKING: the driver did not know the command or variable, or the id expired.
  UNKNOWN: { kind: 'command', explain: (c) => `the driver of ${ups(c)} did not handle it (unknown to the driver, or the tracking id expired)` },
  FAILED: { kind: 'command', explain: (c) => `the driver of ${ups(c)} reported a failure` },
  // Legacy tokens from servers before NUT 2.0.
  'VAR-UNKNOWN': { kind: 'command', explain: (c) => `UPS ${ups(c)} has no such variable` },
  'UNKNOWN-TYPE': { kind: 'command', explain: () => 'upsd does not know the type of this variable' },
  'UNKNOWN-INSTCMD': { kind: 'command', explain: (c) => `UPS ${ups(c)} does not support this instant command` },
  'MISSING-ARGUMENT': { kind: 'command', explain: () => 'the request misses an argument' },
};

/** Fields every NUT error carries, whatever its kind. */
export interface NutErrorFields {
  /** The ERR token (`ACCESS-DENIED`), or `STARTTLS-REFUSED` / `TLS` for TLS failures of ours. */
  readonly token: string;
  readonly request: string;
  readonly ups?: string;
}

export class NutConfigError extends DeviceConfigError implements NutErrorFields {
  constructor(message: string, readonly token: string, readonly request: string, readonly ups?: string) {
    super(message);
    this.name = 'NutConfigError';
  }
}

export class NutCommandError extends DeviceCommandError implements NutErrorFields {
  constructor(message: string, readonly token: string, readonly request: string, readonly ups?: string) {
    super(message);
    this.name = 'NutCommandError';
  }
}

export class NutUnreachableError extends DeviceUnreachableError implements NutErrorFields {
  constructor(message: string, readonly token: string, readonly request: string, readonly ups?: string) {
    super(message);
    this.name = 'NutUnreachableError';
  }
}

export type NutError = NutConfigError | NutCommandError | NutUnreachableError;

export function isNutError(error: unknown): error is NutError {
  return error instanceof NutConfigError || error instanceof NutCommandError || error instanceof NutUnreachableError;
}

/** The typed error for an `ERR TOKEN extra` answer. The request never carries a password. */
export function nutError(received: string, receivedExtra: string, context: NutErrorContext): NutError {
  // Known tokens are short; a server that sends a huge one gets quoted, not copied.
  const token = tail(received);
  const extra = tail(receivedExtra);
  const info = NUT_ERRORS[token];
  const detail = info ? info.explain(context) : `upsd answered ERR ${token}`;
  const message = `${context.request}: ${detail}${extra ? ` (${extra})` : ''} [${token}]`;
  const kind = info?.kind ?? 'command';
  if (kind === 'config') return new NutConfigError(message, token, context.request, context.ups);
  if (kind === 'unreachable') return new NutUnreachableError(message, token, context.request, context.ups);
  return new NutCommandError(message, token, context.request, context.ups);
}
