import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../src/config.js';
import { USAGE } from '../src/text/help.js';

/** The README is what a new user reads first: its command table and configuration must stay true. */
const readme = fs.readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const envExample = fs.readFileSync(new URL('../.env.example', import.meta.url), 'utf8');
const unescape = (s: string) => s.replace(/\\\|/g, '|');

describe('README', () => {
  it('shows the two setup commands', () => {
    expect(readme).toContain('npm install && npm start');
    expect(readme).toContain('npm install && npm test');
  });

  it.each(Object.entries(USAGE))('lists every form of /%s that the bot accepts and /帮助 shows', (_cmd, usage) => {
    for (const form of usage.forms) expect(unescape(readme)).toContain(`\`${form}\``);
  });

  it.each(Object.keys(configSchema.shape))('documents %s in the configuration table and in .env.example', (key) => {
    expect(readme).toContain(`\`${key}\``);
    expect(envExample).toMatch(new RegExp(`^${key}=`, 'm'));
  });
});
