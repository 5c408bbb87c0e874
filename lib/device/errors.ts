/**
 * Errors a driver or the device layer throws. The kind decides what the connection status
 * shows: an unreachable device is `disconnected`, a configuration mistake is `error`, and a
 * refusal (unknown outlet, locked, appliance answering) leaves the connection as it was.
 */
export class DeviceUnreachableError extends Error {
  constructor(message: string, readonly cause?: unknown) {
    super(message);
    this.name = 'DeviceUnreachableError';
  }
}

export class DeviceConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeviceConfigError';
  }
}

/** The device answered but refused or failed the request (an SNMP error status, a CLI error). */
export class DeviceCommandError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeviceCommandError';
  }
}

/** The device layer's safety rules refused the request before anything was sent. */
export class SafetyError extends Error {
  constructor(message: string, readonly code: 'locked' | 'appliance-answering' | 'not-switchable' | 'names-changed' | 'all-not-allowed'
    | 'expired') {
    super(message);
    this.name = 'SafetyError';
  }
}

/**
 * The device was closed (its flow stopped or was redeployed) while a command waited or ran:
 * nothing more is sent to it from this Device.
 */
export class DeviceClosedError extends Error {
  constructor(device: string) {
    super(`${device} was closed (flow stopped or redeployed): nothing more is sent to it`);
    this.name = 'DeviceClosedError';
  }
}
