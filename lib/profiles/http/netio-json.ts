import type { HttpProfile } from './profile';

/**
 * NETIO JSON API (`/netio.json`; M2M API Protocols > JSON API, read-write user): NETIO 4, 4All,
 * PowerPDU 4C/4PS/8QS, PowerCable REST, PowerBOX, PowerDIN. Outputs carry their 1-based ID.
 * Action codes: 0 off, 1 on, 2 short off (off for the configured short time, then on), 3 short
 * on, 4 toggle, 5 no operation, 6 ignore.
 */
const ACTION = (code: number) => ({
  method: 'POST' as const,
  path: '/netio.json',
  body: `{"Outputs":[{"ID":{n},"Action":${code}}]}`,
  contentType: 'application/json',
});

export const netioJson: HttpProfile = {
  id: 'netio-json',
  vendor: 'NETIO',
  model: 'PowerPDU / PowerBOX / NETIO 4 (JSON API)',
  auth: 'basic',
  readHeaders: { Accept: 'application/json' },
  writeHeaders: { Accept: 'application/json' },
  list: {
    path: '/netio.json',
    items: 'Outputs',
    fields: { name: 'Name', state: 'State', number: 'ID' },
    model: 'Agent.Model',
  },
  stateValues: { on: [1], off: [0] },
  numberBase: 1,
  actions: { on: ACTION(1), off: ACTION(0), reboot: ACTION(2) },
};
