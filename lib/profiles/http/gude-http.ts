import type { HttpProfile } from './profile';

/**
 * Gude Expert Power Control (EPC) HTTP interface: `statusjsn.js?components=1` lists the outputs
 * in port order, `ov.html?cmd=1&p=N&s=0|1` switches port N (1-based), `cmd=12` is the output's
 * own reset (off, then on after the delay set in the output's configuration on the device).
 */
export const gudeHttp: HttpProfile = {
  id: 'gude-http',
  vendor: 'Gude',
  model: 'Expert Power Control (HTTP, statusjsn.js)',
  auth: 'basic',
  readHeaders: { Accept: 'application/json' },
  writeHeaders: {},
  list: {
    path: '/statusjsn.js?components=1',
    items: 'outputs',
    fields: { name: 'name', state: 'state' },
  },
  stateValues: { on: [1], off: [0] },
  numberBase: 1,
  actions: {
    on: { method: 'GET', path: '/ov.html?cmd=1&p={n}&s=1' },
    off: { method: 'GET', path: '/ov.html?cmd=1&p={n}&s=0' },
    reboot: { method: 'GET', path: '/?cmd=12&p={n}' },
  },
};
