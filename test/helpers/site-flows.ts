/**
 * A Node-RED mqtt-broker config on a test's Mosquitto for a site or a hub flow: MQTT v5, a clean
 * session, a short keepalive (a killed runtime's will comes quickly), the user's own login.
 */
export function brokerConfig(port: number, id: string, user: string, password: string, keepalive = 2): Record<string, unknown> {
  return {
    id, type: 'mqtt-broker', name: `${user} broker`, broker: '127.0.0.1', port: String(port), clientid: '',
    autoConnect: true, usetls: false, protocolVersion: '5', keepalive: String(keepalive), cleansession: true, credentials: { user, password },
  };
}
