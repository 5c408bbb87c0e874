// Loads every transport's driver into the registry. A transport added by a later issue adds
// its registration line here and nowhere else.
import { registerDriver } from './driver';
import { SnmpDriver } from '../transports/snmp/driver';
import { NutDriver } from '../transports/nut/driver';
import { CliDriver } from '../transports/cli/driver';
import { PowermanDriver } from '../transports/powerman/driver';

registerDriver('snmp', (options) => new SnmpDriver(options));
registerDriver('nut', (options) => new NutDriver(options));
registerDriver('telnet', (options) => new CliDriver(options));
registerDriver('serial', (options) => new CliDriver(options));
registerDriver('powerman', (options) => new PowermanDriver(options));

export { createDriver } from './driver';
