import { DeviceConfigError } from '../../device/errors';
import { customCliDialect, type CustomCliFields } from './custom-cli';
import type { CliDialect } from './dialect';
import { sentryCduCli } from './sentry-cdu-cli';
import { sentryCli } from './sentry-cli';
import { vpcCli } from './vpc-cli';

/** Every command-line dialect we ship. Add one by adding its file and one line here. */
export const cliDialects: CliDialect[] = [
  sentryCli,
  sentryCduCli,
  vpcCli,
];

export const CUSTOM_CLI = 'custom-cli';

/** The dialect a config asks for; `custom-cli` is built from the config's own fields. */
export function cliDialect(id: string, extra: Record<string, unknown> = {}): CliDialect {
  if (id === CUSTOM_CLI) return customCliDialect(extra as CustomCliFields);
  const found = cliDialects.find((dialect) => dialect.id === id);
  if (!found) {
    throw new DeviceConfigError(`unknown command-line dialect "${id}": choose one of ${[...cliDialects.map((d) => d.id), CUSTOM_CLI].join(', ')}`);
  }
  return found;
}
