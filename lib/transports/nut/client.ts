import { EventEmitter } from 'events';
import { NutConnection, type NutConnectionOptions, type RequestInfo } from './connection';
import { NutCommandError, NutUnreachableError, isNutError } from './errors';
import { tail } from './lines';
import { checkName, requestLine, splitWords } from './protocol';

export interface NutClientOptions extends NutConnectionOptions {
  /** Extra tries for reads after the connection dropped (commands are never repeated). */
  retries?: number;
  /** How long to follow a tracked command before giving up, ms. */
  trackingTimeout?: number;
}

export interface UpsEntry {
  name: string;
  description: string;
}

export interface VariableType {
  rw: boolean;
  enum: boolean;
  range: boolean;
  /** STRING:n gives the maximum length. */
  string?: number;
  number: boolean;
  /** The tokens as upsd sent them. */
  raw: string[];
}

export interface WritableVariable {
  name: string;
  value: string;
  type: VariableType;
  description?: string;
  enum?: string[];
  range?: Array<{ min: number; max: number }>;
}

/** The outcome of SET VAR or INSTCMD. */
export interface CommandOutcome {
  /** `SUCCESS` when upsd tracked it to the end, `SENT` when the server cannot track (before NUT 2.8). */
  result: 'SUCCESS' | 'SENT';
  tracking?: string;
}

/**
 * The whole NUT network protocol (docs/net-protocol.txt) over one shared, pipelined
 * connection. Every method resolves with parsed values or rejects with a typed NUT error.
 * Events: `connected`, `disconnected` (reason), as the connection reports them.
 */
export class NutClient extends EventEmitter {
  readonly connection: NutConnection;
  private readonly retries: number;

  constructor(readonly options: NutClientOptions) {
    super();
    this.connection = new NutConnection(options);
    this.retries = options.retries ?? 1;
    this.connection.on('connected', () => this.emit('connected'));
    this.connection.on('disconnected', (reason: string) => this.emit('disconnected', reason));
  }

  get address(): string {
    return this.connection.address;
  }

  get connected(): boolean {
    return this.connection.connected;
  }

  /** Connect now (requests connect on their own; this is for a status that is right from the start). */
  connect(): Promise<void> {
    return this.connection.connect();
  }

  close(): Promise<void> {
    return this.connection.close();
  }

  // --- Reading ------------------------------------------------------------------------------

  async listUps(): Promise<UpsEntry[]> {
    const lines = await this.list('LIST UPS', {});
    return lines.map(splitWords).filter((words) => words[0] === 'UPS')
      .map((words) => ({ name: words[1], description: words[2] ?? '' }));
  }

  /** Every variable of a UPS, in upsd's order. */
  async listVar(ups: string): Promise<Record<string, string>> {
    return this.pairs(await this.list(`LIST VAR ${checkName(ups, 'UPS')}`, { ups }), 'VAR');
  }

  /** The writable variables and their values. */
  async listRw(ups: string): Promise<Record<string, string>> {
    return this.pairs(await this.list(`LIST RW ${checkName(ups, 'UPS')}`, { ups }), 'RW');
  }

  async listCmd(ups: string): Promise<string[]> {
    const lines = await this.list(`LIST CMD ${checkName(ups, 'UPS')}`, { ups });
    return lines.map(splitWords).filter((words) => words[0] === 'CMD').map((words) => words[2]);
  }

  async listEnum(ups: string, variable: string): Promise<string[]> {
    const lines = await this.list(`LIST ENUM ${checkName(ups, 'UPS')} ${checkName(variable, 'variable')}`, { ups });
    return lines.map(splitWords).filter((words) => words[0] === 'ENUM').map((words) => words[3]);
  }

  async listRange(ups: string, variable: string): Promise<Array<{ min: number; max: number }>> {
    const lines = await this.list(`LIST RANGE ${checkName(ups, 'UPS')} ${checkName(variable, 'variable')}`, { ups });
    return lines.map(splitWords).filter((words) => words[0] === 'RANGE')
      .map((words) => ({ min: Number(words[3]), max: Number(words[4]) }));
  }

