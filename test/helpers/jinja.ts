import { spawnSync } from 'child_process';

// Home Assistant renders an MQTT entity's value_template with Jinja2. Where python3 with Jinja2 is
// installed, the tests render the templates the site publishes with the same engine, against the
// payloads the site publishes, instead of trusting that a template string looks right.

const SCRIPT = `
import json, sys
from jinja2 import Environment
jobs = json.load(sys.stdin)
env = Environment()
print(json.dumps([env.from_string(job["template"]).render(value_json=job["value_json"], value=json.dumps(job["value_json"])) for job in jobs]))
`;

export function jinjaAvailable(): boolean {
  return spawnSync('python3', ['-c', 'import jinja2'], { stdio: 'ignore' }).status === 0;
}

/** Each template rendered as HA renders a value template: `value_json` the payload parsed, `value` the payload. */
export function renderJinja(jobs: Array<{ template: string; value_json: unknown }>): string[] {
  const run = spawnSync('python3', ['-c', SCRIPT], { input: JSON.stringify(jobs), encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`jinja2 failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as string[];
}
