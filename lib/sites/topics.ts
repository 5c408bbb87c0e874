// The topic scheme of a site's devices on an MQTT broker, version 1. Every topic starts with
// `rackpower/v1/<site>/`, so a broker ACL can confine a site to its own subtree, and a hub that
// meets another version knows it at once from the topic, before reading any payload.

export const TOPIC_ROOT = 'rackpower';
export const TOPIC_VERSION = 'v1';
/** The payloads' own version, carried in each site's status: the hub compares it before using a site. */
export const PAYLOAD_VERSION = 1;

const MAX_NAME_LENGTH = 64;

/**
 * A site or device name as a single topic level: not empty, no `/` (a level separator), no `+`
 * or `#` (wildcards a subscriber would read as patterns), no NUL, and short.
 */
export function checkTopicName(kind: 'site' | 'device', name: string): string {
  const trimmed = name.trim();
  if (!trimmed) throw new Error(`the ${kind} needs a name for its topics`);
  if (/[/+#\u0000]/.test(trimmed)) {
    throw new Error(`the ${kind} name "${trimmed}" cannot be a topic level: it may not contain "/", "+", "#" or NUL`);
  }
  if ([...trimmed].length > MAX_NAME_LENGTH) throw new Error(`the ${kind} name "${trimmed.slice(0, MAX_NAME_LENGTH)}..." is longer than ${MAX_NAME_LENGTH} characters`);
  if (trimmed === 'reply' || trimmed === 'status') throw new Error(`"${trimmed}" is reserved in the topics: choose another ${kind} name`);
  return trimmed;
}

/** Where one site's messages go; every topic of the scheme is built here and nowhere else. */
export class SiteTopics {
  readonly prefix: string;

  constructor(readonly site: string) {
    this.prefix = `${TOPIC_ROOT}/${TOPIC_VERSION}/${checkTopicName('site', site)}`;
  }

  /** Retained: `online` (birth) or `offline` (the connection's last will, or a clean stop). */
  status(): string { return `${this.prefix}/status`; }
  /** Retained: vendor, model, profile, outlets, capabilities, whether remote control is on. */
  description(device: string): string { return `${this.device(device)}/description`; }
  /** Retained: the connection between the site and the device (connected, disconnected, error). */
  availability(device: string): string { return `${this.device(device)}/availability`; }
  /** Retained: the latest reading of every outlet, input and sensor. */
  snapshot(device: string): string { return `${this.device(device)}/snapshot`; }
  /** Retained, one per outlet: its state and name. */
  outletState(device: string, index: number): string { return `${this.device(device)}/outlet/${index}/state`; }
  /** To the site, only with Home Assistant discovery: a plain `ON` or `OFF` for one outlet (never retained). */
  outletSet(device: string, index: number): string {
    if (!Number.isInteger(index) || index < 1) throw new Error(`outlet ${index} is not an outlet number`);
    return `${this.device(device)}/outlet/${index}/set`;
  }
  /** Every outlet's `set` topic of the device, for the site's subscription. */
  outletSets(device: string): string { return `${this.device(device)}/outlet/+/set`; }
  /** QoS 1: every event of the device. */
  event(device: string): string { return `${this.device(device)}/event`; }
  /** QoS 1: every power command's audit record. */
  audit(device: string): string { return `${this.device(device)}/audit`; }
  /** QoS 1, to the site: a power command for the device. */
  command(device: string): string { return `${this.device(device)}/command`; }
  /** Where the site answers a command that named no reply topic of its own. */
  result(device: string): string { return `${this.device(device)}/result`; }
  /** The site's replies go under here, so the broker lets it publish them (its ACL is its own subtree). */
  replies(): string { return `${this.prefix}/reply/`; }

  /** Whether a requester's reply topic is one this site may (and will) publish to. */
  acceptsReplyTopic(topic: string): boolean {
    return topic.startsWith(this.replies()) && topic.length > this.replies().length && topic.length <= 256
      && !/[+#\u0000]/.test(topic);
  }

  private device(device: string): string { return `${this.prefix}/${checkTopicName('device', device)}`; }
}