  async getVar(ups: string, variable: string): Promise<string> {
    const words = await this.words(`GET VAR ${checkName(ups, 'UPS')} ${checkName(variable, 'variable')}`, { ups }, 'VAR');
    return words[3] ?? '';
  }

  /**
   * Many variables in one write, answers matched in order. Variables the UPS does not have
   * (any more) are left out; any other error fails the whole read.
   */
  async getVars(ups: string, variables: string[]): Promise<Record<string, string>> {
    checkName(ups, 'UPS');
    const lines = variables.map((variable) => `GET VAR ${ups} ${checkName(variable, 'variable')}`);
    const answers = await this.retry(() => this.connection.pipeline(lines, 'line', (index) => ({ text: lines[index], ups })));
    const values: Record<string, string> = {};
    answers.forEach((answer, index) => {
      if (answer instanceof Error) {
        const token = (answer as { token?: string }).token;
        if (token !== 'VAR-NOT-SUPPORTED' && token !== 'VAR-UNKNOWN') throw answer;
        return;
      }
      values[variables[index]] = splitWords(answer[0])[3] ?? '';
    });
    return values;
  }

  async getType(ups: string, variable: string): Promise<VariableType> {
    const words = await this.words(`GET TYPE ${checkName(ups, 'UPS')} ${checkName(variable, 'variable')}`, { ups }, 'TYPE');
    return parseType(words.slice(3));
  }

  async getDescription(ups: string, variable: string): Promise<string> {
    const words = await this.words(`GET DESC ${checkName(ups, 'UPS')} ${checkName(variable, 'variable')}`, { ups }, 'DESC');
    return words[3] ?? '';
  }

  async getCommandDescription(ups: string, command: string): Promise<string> {
    const words = await this.words(`GET CMDDESC ${checkName(ups, 'UPS')} ${checkName(command, 'command')}`, { ups }, 'CMDDESC');
    return words[3] ?? '';
  }

  /**
   * A UPS's full status, fast: one `LIST VAR` (upsd's consistent snapshot, new variables
   * included), its answer sped up by the quick ACK of the connection.
   */
  async readAll(ups: string): Promise<Record<string, string>> {
    return this.listVar(ups);
  }

  /** The writable variables with their types, and enums or ranges where they have them. */
  async writable(ups: string): Promise<WritableVariable[]> {
    const values = await this.listRw(ups);
    const names = Object.keys(values);
    const types = await Promise.all(names.map((name) => this.getType(ups, name)));
    const descriptions = await Promise.all(names.map((name) => this.getDescription(ups, name).catch(() => '')));
    return Promise.all(names.map(async (name, index) => {
      const entry: WritableVariable = { name, value: values[name], type: types[index] };
      if (descriptions[index]) entry.description = descriptions[index];
      if (types[index].enum) entry.enum = await this.listEnum(ups, name);
      if (types[index].range) entry.range = await this.listRange(ups, name);
      return entry;
    }));
  }

  // --- Acting (needs USERNAME/PASSWORD) ------------------------------------------------------

  /** SET VAR, followed through TRACKING where the server has it. */
  async setVar(ups: string, variable: string, value: string): Promise<CommandOutcome> {
    const line = requestLine(['SET', 'VAR', checkName(ups, 'UPS'), checkName(variable, 'variable'), { value }]);
    const text = `SET VAR ${ups} ${variable}`;
    return this.tracked(await this.line(line, { text, ups }, false), { text, ups });
  }

  /** INSTCMD with an optional parameter, followed through TRACKING where the server has it. */
  async instcmd(ups: string, command: string, param?: string): Promise<CommandOutcome> {
    const words: Array<string | { value: string }> = ['INSTCMD', checkName(ups, 'UPS'), checkName(command, 'command')];
    if (param !== undefined && param !== '') words.push({ value: param });
    const text = `INSTCMD ${ups} ${command}${param !== undefined && param !== '' ? ` ${param}` : ''}`;
    return this.tracked(await this.line(requestLine(words), { text, ups }, false), { text, ups });
  }

