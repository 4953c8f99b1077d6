/** The key documentation is the registry's: regenerate it with `npm run docs:keys` when a rule changes. */
import * as fs from 'fs';
import { KEY_REFERENCE_PATH, README_PATH, keyReference, readmeWithDroppedKeys } from '../../scripts/key-reference';

test('docs/compose-keys.md is what the registry says', () => {
  expect(fs.readFileSync(KEY_REFERENCE_PATH, 'utf8')).toBe(keyReference());
});

test("the README's key coverage table is the registry's", () => {
  const readme = fs.readFileSync(README_PATH, 'utf8');
  expect(readme).toBe(readmeWithDroppedKeys(readme));
});
