/** `provider:` services and AI `models`, loaded as docker compose loads them. */
import * as path from 'path';
import { loadProject } from '../../lib/compose';
import { loadErrors, projectFrom, tempProject } from '../support/project';

describe('provider services', () => {
  const project = projectFrom(`services:
  llm:
    provider:
      type: model
      options:
        model: ai/smollm2
        flags: [--verbose, 42, true]
  app:
    image: app
    depends_on: [llm]
`);

  test('need neither an image nor a build; the provider is typed, options as text', () => {
    expect(project.services.llm.image).toBeUndefined();
    expect(project.services.llm.provider).toEqual({
      type: 'model',
      options: { model: 'ai/smollm2', flags: ['--verbose', '42', 'true'] },
    });
  });

  test('join no default network, and are not an unmodeled key', () => {
    expect(project.services.llm.networks).toEqual({});
    expect(project.services.llm.unmodeled).toEqual({});
  });

  test('a service with neither image, build nor provider is still an error', () => {
    expect(loadErrors('services:\n  web:\n    restart: always\n')).toEqual([
      'compose.yaml:2:3: services.web: service "web" has neither an image nor a build section',
    ]);
  });
});

describe('models', () => {
  const project = projectFrom(`services:
  chat:
    image: chat
    models: [llm, embedding-model]
  tuned:
    image: chat
    models:
      llm:
        endpoint_var: AI_URL
      embedding-model:
models:
  llm:
    model: ai/smollm2
    context_size: 4096
    runtime_flags: ["--temp", "0.1"]
  embedding-model:
    model: ai/all-minilm
    name: minilm
    x-size: small
`);

  test('the top-level models', () => {
    expect(project.models.llm).toMatchObject({
      model: 'ai/smollm2',
      contextSize: 4096,
      runtimeFlags: ['--temp', '0.1'],
      extensions: {},
      location: { file: 'compose.yaml', line: 12, column: 3 },
    });
    expect(project.models.llm.name).toBeUndefined();
    expect(project.models['embedding-model']).toMatchObject({ name: 'minilm', extensions: { 'x-size': 'small' } });
  });

  test('short syntax: the variables are <KEY>_URL and <KEY>_MODEL, upper-cased with - as _', () => {
    expect(project.services.chat.models).toEqual({
      llm: { endpointVar: 'LLM_URL', modelVar: 'LLM_MODEL' },
      'embedding-model': { endpointVar: 'EMBEDDING_MODEL_URL', modelVar: 'EMBEDDING_MODEL_MODEL' },
    });
  });

  test('long syntax names them; what it leaves out takes the default', () => {
    expect(project.services.tuned.models).toEqual({
      llm: { endpointVar: 'AI_URL', modelVar: 'LLM_MODEL' },
      'embedding-model': { endpointVar: 'EMBEDDING_MODEL_URL', modelVar: 'EMBEDDING_MODEL_MODEL' },
    });
  });

  test('a service naming an undefined model is an error, at the entry', () => {
    expect(loadErrors('services:\n  chat:\n    image: chat\n    models: [llm]\n')).toEqual([
      'compose.yaml:4:14: services.chat.models.llm: model "llm" is not defined in the top-level models',
    ]);
  });

  test('files merge models by name, short and long syntax alike', () => {
    const dir = tempProject({
      'compose.yaml':
        'services:\n  chat:\n    image: chat\n    models: [llm]\nmodels:\n  llm:\n    model: ai/smollm2\n',
      'override.yaml':
        'services:\n  chat:\n    models:\n      llm: { model_var: M }\n      coder:\nmodels:\n  coder:\n    model: ai/qwen\n',
    });
    const result = loadProject({
      workingDir: dir,
      files: ['compose.yaml', 'override.yaml'].map((f) => path.join(dir, f)),
      environment: {},
    });
    expect(result.ok && result.project.services.chat.models).toEqual({
      llm: { endpointVar: 'LLM_URL', modelVar: 'M' },
      coder: { endpointVar: 'CODER_URL', modelVar: 'CODER_MODEL' },
    });
    expect(result.ok && Object.keys(result.project.models)).toEqual(['llm', 'coder']);
  });

  test('an included project brings its models', () => {
    const dir = tempProject({
      'compose.yaml': 'include: [ai/compose.yaml]\nservices:\n  chat:\n    image: chat\n    models: [llm]\n',
      'ai/compose.yaml': 'models:\n  llm:\n    model: ai/smollm2\n',
    });
    const result = loadProject({ workingDir: dir, environment: {} });
    expect(result.ok && result.project.models.llm.model).toBe('ai/smollm2');
  });
});
