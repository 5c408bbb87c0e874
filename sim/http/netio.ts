import { simModel } from '../snmp/sim-device';
import { json, startHttpSim, type HttpSimDevice, type HttpSimOptions, type SimAnswer, type SimRequest } from './server';

// A NETIO PowerPDU's JSON API (wiki.netio-products.com JSON_API): GET /netio.json reads, a POST
// of {"Outputs":[{"ID":n,"Action":a}]} acts and answers the updated netio.json. Basic login; the
// read-only user may read but not write.

export interface NetioSimOptions extends HttpSimOptions {
  /** Users who may only read (also listed in users with their password). */
  readOnly?: string[];
}

export async function startNetioSim(options: NetioSimOptions = {}): Promise<HttpSimDevice> {
  const model = simModel(options, 4);
  const readOnly = new Set(options.readOnly ?? []);
  const started = Date.now();
  const state = () => ({
    Agent: {
      Model: 'NETIO PowerPDU 4PS', DeviceName: options.name ?? 'netio-sim', SerialNumber: '24A42C39B5C0', JSONVer: '2.4',
      Time: new Date().toISOString().slice(0, 19), Uptime: Math.floor((Date.now() - started) / 1000), Version: '3.4.0',
      OemID: 5, VendorID: 0, NumOutputs: model.outlets.length,
    },
    Outputs: model.outlets.map((outlet) => ({
      ID: outlet.number, Name: outlet.name, State: outlet.on ? 1 : 0, Action: 6, Delay: 5000,
      Current: Math.round(model.current(outlet) * 1000), PowerFactor: 0.97, Load: model.power(outlet), Energy: 1200,
    })),
  });
  const act = (id: number, action: number): void => {
    const outlet = model.outlet(id);
    if (!outlet) throw new Error(`no output ${id}`);
    const actions: Record<number, () => unknown> = {
      0: () => model.switch(id, false),
      1: () => model.switch(id, true),
      // Short off: off for the short delay, then on (an output that was off ends on too).
      2: () => model.reboot(id),
      3: () => { model.switch(id, true); },
      4: () => model.switch(id, !outlet.on),
      5: () => undefined,
      6: () => undefined,
    };
    if (!actions[action]) throw new Error(`unknown Action ${action}`);
    actions[action]();
  };
  const route = (request: SimRequest): SimAnswer => {
    if (request.path !== '/netio.json') return { status: 404, body: 'Not Found', type: 'text/plain' };
    if (request.method === 'GET') return json(state());
    if (request.method !== 'POST') return { status: 405, body: 'Method Not Allowed', type: 'text/plain' };
    if (readOnly.has(request.user)) return { status: 401, body: 'Unauthorized: read-only user', type: 'text/plain' };
    const outputs = (JSON.parse(request.body) as { Outputs?: Array<{ ID: number; Action: number }> }).Outputs;
    if (!Array.isArray(outputs)) throw new Error('no Outputs array');
    for (const output of outputs) act(output.ID, output.Action);
    return json(state());
  };
  return startHttpSim('netio-json', options, model, { scheme: 'basic', realm: 'NETIO' }, route,
    `NETIO PowerPDU (JSON API, basic, ${model.outlets.length} outputs)`);
}
