/** What a Dockerfile copies from the build context, and where the image holds it: a Dockerfile in, copies out. */
import * as fs from 'fs';
import * as path from 'path';
import { dockerfileCopies } from '../../lib/compose/normalize/dockerfile';
import { projectFrom, tempProject } from '../support/project';

/** `from -> to` per copy, for a Dockerfile whose context is the project itself. */
const copies = (dockerfile: string, context = '', target?: string) =>
  dockerfileCopies(dockerfile, context, 'Dockerfile', target).map((c) => `${c.from || '.'} -> ${c.to} (${c.at})`);

test('COPY and ADD of context paths, with relative destinations under WORKDIR', () => {
  expect(
    copies(
      [
        'FROM php:8.3-cli',
        'WORKDIR /usr/src/code',
        'COPY ./src /usr/src/code/src',
        'ADD app app/',
        'COPY --chown=www-data:www-data --chmod=755 ./bin /usr/local/bin',
        'WORKDIR public',
        'COPY ["assets", "./static"]',
        'COPY . .',
      ].join('\n'),
    ),
  ).toEqual([
    'src -> /usr/src/code/src (Dockerfile:3)',
    'app -> /usr/src/code/app (Dockerfile:4)',
    'bin -> /usr/local/bin (Dockerfile:5)',
    'assets -> /usr/src/code/public/static (Dockerfile:7)',
    '. -> /usr/src/code/public (Dockerfile:8)',
  ]);
});

test('paths are relative to the project when the context is a directory inside it', () => {
  expect(copies('FROM node\nWORKDIR /app\nCOPY . .\nCOPY ../x /x\n', 'api')).toEqual(['api -> /app (Dockerfile:3)']);
});

test('continuation lines, comments, the escape directive and heredoc bodies', () => {
  expect(
    copies(
      [
        '# escape=`',
        'FROM mcr.microsoft.com/windows',
        '# a comment `',
        'COPY `',
        '  # inside the instruction',
        '  ./src `',
        '  /app/src',
        'RUN <<EOF',
        'COPY ./not-an-instruction /nowhere',
        'EOF',
        'COPY ./lib /app/lib',
      ].join('\n'),
    ),
  ).toEqual(['src -> /app/src (Dockerfile:4)', 'lib -> /app/lib (Dockerfile:11)']);
});

test('what cannot be known is left out: variables, wildcards, URLs, heredocs, --parents, an unknown WORKDIR', () => {
  expect(
    copies(
      [
        'FROM python:3.12',
        'ARG APP=/app',
        'COPY ./src $APP/src',
        'COPY ${SRC} /app/src',
        'COPY *.py /app/',
        'ADD https://example.com/x.tgz /opt/',
        'COPY <<EOF /app/config',
        'x',
        'EOF',
        'COPY --parents ./a/b /app/',
        'WORKDIR $APP',
        'COPY ./lib lib',
        'COPY ./conf /etc/app',
      ].join('\n'),
    ),
  ).toEqual(['conf -> /etc/app (Dockerfile:13)']);
});

test('the stage that is built: the last, or the target; a stage built on another keeps its copies', () => {
  const dockerfile = [
    'FROM node:20 AS build',
    'WORKDIR /app',
    'COPY . .',
    'RUN npm run build',
    'FROM build AS dev',
    'COPY ./src /app/src',
    'FROM nginx:1.27',
    'COPY --from=build /app/dist /usr/share/nginx/html',
    'COPY --from=build /app /srv/app',
    'COPY --from=node:20 /usr/local/bin/node /usr/local/bin/node',
  ].join('\n');
  expect(copies(dockerfile)).toEqual(['dist -> /usr/share/nginx/html (Dockerfile:8)', '. -> /srv/app (Dockerfile:9)']);
  expect(copies(dockerfile, '', 'dev')).toEqual(['. -> /app (Dockerfile:3)', 'src -> /app/src (Dockerfile:6)']);
});

describe('the loader reads the Dockerfile of a build', () => {
  test('the context Dockerfile, a named one, and an inline one', () => {
    const dir = tempProject({
      Dockerfile: 'FROM php\nCOPY ./src /usr/src/code/src\n',
      'api/Dockerfile.dev': 'FROM node\nWORKDIR /app\nCOPY . .\n',
    });
    const project = projectFrom(
      [
        'services:',
        '  php:',
        '    build: .',
        '  api:',
        '    build: { context: ./api, dockerfile: Dockerfile.dev }',
        '  inline:',
        '    build: { context: ., dockerfile_inline: "FROM x\\nCOPY ./conf /etc/x\\n" }',
        '',
      ].join('\n'),
      { workingDir: dir },
    );
    expect(project.services.php.build?.copies).toEqual([{ from: 'src', to: '/usr/src/code/src', at: 'Dockerfile:2' }]);
    expect(project.services.api.build?.copies).toEqual([{ from: 'api', to: '/app', at: 'api/Dockerfile.dev:3' }]);
    expect(project.services.inline.build?.copies).toEqual([{ from: 'conf', to: '/etc/x', at: 'dockerfile_inline:2' }]);
  });

  test('a Dockerfile outside the project, or a symlink pointing out, is never read', () => {
    const outside = tempProject({ Dockerfile: 'FROM x\nCOPY ./src /app/src\n' });
    const dir = tempProject();
    fs.symlinkSync(path.join(outside, 'Dockerfile'), path.join(dir, 'Dockerfile'));
    const project = projectFrom(
      `services:\n  a:\n    build: .\n  b:\n    build: { context: ., dockerfile: ${path.join(outside, 'Dockerfile')} }\n  c:\n    build: ${outside}\n`,
      { workingDir: dir },
    );
    expect(['a', 'b', 'c'].map((s) => project.services[s].build?.copies)).toEqual([undefined, undefined, undefined]);
  });
});