  /** `PENDING` or `SUCCESS`; a failed command rejects with its typed error. */
  async getTracking(id: string, about: RequestInfo = { text: `GET TRACKING ${id}` }): Promise<'PENDING' | 'SUCCESS'> {
    const [answer] = await this.line(`GET TRACKING ${checkName(id, 'tracking id')}`, about);
    if (answer === 'PENDING' || answer === 'SUCCESS') return answer;
    throw new NutCommandError(`${about.text}: unexpected tracking answer "${tail(answer, 80)}"`, 'PROTOCOL', about.text, about.ups);
  }

  // --- Plumbing -----------------------------------------------------------------------------

  private async tracked(answer: string[], about: RequestInfo): Promise<CommandOutcome> {
    const match = /^OK TRACKING (\S+)/.exec(answer[0]);
    if (!match) return { result: 'SENT' };
    const id = match[1];
    const deadline = Date.now() + (this.options.trackingTimeout ?? 10000);
    for (let delay = 20; ; delay = Math.min(delay * 2, 500)) {
      try {
        if (await this.getTracking(id, about) === 'SUCCESS') return { result: 'SUCCESS', tracking: id };
      } catch (error) {
        if (isNutError(error) && error.request === about.text) throw Object.assign(error, { tracking: id });
        throw error;
      }
      if (Date.now() > deadline) {
        throw new NutCommandError(`${about.text}: still pending after ${this.options.trackingTimeout ?? 10000} ms (tracking ${id})`,
          'PENDING', about.text, about.ups);
      }
      await new Promise((resolve) => { setTimeout(resolve, delay); });
    }
  }

  private line(line: string, about: Partial<RequestInfo>, retry = true): Promise<string[]> {
    const info = { text: about.text ?? line, ups: about.ups };
    const call = () => this.connection.request(line, 'line', info);
    return retry ? this.retry(call) : call();
  }

  private list(line: string, about: Partial<RequestInfo>): Promise<string[]> {
    const info = { text: about.text ?? line, ups: about.ups };
    return this.retry(() => this.connection.request(line, 'list', info));
  }

  /** A single-line answer that must start with `prefix` (`VAR ups name "value"`). */
  private async words(line: string, about: Partial<RequestInfo>, prefix: string): Promise<string[]> {
    const [answer] = await this.line(line, about);
    const words = splitWords(answer);
    if (words[0] !== prefix) {
      throw new NutCommandError(`${line}: unexpected answer "${tail(answer, 80)}"`, 'PROTOCOL', line, about.ups);
    }
    return words;
  }

  private pairs(lines: string[], prefix: string): Record<string, string> {
    const values: Record<string, string> = {};
    for (const words of lines.map(splitWords)) {
      if (words[0] === prefix && words[2] !== undefined) values[words[2]] = words[3] ?? '';
    }
    return values;
  }

  /**
   * Reads are repeated after a lost connection (the answer was lost, not refused). Not after
   * close(): that would open the connection again behind the back of whoever closed it.
   */
  private async retry<T>(call: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await call();
      } catch (error) {
        const lost = error instanceof NutUnreachableError && ['LOST', 'TIMEOUT'].includes(error.token);
        if (!lost || attempt >= this.retries) throw error;
      }
    }
  }
}

export function parseType(tokens: string[]): VariableType {
  const type: VariableType = { rw: false, enum: false, range: false, number: false, raw: tokens };
  for (const token of tokens) {
    if (token === 'RW') type.rw = true;
    else if (token === 'ENUM') type.enum = true;
    else if (token === 'RANGE') type.range = true;
    else if (token === 'NUMBER') type.number = true;
    else if (token.startsWith('STRING:')) type.string = Number(token.slice(7));
  }
  return type;
}
