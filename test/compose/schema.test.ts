import * as fs from 'fs';
import { projectFrom } from '../support/project';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { generate, target, generateKeys, keysTarget } = require('../../scripts/generate-schema-validator.js') as {
  generate(): string;
  target: string;
  generateKeys(): string;
  keysTarget: string;
};

test('the precompiled Compose schema validator matches schemas/compose-spec.json (npm run build regenerates it)', () => {
  expect(fs.readFileSync(target, 'utf8') === generate()).toBe(true);
});

test('the tree of Compose keys matches schemas/compose-spec.json (npm run build regenerates it)', () => {
  expect(fs.readFileSync(keysTarget, 'utf8') === generateKeys()).toBe(true);
});

test('valid Compose files pass the schema, extension fields included', () => {
  expect(
    projectFrom('x-common: &c { image: nginx }\nservices:\n  web:\n    <<: *c\n    x-k8s: { anything: true }\n')
      .services.web.image,
  ).toBe('nginx');
});
