import { simModel } from '../snmp/sim-device';
import { json, startHttpSim, type HttpSimDevice, type HttpSimOptions, type SimAnswer, type SimRequest } from './server';

// A Gude Expert Power Control's HTTP interface (wiki.gude-systems.com EPC_HTTP_Interface):
// statusjsn.js?components=1 lists the outputs, ov.html?cmd=1&p=N&s=0|1 switches port N
// (1-based), ?cmd=12&p=N resets it (off, then on after the port's delay). Basic login.

export async function startGudeSim(options: HttpSimOptions = {}): Promise<HttpSimDevice> {
  const model = simModel(options, 8);
  const port = (request: SimRequest) => model.outlet(Number(request.query.get('p')));
  const route = (request: SimRequest): SimAnswer => {
    const cmd = request.query.get('cmd');
    if (cmd === '1' && (request.path === '/ov.html' || request.path === '/')) {
      const outlet = port(request);
      const s = request.query.get('s');
      if (!outlet || (s !== '0' && s !== '1')) return { status: 400, body: 'bad port or state', type: 'text/plain' };
      model.switch(outlet.number, s === '1');
      return { status: 200, body: '<html><body>ok</body></html>', type: 'text/html' };
    }
    if (cmd === '12' && request.path === '/') {
      const outlet = port(request);
      if (!outlet) return { status: 400, body: 'bad port', type: 'text/plain' };
      model.reboot(outlet.number);
      return { status: 200, body: '<html><body>ok</body></html>', type: 'text/html' };
    }
    if ((request.path === '/statusjsn.js' || request.path === '/status.json') && request.method === 'GET') {
      const components = Number(request.query.get('components') ?? 0);
      const answer: Record<string, unknown> = {};
      // eslint-disable-next-line no-bitwise
      if (components & 1) {
        answer.outputs = model.outlets.map((outlet) => ({
          name: outlet.name, state: outlet.on ? 1 : 0, ph_state: outlet.on ? 1 : 0, twin: 0, sw_cnt: 0, type: 1, batch: [0], wdog: [0],
        }));
      }
      return json(answer);
    }
    return { status: 404, body: 'Not Found', type: 'text/plain' };
  };
  return startHttpSim('gude-http', options, model, { scheme: 'basic', realm: 'Expert Power Control' }, route,
    `Gude Expert Power Control (HTTP, basic, ${model.outlets.length} ports)`);
}
