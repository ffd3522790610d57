// The README's configuration table stays complete: every setting the gateway reads is in it.
import { readFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { settings } from '../gateway/config.ts';

const test = suite('readme');
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

test('the README documents every configuration variable', () => {
  const missing = Object.values(settings)
    .map((setting) => setting.env)
    .filter((name) => !readme.includes(`| \`${name}\` |`));
  assert.equal(missing, []);
});

test('the README gives the two commands', () => {
  assert.ok(readme.includes('npm ci && npm start'));
  assert.ok(readme.includes('npm test'));
});

test.run();
