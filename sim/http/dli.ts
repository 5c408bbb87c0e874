import { simModel } from '../snmp/sim-device';
import type { SimOutlet } from '../model';
import { json, startHttpSim, type HttpSimDevice, type HttpSimOptions, type SimAnswer, type SimRequest } from './server';

// A Digital Loggers Web Power Switch Pro's REST API (digital-loggers.com/rest.html): relays
// counted from 0 under /restapi/relay/outlets/, Digest login, and the X-CSRF header every
// state-changing request must carry.

export interface DliSimOptions extends HttpSimOptions {
  /** Digest algorithms the device offers, strongest first (default MD5). */
  algorithms?: string[];
}

const OUTLET = /^\/restapi\/relay\/outlets\/(\d+)\/([a-z_]+)\/$/;

function outletObject(outlet: SimOutlet, transient: boolean) {
  return {
    name: outlet.name, state: outlet.on, transient_state: transient, physical_state: outlet.on,
    locked: outlet.locked, critical: false, cycle_delay: null,
  };
}

export async function startDliSim(options: DliSimOptions = {}): Promise<HttpSimDevice> {
  const model = simModel(options, 8);
  /** After a cycle the transient state is already on while the relay is still off. */
  const cycling = (outlet: SimOutlet): boolean => outlet.rebooting || outlet.on;
  const route = (request: SimRequest): SimAnswer => {
    const write = request.method === 'PUT' || request.method === 'POST';
    if (write && request.headers['x-csrf'] !== 'x') {
      return { status: 403, body: 'Forbidden: missing or wrong X-CSRF header', type: 'text/plain' };
    }
    if (request.path === '/restapi/relay/outlets/' && request.method === 'GET') {
      return json(model.outlets.map((outlet) => outletObject(outlet, cycling(outlet))));
    }
    const match = OUTLET.exec(request.path);
    const outlet = match ? model.outlet(Number(match[1]) + 1) : undefined;
    if (!match || !outlet) return { status: 404, body: 'Not Found', type: 'text/plain' };
    const leaf = match[2];
    if (request.method === 'GET' && (leaf === 'state' || leaf === 'physical_state')) return json(outlet.on);
    if (request.method === 'GET' && leaf === 'transient_state') return json(cycling(outlet));
    if (request.method === 'GET' && (leaf === 'name' || leaf === 'locked')) return json(leaf === 'name' ? outlet.name : outlet.locked);
    if (request.method === 'PUT' && (leaf === 'state' || leaf === 'transient_state')) {
      const value = new URLSearchParams(request.body).get('value');
      if (value !== 'true' && value !== 'false') return { status: 400, body: 'value must be true or false', type: 'text/plain' };
      return model.switch(outlet.number, value === 'true') ? { status: 204 } : { status: 409, body: 'Outlet is locked', type: 'text/plain' };
    }
    if (request.method === 'POST' && leaf === 'cycle') {
      return model.reboot(outlet.number) ? { status: 204 } : { status: 409, body: 'Outlet is locked', type: 'text/plain' };
    }
    return { status: 405, body: 'Method Not Allowed', type: 'text/plain' };
  };
  return startHttpSim('dli-rest', options, model, { scheme: 'digest', realm: 'DLI Web Power Switch', algorithms: options.algorithms }, route,
    `Digital Loggers Web Power Switch Pro (REST API, digest, ${model.outlets.length} relays)`);
}
