import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import scaffolderModulePolicy from '@paved/plugin-scaffolder-backend-module-policy';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { JsonObject } from '@backstage/types';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { serializeDirectoryContents } from '@backstage/plugin-scaffolder-node';
import request from 'supertest';
import { parse } from 'yaml';
import scaffolderModulePaved from '@paved/plugin-scaffolder-backend-module-paved';
import { loadRepoEntities } from './repoEntities';

export interface TaskRun {
  status: string;
  output: JsonObject;
  /** Messages of the task log, in order. */
  log: string[];
  /** Id of the step that failed, if one did. */
  failedStep?: string;
  durationMs: number;
}

/**
 * The real scaffolder backend with this module and the policy module
 * (`policy:check`), on a catalog holding the repository's own entities
 * (organisation, systems, resources, templates). `policy` is the `policy`
 * config block: where OPA is (in template CI a real one, LocalOpaServer) and
 * `scaffolder.onEngineUnavailable`.
 */
export async function startTemplateBackend(options: {
  baseDir: string;
  policy: JsonObject;
  extraEntities?: Entity[];
}) {
  const backend = await startTestBackend({
    features: [
      scaffolderPlugin,
      scaffolderModulePaved,
      scaffolderModulePolicy,
      catalogServiceMock.factory({
        entities: [...loadRepoEntities(), ...(options.extraEntities ?? [])],
      }),
      mockServices.rootConfig.factory({
        data: {
          scaffolder: { localGit: { baseDir: options.baseDir } },
          policy: options.policy,
        },
      }),
    ],
  });
  const server = backend.server;
  const auth = mockCredentials.user.header('user:default/alice');

  async function createTask(templateName: string, values: JsonObject) {
    return request(server)
      .post('/api/scaffolder/v2/tasks')
      .set('Authorization', auth)
      .send({ templateRef: `template:default/${templateName}`, values });
  }

  async function runTask(
    templateName: string,
    values: JsonObject,
    timeoutMs = 60_000,
  ): Promise<TaskRun> {
    const started = Date.now();
    const created = await createTask(templateName, values);
    if (created.status !== 201) {
      throw new Error(
        `task not created: ${created.status} ${JSON.stringify(created.body)}`,
      );
    }
    const id: string = created.body.id;
    for (;;) {
      const task = await request(server)
        .get(`/api/scaffolder/v2/tasks/${id}`)
        .set('Authorization', auth);
      if (['completed', 'failed', 'cancelled'].includes(task.body.status)) {
        const events = await request(server)
          .get(`/api/scaffolder/v2/tasks/${id}/events`)
          .set('Authorization', auth);
        const logEvents = (
          events.body as Array<{
            type: string;
            body: { message?: string; stepId?: string; status?: string };
          }>
        ).filter(e => e.type === 'log');
        return {
          status: task.body.status,
          failedStep: logEvents.find(e => e.body.status === 'failed')?.body
            .stepId,
          output:
            (
              events.body as Array<{
                type: string;
                body: { output?: JsonObject };
              }>
            ).find(e => e.type === 'completion')?.body.output ?? {},
          log: logEvents.map(e => e.body.message ?? ''),
          durationMs: Date.now() - started,
        };
      }
      if (Date.now() - started > timeoutMs)
        throw new Error(`task ${id} still ${task.body.status}`);
      await new Promise(r => setTimeout(r, 100));
    }
  }

  /** The Template Editor's dry run: template and its files in the request, nothing published. */
  async function dryRun(templateDir: string, values: JsonObject) {
    const template = parse(
      await readFile(join(templateDir, 'template.yaml'), 'utf8'),
    );
    const files = await serializeDirectoryContents(templateDir);
    return request(server)
      .post('/api/scaffolder/v2/dry-run')
      .set('Authorization', auth)
      .send({
        template,
        values,
        directoryContents: files.map(f => ({
          path: f.path,
          base64Content: f.content.toString('base64'),
        })),
      });
  }

  return { backend, createTask, runTask, dryRun, stop: () => backend.stop() };
}
