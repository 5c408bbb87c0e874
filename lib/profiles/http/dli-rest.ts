import type { HttpProfile } from './profile';

/**
 * Digital Loggers Web Power Switch Pro, LPC and EPCR: the REST API ("Allow REST-style API" on
 * the External APIs page). Relays count from 0; the web page labels them 1-8. `physical_state`
 * is the relay itself (`state` is what it returns to after a power loss, and after a cycle
 * `transient_state` may be ahead of the relay), so that is what an outlet reads as.
 */
export const dliRest: HttpProfile = {
  id: 'dli-rest',
  vendor: 'Digital Loggers',
  model: 'Web Power Switch Pro / LPC / EPCR (REST API)',
  auth: 'digest',
  readHeaders: { Accept: 'application/json' },
  // The device refuses a state-changing request without it (its cross-site request guard).
  writeHeaders: { 'X-CSRF': 'x', Accept: 'application/json' },
  list: {
    path: '/restapi/relay/outlets/',
    items: '',
    fields: { name: 'name', state: 'physical_state', locked: 'locked' },
  },
  stateValues: { on: [true], off: [false] },
  numberBase: 0,
  actions: {
    on: { method: 'PUT', path: '/restapi/relay/outlets/{n}/state/', body: 'value=true', contentType: 'application/x-www-form-urlencoded' },
    off: { method: 'PUT', path: '/restapi/relay/outlets/{n}/state/', body: 'value=false', contentType: 'application/x-www-form-urlencoded' },
    reboot: { method: 'POST', path: '/restapi/relay/outlets/{n}/cycle/' },
  },
};
