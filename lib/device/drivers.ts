// Loads every transport's driver into the registry. A transport added by a later issue adds
// its registration line here and nowhere else.
import { registerDriver } from './driver';
import { SnmpDriver } from '../transports/snmp/driver';
import { NutDriver } from '../transports/nut/driver';

registerDriver('snmp', (options) => new SnmpDriver(options));
registerDriver('nut', (options) => new NutDriver(options));

export { createDriver } from './driver';
