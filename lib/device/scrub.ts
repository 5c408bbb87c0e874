import type { DeviceDriver } from './driver';

/**
 * Library and device texts may carry credentials: net-snmp names both communities when an agent
 * answers with another one, and a command line that echoes the password line puts it in the
 * output tail an error quotes. Every transport passes its errors through here before they leave
 * it, so that no secret reaches a Catch message, a node status, the log or the editor.
 */

/** What a transport holds that must never be shown; absent ones are skipped. */
export interface Secrets {
  readCommunity?: string;
  writeCommunity?: string;
  trapCommunity?: string;
  password?: string;
  authKey?: string;
  privKey?: string;
  privateKey?: string;
  passphrase?: string;
}

export const MASK = '***';

/** What net-snmp says when the answer's community differs from the request's (both quoted). */
const COMMUNITY_MISMATCH = /Community '[\s\S]*?' in request does not match community '[\s\S]*?' in response/g;

export const COMMUNITY_MISMATCH_TEXT = 'the agent answered with a different community than the one configured '
  + '(check the read/write community)';

/** The configured secrets, longest first so that a secret containing another is masked whole. */
function secretList(secrets: Secrets): string[] {
  const values = [secrets.readCommunity, secrets.writeCommunity, secrets.trapCommunity, secrets.password,
    secrets.authKey, secrets.privKey, secrets.passphrase, secrets.privateKey, ...keyLines(secrets.privateKey)];
  return [...new Set(values.filter((value): value is string => typeof value === 'string' && value.length > 0))]
    .sort((a, b) => b.length - a.length);
}

/** A private key's lines of key material each, so that no piece of a key quoted alone survives either. */
function keyLines(key: string | undefined): string[] {
  if (!key) return [];
  return key.split(/\r?\n/).map((line) => line.trim()).filter((line) => line.length >= 16 && !line.startsWith('-----'));
}

/** The text with every configured secret replaced by `***`, and net-snmp's mismatch text by ours. */
export function scrubText(text: string, secrets: Secrets): string {
  let result = text.replace(COMMUNITY_MISMATCH, COMMUNITY_MISMATCH_TEXT);
  for (const secret of secretList(secrets)) result = result.split(secret).join(MASK);
  return result;
}

/**
 * The same error, its message, stack and causes scrubbed in place (its class decides the
 * connection status, so it is kept). Anything thrown that is not an Error becomes one.
 */
export function scrubError(error: unknown, secrets: Secrets): Error {
  if (!(error instanceof Error)) return new Error(scrubText(String(error), secrets));
  scrubInPlace(error, secrets, new Set());
  return error;
}

function scrubInPlace(error: Error, secrets: Secrets, seen: Set<Error>): void {
  if (seen.has(error)) return;
  seen.add(error);
  error.message = scrubText(error.message, secrets);
  if (typeof error.stack === 'string') error.stack = scrubText(error.stack, secrets);
  const holder = error as Error & { cause?: unknown; info?: unknown };
  if (holder.cause instanceof Error) scrubInPlace(holder.cause, secrets, seen);
  else if (holder.cause !== undefined) holder.cause = scrubText(String(holder.cause), secrets);
  // net-snmp puts the v3 user, keys included, on an authentication error.
  if (holder.info !== undefined) holder.info = undefined;
}

/** Run a transport's work; whatever it throws leaves scrubbed. */
export async function scrubbed<T>(secrets: Secrets, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw scrubError(error, secrets);
  }
}

/**
 * A driver whose every error, and every reason it gives for a lost connection, is scrubbed of
 * the credentials it was made with: the one gate all transports pass (lib/device/transport-registry.ts).
 */
export function scrubbingDriver(driver: DeviceDriver, secrets: Secrets): DeviceDriver {
  const wrapped: DeviceDriver = {
    transport: driver.transport,
    address: driver.address,
    readsNames: driver.readsNames,
    probesAtDevice: driver.probesAtDevice,
    describe: () => scrubbed(secrets, () => driver.describe()),
    read: (description) => scrubbed(secrets, () => driver.read(description)),
    readStates: (description, outlets) => scrubbed(secrets, () => driver.readStates(description, outlets)),
    command: (description, outlets, action, options) => scrubbed(secrets, () => driver.command(description, outlets, action, options)),
    close: () => scrubbed(secrets, () => driver.close()),
  };
  if (driver.abort) wrapped.abort = () => driver.abort!();
  if (driver.onDescriptionChange) wrapped.onDescriptionChange = (listener) => driver.onDescriptionChange!(listener);
  if (driver.onEvent) wrapped.onEvent = (listener) => driver.onEvent!(listener);
  if (driver.onAudit) wrapped.onAudit = (listener) => driver.onAudit!(listener);
  const watch = driver.onConnectionChange?.bind(driver);
  if (watch) {
    wrapped.onConnectionChange = (listener) => watch((state, reason) => {
      listener(state, reason === undefined ? undefined : scrubText(reason, secrets));
    });
  }
  return wrapped;
}
