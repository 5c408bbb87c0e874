import { collect, helper, loadFlow, sleep } from './red';

// Run by test/nodes/pdu-trap-in as an unprivileged user: a trap-in node on a low port, and what it
// tells the user (status and the error a Catch node gets), printed as one JSON line.

async function main(): Promise<void> {
  const port = process.argv[2] ?? '162';
  await loadFlow([
    { id: 'cfg', type: 'pdu-config', name: 'lab-pdu', transport: 'snmp', host: '127.0.0.1', snmpVersion: '2c' },
    { id: 'traps', type: 'pdu-trap-in', devices: ['cfg'], port, wires: [[]] },
    { id: 'catcher', type: 'catch', scope: null, wires: [['caught']] },
    { id: 'caught', type: 'helper' },
  ], { cfg: { trapCommunity: 'x' } });
  const node = helper.getNode('traps') as unknown as { on(event: string, fn: (call: { args: Array<{ text?: string }> }) => void): void };
  let status = '';
  node.on('call:status', (call) => { status = call.args[0]?.text ?? status; });
  const caught = collect<{ error: { message: string } }>(helper.getNode('caught') as never);
  for (let i = 0; i < 100 && caught.length === 0 && !/trap/.test(status); i += 1) await sleep(20);
  await sleep(300);
  console.log(JSON.stringify({ status, error: caught[0]?.error.message ?? '', bound: /traps?/.test(status) }));
  await helper.unload();
  process.exit(0);
}

main().catch((error) => {
  console.log(JSON.stringify({ status: '', error: String(error), bound: false }));
  process.exit(1);
});
