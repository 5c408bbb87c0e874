// The simulators' own demo credentials, for the demo's Node-RED only (never in example JSON):
// by transport, since every simulated device of a transport accepts the same ones.
export const DEMO_CREDENTIALS: Record<string, Record<string, string>> = {
  snmp: { readCommunity: 'public', writeCommunity: 'private', trapCommunity: 'public' },
  // The NUT simulator's upsd.users (sim/nut/server.ts).
  nut: { username: 'admin', password: 'secret' },
  // The Sentry power manager's built-in administrator (sim/cli).
  telnet: { username: 'admn', password: 'admn' },
  serial: { username: 'admn', password: 'admn' },
};
