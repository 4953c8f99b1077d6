/** The library reads the shell environment only when asked (`env: process.env`), as the CLI always does. */
import { loadProjectFromString } from '../../lib';
import { tempProject } from '../support/project';

const YAML = 'services:\n  api:\n    image: api:${API_TAG:-latest}\n';

test('without env, process.env is not read: the build is reproducible', () => {
  process.env.API_TAG = 'from-process';
  try {
    const result = loadProjectFromString(YAML, { workingDir: tempProject() });
    expect(result.ok && result.project.services.api.image).toBe('api:latest');
  } finally {
    delete process.env.API_TAG;
  }
});

test('env: process.env interpolates from the shell, as the CLI does, and wins over .env', () => {
  process.env.API_TAG = 'from-process';
  try {
    const result = loadProjectFromString(YAML, {
      workingDir: tempProject({ '.env': 'API_TAG=from-file\n' }),
      env: process.env,
    });
    expect(result.ok && result.project.services.api.image).toBe('api:from-process');
  } finally {
    delete process.env.API_TAG;
  }
});
