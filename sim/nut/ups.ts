import { EventEmitter } from 'events';
import type { SimModel } from '../model';

// The simulated devices behind the simulated upsd: a UPS that goes on battery and back on a
// cycle (for the demo), and a PDU whose outlets are a SimModel. Each is a set of NUT variables.

export interface SimNutDevice {
  name: string;
  description: string;
  variables(): Record<string, string>;
  /** Writable variables (LIST RW); a SET goes through set(). */
  writable: Set<string>;
  commands: Record<string, string>;
  /** Allowed values (LIST ENUM) and limits (LIST RANGE) of writable variables. */
  enums?: Record<string, string[]>;
  ranges?: Record<string, [number, number]>;
  set(variable: string, value: string): boolean;
  /** Run an instant command; false when the device refuses. */
  command(name: string, param?: string): boolean;
  stop(): void;
}

export interface SimUpsOptions {
  name?: string;
  /** Seconds of one full cycle: on line, then on battery down to low battery, then on line again. 0 = no cycle. */
  cycle?: number;
}

/** A line-interactive UPS: OL CHRG -> OB DISCHRG -> OB DISCHRG LB -> OL CHRG, round and round. */
export class SimUps extends EventEmitter implements SimNutDevice {
  readonly name: string;
  readonly description = 'Simulated UPS (rack-power-sim)';
  readonly writable = new Set(['ups.delay.shutdown', 'ups.id', 'input.transfer.low', 'input.transfer.high']);
  readonly commands: Record<string, string> = {
    'test.battery.start.quick': 'Start a quick battery test',
    'beeper.mute': 'Temporarily mute the UPS beeper',
    'load.off.delay': 'Turn off the load with a delay (seconds)',
  };
  readonly enums: Record<string, string[]> = { 'ups.delay.shutdown': ['20', '60', '120'] };
  readonly ranges: Record<string, [number, number]> = { 'input.transfer.low': [160, 185], 'input.transfer.high': [265, 290] };
  onBattery = false;
  charge = 100;
  private settings: Record<string, string> = {
    'ups.delay.shutdown': '20', 'ups.id': 'rack-12', 'input.transfer.low': '170', 'input.transfer.high': '280',
  };
  private extra: string[] = [];
  private timer?: NodeJS.Timeout;
  private elapsed = 0;

  constructor(options: SimUpsOptions = {}) {
    super();
    this.name = options.name ?? 'ups';
    const cycle = options.cycle ?? 60;
    if (cycle > 0) {
      // 40% of the cycle on line power, then on battery until the charge is low, then back.
      this.timer = setInterval(() => this.tick(cycle), 1000);
      this.timer.unref();
    }
  }

  get status(): string {
    const flags = this.onBattery ? ['OB', 'DISCHRG'] : ['OL', ...(this.charge < 100 ? ['CHRG'] : [])];
    if (this.charge <= 25) flags.push('LB');
    return [...flags, ...this.extra].join(' ');
  }

  /** Tests and the demo switch the mains directly. */
  setMains(on: boolean): void {
    this.onBattery = !on;
    this.emit('change', this.status);
  }

  /** Extra status flags (RB, CAL, OVER ...). */
  setFlags(flags: string[]): void {
    this.extra = flags;
    this.emit('change', this.status);
  }

  variables(): Record<string, string> {
    const load = 23;
    return {
      'battery.charge': String(Math.round(this.charge)),
      'battery.charge.low': '25',
      'battery.runtime': String(Math.round(this.charge * 24)),
      'battery.voltage': (24 + this.charge / 50).toFixed(1),
      'device.mfr': 'Rack Power',
      'device.model': 'SimUPS 1500',
      'device.type': 'ups',
      'driver.name': 'rack-power-sim',
      'input.voltage': this.onBattery ? '0.0' : '230.4',
      'input.transfer.high': this.settings['input.transfer.high'],
      'input.transfer.low': this.settings['input.transfer.low'],
      'output.voltage': '230.0',
      'ups.delay.shutdown': this.settings['ups.delay.shutdown'],
      'ups.id': this.settings['ups.id'],
      'ups.load': String(load),
      'ups.mfr': 'Rack Power',
      'ups.model': 'SimUPS 1500',
      'ups.realpower': String(Math.round(1500 * 0.9 * load / 100)),
      'ups.status': this.status,
    };
  }

  set(variable: string, value: string): boolean {
    if (!this.writable.has(variable)) return false;
    this.settings[variable] = value;
    return true;
  }

  command(name: string): boolean {
    return name in this.commands;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private tick(cycle: number): void {
    this.elapsed = (this.elapsed + 1) % cycle;
    const online = this.elapsed < cycle * 0.4;
    const drain = 85 / (cycle * 0.6);
    this.charge = online ? Math.min(100, this.charge + 85 / (cycle * 0.4)) : Math.max(10, this.charge - drain);
    if (online === this.onBattery) this.setMains(online);
  }
}

/** A switched PDU as NUT's SNMP drivers show one: outlet.n.* variables and load.on/off/cycle. */
export class SimNutPdu implements SimNutDevice {
  readonly description = 'Simulated switched PDU (rack-power-sim)';
  readonly writable = new Set<string>();
  readonly commands: Record<string, string> = {};

  constructor(readonly name: string, private readonly model: SimModel) {
    for (const outlet of model.outlets) {
      this.commands[`outlet.${outlet.number}.load.on`] = 'Turn on the outlet';
      this.commands[`outlet.${outlet.number}.load.off`] = 'Turn off the outlet';
      this.commands[`outlet.${outlet.number}.load.cycle`] = 'Power cycle the outlet';
    }
  }

  variables(): Record<string, string> {
    const model = this.model;
    const vars: Record<string, string> = {
      'device.mfr': 'Rack Power', 'device.model': 'SimPDU 8', 'device.type': 'pdu', 'driver.name': 'rack-power-sim',
      'input.voltage': String(model.voltage), 'input.current': model.totalCurrent().toFixed(2),
      'input.realpower': String(model.totalPower()), 'ambient.temperature': model.temperature.toFixed(1),
      'ambient.humidity': model.humidity.toFixed(1), 'outlet.count': String(model.outlets.length), 'ups.status': 'OL',
    };
    for (const outlet of model.outlets) {
      const n = outlet.number;
      vars[`outlet.${n}.id`] = String(n);
      vars[`outlet.${n}.name`] = outlet.name;
      vars[`outlet.${n}.status`] = outlet.on ? 'on' : 'off';
      vars[`outlet.${n}.switchable`] = outlet.locked ? 'no' : 'yes';
      vars[`outlet.${n}.current`] = model.current(outlet).toFixed(2);
      vars[`outlet.${n}.realpower`] = String(model.power(outlet));
    }
    return vars;
  }

  set(): boolean {
    return false;
  }

  command(name: string): boolean {
    const match = /^outlet\.(\d+)\.load\.(on|off|cycle)$/.exec(name);
    if (!match) return false;
    const n = Number(match[1]);
    if (match[2] === 'cycle') return this.model.reboot(n);
    return this.model.switch(n, match[2] === 'on');
  }

  stop(): void {
    this.model.stop();
  }
}
