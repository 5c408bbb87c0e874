/**
 * An HTTP/JSON PDU's API as data: where the outlet list is, how its values read, and the request
 * each power action sends. The HTTP driver (lib/transports/http/driver.ts) knows no vendor; a
 * new API of the same shape is a new file here.
 */

/** One request the driver sends. `{n}` in the path or body is the outlet's number in the API. */
export interface HttpRequestTemplate {
  method: 'GET' | 'PUT' | 'POST';
  path: string;
  body?: string;
  /** The body's Content-Type (with a body). */
  contentType?: string;
}

export interface HttpProfile {
  id: string;
  vendor: string;
  model: string;
  /** How the device checks the user: HTTP Digest (RFC 7616) or Basic. */
  auth: 'digest' | 'basic';
  /** Headers on every read. */
  readHeaders: Record<string, string>;
  /** Headers on every state-changing request (a CSRF header the device demands). */
  writeHeaders: Record<string, string>;
  /** The outlet list: one GET whose JSON answer holds every outlet's name and state. */
  list: {
    path: string;
    /** Dotted path to the array of outlets in the answer; empty when the answer is the array. */
    items: string;
    /** The keys of each outlet object. */
    fields: { name: string; state: string; locked?: string; number?: string };
    /** Dotted path to the model's name in the answer, when the device reports it. */
    model?: string;
  };
  /** What the state field holds for on and off (anything else reads as unknown). */
  stateValues: { on: ReadonlyArray<unknown>; off: ReadonlyArray<unknown> };
  /**
   * The first outlet's number in the API: 0 when it counts relays from zero (outlet 1 is relay
   * 0), 1 when it counts as the label does. Without a number field, the position in the list
   * plus this base is the outlet's number in the API.
   */
  numberBase: 0 | 1;
  /** The request per action; without `reboot`, the device layer turns outlets off and on again. */
  actions: { on: HttpRequestTemplate; off: HttpRequestTemplate; reboot?: HttpRequestTemplate };
}

/** The value at a dotted path (`Agent.Model`) of a parsed JSON answer; empty path = the answer. */
export function valueAt(answer: unknown, path: string): unknown {
  if (!path) return answer;
  return path.split('.').reduce<unknown>((at, key) => (at && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined), answer);
}
