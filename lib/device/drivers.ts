// Loads every transport's driver into the registry. A transport added by a later issue adds
// its registration line here and nowhere else.
import { registerDriver, type DeviceDriver, type DriverFactory, type DriverOptions } from './driver';
import { SnmpDriver } from '../transports/snmp/driver';
import { NutDriver } from '../transports/nut/driver';
import { CliDriver } from '../transports/cli/driver';
import { PowermanDriver } from '../transports/powerman/driver';
import { scrubbingDriver } from '../transports/scrub';

/** Every driver's errors leave it without the credentials it holds (a community, an echoed password). */
function scrubbing(make: (options: DriverOptions) => DeviceDriver): DriverFactory {
  return (options) => scrubbingDriver(make(options), options.credentials);
}

registerDriver('snmp', scrubbing((options) => new SnmpDriver(options)));
registerDriver('nut', scrubbing((options) => new NutDriver(options)));
registerDriver('telnet', scrubbing((options) => new CliDriver(options)));
registerDriver('serial', scrubbing((options) => new CliDriver(options)));
registerDriver('powerman', scrubbing((options) => new PowermanDriver(options)));

export { createDriver } from './driver';
