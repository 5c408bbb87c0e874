import { EventEmitter } from 'events';

// The simulated hardware behind every simulated PDU, whatever protocol it speaks: outlets that
// switch and reboot, loads that follow outlet state, and a temperature that drifts. Each vendor's
// agent maps its own MIB objects onto this model.

export interface SimOutletConfig {
  name: string;
  /** Amperes drawn while on. */
  load?: number;
  on?: boolean;
  /** Locked by the device's administrator: remote commands are refused. */
  locked?: boolean;
  group?: string;
}

export interface SimOutlet {
  number: number;
  name: string;
  on: boolean;
  locked: boolean;
  group?: string;
  baseLoad: number;
  /** 'normal' unless a test breaks the module. */
  module: 'normal' | 'noResponse' | 'onFail' | 'offFail';
  rebooting: boolean;
}

export interface SimModelOptions {
  outlets: number | SimOutletConfig[];
  /** How long a reboot keeps the outlet off, ms. */
  rebootDelay?: number;
  /** Starting temperature (°C) and humidity (%). */
  temperature?: number;
  humidity?: number;
  /** Mains voltage, for power = V x A. */
  voltage?: number;
  /** Drift the temperature and humidity every this many ms (0 = never). */
  driftInterval?: number;
}

export type SimChange =
  | { kind: 'outlet'; outlet: SimOutlet; on: boolean; reason: 'command' | 'reboot' }
  | { kind: 'sensor'; temperature: number; humidity: number }
  | { kind: 'name'; outlet: SimOutlet; previous: string };

export class SimModel extends EventEmitter {
  readonly outlets: SimOutlet[];
  readonly rebootDelay: number;
  readonly voltage: number;
  temperature: number;
  humidity: number;
  readonly started = Date.now();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(options: SimModelOptions) {
    super();
    const configs: SimOutletConfig[] = typeof options.outlets === 'number'
      ? Array.from({ length: options.outlets }, (_, i) => ({ name: `server-${String(i + 1).padStart(2, '0')}` }))
      : options.outlets;
    this.outlets = configs.map((config, i) => ({
      number: i + 1,
      name: config.name,
      on: config.on ?? true,
      locked: config.locked ?? false,
      group: config.group,
      baseLoad: config.load ?? Math.round((0.4 + ((i * 37) % 11) / 10) * 100) / 100,
      module: 'normal',
      rebooting: false,
    }));
    this.rebootDelay = options.rebootDelay ?? 5000;
    this.voltage = options.voltage ?? 230;
    this.temperature = options.temperature ?? 24.5;
    this.humidity = options.humidity ?? 41;
    if (options.driftInterval) {
      const timer = setInterval(() => this.drift(), options.driftInterval);
      timer.unref();
      this.timers.add(timer);
    }
  }

  outlet(number: number): SimOutlet | undefined {
    return this.outlets[number - 1];
  }

  /** Amperes the outlet draws now. */
  current(outlet: SimOutlet): number {
    return outlet.on ? outlet.baseLoad : 0;
  }

  power(outlet: SimOutlet): number {
    return Math.round(this.current(outlet) * this.voltage);
  }

  totalCurrent(): number {
    return Math.round(this.outlets.reduce((sum, outlet) => sum + this.current(outlet), 0) * 100) / 100;
  }

  totalPower(): number {
    return this.outlets.reduce((sum, outlet) => sum + this.power(outlet), 0);
  }

  /** Returns false when the outlet is locked (the device refuses). Setting the same state twice is harmless. */
  switch(number: number, on: boolean): boolean {
    const outlet = this.outlet(number);
    if (!outlet || outlet.locked) return false;
    outlet.rebooting = false;
    this.apply(outlet, on, 'command');
    return true;
  }

  reboot(number: number): boolean {
    const outlet = this.outlet(number);
    if (!outlet || outlet.locked) return false;
    if (outlet.rebooting) return true;
    outlet.rebooting = true;
    this.apply(outlet, false, 'reboot');
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!outlet.rebooting) return;
      outlet.rebooting = false;
      this.apply(outlet, true, 'reboot');
    }, this.rebootDelay);
    this.timers.add(timer);
    return true;
  }

  /** Rename an outlet, as an operator does on the device's own web page or console. */
  rename(number: number, name: string): void {
    const outlet = this.outlet(number);
    if (!outlet) throw new Error(`no outlet ${number}`);
    const previous = outlet.name;
    outlet.name = name;
    this.emit('change', { kind: 'name', outlet, previous } satisfies SimChange);
  }

  /** Set temperature/humidity (tests drive thresholds with this). */
  setSensors(temperature: number, humidity = this.humidity): void {
    this.temperature = temperature;
    this.humidity = humidity;
    this.emit('change', { kind: 'sensor', temperature, humidity } satisfies SimChange);
  }

  uptimeCentiseconds(): number {
    return Math.floor((Date.now() - this.started) / 10);
  }

  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private apply(outlet: SimOutlet, on: boolean, reason: 'command' | 'reboot'): void {
    if (outlet.on === on) return;
    outlet.on = on;
    this.emit('change', { kind: 'outlet', outlet, on, reason } satisfies SimChange);
  }

  private drift(): void {
    // A slow random walk around the starting point, as a rack's inlet temperature does.
    const t = this.temperature + (Math.random() - 0.5) * 0.4;
    const h = this.humidity + (Math.random() - 0.5) * 1;
    this.setSensors(Math.round(Math.min(40, Math.max(15, t)) * 10) / 10, Math.round(Math.min(80, Math.max(20, h)) * 10) / 10);
  }
}
