import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Publish the whole workspace as a repository on branch main',
    example: yaml.stringify({
      steps: [
        {
          id: 'publish',
          action: 'publish:local-git',
          name: 'Publish',
          input: { repoName: '${{ parameters.name }}' },
        },
      ],
    }),
  },
  {
    description:
      'Publish a sub-directory of the workspace with a custom message and branch',
    example: yaml.stringify({
      steps: [
        {
          id: 'publish',
          action: 'publish:local-git',
          name: 'Publish',
          input: {
            repoName: 'orders-service',
            sourcePath: './orders-service',
            defaultBranch: 'trunk',
            gitCommitMessage:
              'Create orders-service from the go-grpc-service template',
          },
        },
      ],
    }),
  },
];
