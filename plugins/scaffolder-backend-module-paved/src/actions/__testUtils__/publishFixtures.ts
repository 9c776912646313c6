// Fixtures shared by the publish action tests.
import { execFileSync } from 'node:child_process';
import type { UserEntity } from '@backstage/catalog-model';

export const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();

/** The signed-in user whose profile becomes the commit author. */
export const alice: UserEntity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name: 'alice' },
  spec: {
    profile: { displayName: 'Alice Example', email: 'alice@example.com' },
    memberOf: [],
  },
};

/** A generated project's catalog-info.yaml. */
export const catalogInfo = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: orders-api
spec:
  type: service
  lifecycle: experimental
  owner: group:default/team-commerce
`;

/** The configured author when the user has no profile. */
export const defaultAuthor = {
  name: 'Paved Scaffolder',
  email: 'scaffolder@paved.local',
};

/**
 * A task's checkpoint store, as the scaffolder keeps it across a retried or
 * recovered task: a checkpoint that completed returns its stored result and
 * does not run again.
 */
export function checkpointStore() {
  const done = new Map<string, unknown>();
  return {
    done,
    checkpoint: async <T>(opts: {
      key: string;
      fn: () => Promise<T> | T;
    }): Promise<T> => {
      if (done.has(opts.key)) return done.get(opts.key) as T;
      const value = await opts.fn();
      done.set(opts.key, value);
      return value;
    },
  };
}
