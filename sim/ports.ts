// Where `rack-power-sim` puts each simulated device by default. The example flows point their
// pdu-config nodes at these ports on 127.0.0.1, so a demo started with `npm start` (or a user's
// Node-RED beside `rack-power-sim`) runs the examples unchanged.
export const DEFAULT_PORTS: Record<string, number> = {
  sentry2: 16161,
  sentry3: 16162,
  sentry4: 16163,
  'apc-rpdu2': 16164,
  'apc-rpdu': 16165,
  'apc-spdu': 16166,
  'raritan-pdu2': 16167,
  'eaton-epdu': 16168,
  'cyberpower-epdu': 16169,
  'geist-imd': 16170,
  'tripplite-pdu': 16171,
  'avocent-pm': 16172,
  'apc-rpdu2-metered': 16173,
  'cyberpower-epdu2': 16174,
  // The Sentry power manager answers its command line on Telnet port 2001; ours on 12001.
  'power-manager': 12001,
  'switched-cdu': 12002,
  'nut-server': 13493,
  'dli-rest': 18080,
  'netio-json': 18081,
  'gude-http': 18082,
};

/**
 * The serial line of the simulated power manager (`rack-power-sim power-manager --pty`): socat
 * links this pty to the simulator, and the serial example opens it.
 */
export const DEFAULT_SERIAL_LINK = '/tmp/rack-power-ttyPM';

/** Where simulated devices send their traps: pdu-trap-in's default port. */
export const DEFAULT_TRAP_PORT = 1162;
