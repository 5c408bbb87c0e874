import type { AuditRecord, SwitchRequest, SwitchResult } from '../../lib/device/device';
import type { DeviceDescription, OutletInfo, OutletState, Snapshot } from '../../lib/types';
import { SimModel } from '../../sim/model';

// A PDU as a site's SiteSpoke sees it (the parts of Device it calls), with no protocol behind
// it: the bench measures the MQTT path, so describing, reading and switching cost next to
// nothing here. The outlets, their loads and the sensors come from the simulators' model.

/** The name of a site's i-th PDU in the topics (0-based), the same at the site and the hub. */
export const pduName = (index: number): string => `pdu-${String(index + 1).padStart(2, '0')}`;

export class FakePdu {
  private readonly model: SimModel;
  private readonly description: DeviceDescription;
  private polls = 0;

  constructor(readonly name: string, outlets: number, private readonly onAudit: (record: AuditRecord) => void) {
    this.model = new SimModel({ outlets });
    this.description = {
      vendor: 'Bench', model: `Fake ${outlets}-outlet PDU`, profile: 'fake',
      outlets: this.model.outlets.map((outlet) => ({ index: outlet.number, id: `AA${outlet.number}`, name: outlet.name, groups: [], key: String(outlet.number) })),
      capabilities: {
        switch: true, nativeReboot: true, outletCurrent: true, outletPower: true, moduleStatus: true,
        inputCurrent: true, temperature: true, humidity: true,
      },
    };
  }

  async describe(): Promise<DeviceDescription> {
    return this.description;
  }

  /** Loads move by a few percent at each poll, the inlet temperature by a tenth of a degree. */
  async read(): Promise<Snapshot> {
    this.polls += 1;
    const wobble = (i: number): number => 1 + 0.03 * Math.sin(this.polls * 0.7 + i);
    const outlets = this.model.outlets.map((outlet, i) => {
      const current = Math.round(this.model.current(outlet) * wobble(i) * 100) / 100;
      return {
        index: outlet.number, id: `AA${outlet.number}`, name: outlet.name, state: (outlet.on ? 'on' : 'off') as OutletState,
        module: outlet.module, current, power: Math.round(current * this.model.voltage),
      };
    });
    const current = Math.round(outlets.reduce((sum, outlet) => sum + outlet.current, 0) * 100) / 100;
    return {
      outlets,
      inputs: [{ index: 1, name: 'Input A', current, power: Math.round(current * this.model.voltage), voltage: this.model.voltage }],
      sensors: [
        { index: 1, name: 'Inlet', type: 'temperature', value: Math.round((this.model.temperature + 0.1 * Math.sin(this.polls)) * 10) / 10, unit: '°C' },
        { index: 1, name: 'Inlet', type: 'humidity', value: this.model.humidity, unit: '%' },
      ],
    };
  }

  lockedIndexes(): Set<number> {
    return new Set();
  }

  /** Outlets by number (what a hub sends); each flips at once and reads back as switched. */
  async switch(request: SwitchRequest): Promise<SwitchResult> {
    const started = Date.now();
    const wanted = new Set((Array.isArray(request.targets) ? request.targets : [request.targets]).map(Number));
    const targets = this.description.outlets.filter((outlet) => wanted.has(outlet.index));
    if (targets.length === 0) throw new Error(`${this.name} has no outlet ${[...wanted].join(', ')}`);
    const outlets = targets.map((outlet: OutletInfo) => {
      const before: OutletState = this.model.outlet(outlet.index)!.on ? 'on' : 'off';
      if (request.action === 'reboot') this.model.reboot(outlet.index);
      else this.model.switch(outlet.index, request.action === 'on');
      return { index: outlet.index, id: outlet.id, name: outlet.name, before, after: request.action === 'off' ? 'off' : 'on' as OutletState, verified: true };
    });
    const result: SwitchResult = {
      action: request.action, device: this.name, outlets,
      changed: outlets.filter((outlet) => outlet.before !== outlet.after).length, locked: [], durationMs: Date.now() - started,
    };
    this.onAudit({
      at: new Date(started).toISOString(), device: this.name, requester: request.requester ?? { id: 'bench' }, action: request.action,
      outlets: targets.map(({ index, id, name }) => ({ index, id, name })), forced: false, ok: true, result, durationMs: result.durationMs,
    });
    return result;
  }

  stop(): void {
    this.model.stop();
  }
}
