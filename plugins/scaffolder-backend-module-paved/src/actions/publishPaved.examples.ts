import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Publish the workspace to the configured target (local git repositories by default; GitHub, GitLab or Gitea by scaffolder.paved.publish.target) and link the new entity',
    example: yaml.stringify({
      steps: [
        {
          id: 'publish',
          action: 'publish:paved',
          name: 'Publish',
          input: {
            repoName: '${{ parameters.name }}',
            description: '${{ parameters.description }}',
          },
        },
      ],
      output: {
        links: [
          {
            title: 'Open in catalog',
            icon: 'catalog',
            entityRef: "${{ steps['publish'].output.entityRef }}",
          },
        ],
      },
    }),
  },
  {
    description:
      'Publish a sub-directory on branch trunk with a custom commit message',
    example: yaml.stringify({
      steps: [
        {
          id: 'publish',
          action: 'publish:paved',
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
