import type { NutClient, CommandOutcome, UpsEntry, WritableVariable } from './client';
import { nutValues, statusFlags } from './values';

// What the ups-nut node asks of a NUT server, as plain functions over the shared client.

/** A full status read: every variable, numbers as numbers, `status` the ups.status flags. */
export interface UpsStatus {
  ups: string;
  device: string;
  at: string;
  status: string[];
  [variable: string]: unknown;
}

export async function readStatus(client: NutClient, ups: string, device: string): Promise<{ vars: Record<string, string>; payload: UpsStatus }> {
  const vars = await client.readAll(ups);
  const payload: UpsStatus = { ...nutValues(vars), ups, device, at: new Date().toISOString(), status: statusFlags(vars['ups.status']) };
  return { vars, payload };
}

export interface UpsListing {
  server: string;
  upses: UpsEntry[];
  ups?: string;
  variables?: Record<string, string | number>;
  commands?: Array<{ name: string; description: string }>;
  writable?: WritableVariable[];
}

/** LIST UPS, and for one UPS its variables, commands (with descriptions) and writable variables. */
export async function listServer(client: NutClient, ups: string | undefined): Promise<UpsListing> {
  const upses = await client.listUps();
  const listing: UpsListing = { server: client.address, upses };
  if (!ups) return listing;
  const [vars, commands, writable] = await Promise.all([client.listVar(ups), client.listCmd(ups), client.writable(ups)]);
  const descriptions = await Promise.all(commands.map((command) => client.getCommandDescription(ups, command).catch(() => '')));
  return {
    ...listing,
    ups,
    variables: nutValues(vars),
    commands: commands.map((name, i) => ({ name, description: descriptions[i] })),
    writable,
  };
}

export interface CommandResult extends CommandOutcome {
  ups: string;
  command: string;
  param?: string;
}

export async function runCommand(client: NutClient, ups: string, command: string, param?: string): Promise<CommandResult> {
  const outcome = await client.instcmd(ups, command, param);
  return { ups, command, ...(param !== undefined && param !== '' ? { param } : {}), ...outcome };
}

export interface SetResult extends CommandOutcome {
  ups: string;
  variable: string;
  value: string;
}

export async function setVariable(client: NutClient, ups: string, variable: string, value: string): Promise<SetResult> {
  const outcome = await client.setVar(ups, variable, value);
  return { ups, variable, value, ...outcome };
}

/** The UPS a request is for: the message's, the node's, the config's, or the server's only one. */
export async function chooseUps(client: NutClient, ...candidates: Array<unknown>): Promise<string> {
  for (const candidate of candidates) {
    if (typeof candidate === 'string' && candidate.trim()) return candidate.trim();
  }
  const upses = await client.listUps();
  if (upses.length === 1) return upses[0].name;
  throw new TypeError(upses.length === 0
    ? `upsd at ${client.address} serves no UPS`
    : `upsd at ${client.address} serves ${upses.map((entry) => entry.name).join(', ')}: choose one on the node or in msg.ups`);
}
