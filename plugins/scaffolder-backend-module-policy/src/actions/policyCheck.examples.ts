import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Checks catalog-info.yaml and the Kubernetes manifests under k8s/, kubernetes/ or deploy/ after fetching the skeleton; error-level findings fail the task.',
    example: yaml.stringify({
      steps: [
        {
          id: 'fetch',
          action: 'fetch:template',
          name: 'Fetch skeleton',
          input: {
            url: './skeleton',
            values: { name: '${{ parameters.name }}' },
          },
        },
        {
          id: 'policy',
          action: 'policy:check',
          name: 'Check Paved policies',
        },
      ],
    }),
  },
  {
    description:
      'Checks named files as production workloads and fails on warnings too; the findings and decision ids are step outputs.',
    example: yaml.stringify({
      steps: [
        {
          id: 'policy',
          action: 'policy:check',
          name: 'Check Paved policies',
          input: {
            files: ['catalog-info.yaml', 'deploy/production/*.yaml'],
            environment: 'production',
            failOn: 'warning',
          },
        },
      ],
      output: {
        text: [
          {
            title: 'Policy decisions',
            content: '${{ steps.policy.output.decisionIds | join(", ") }}',
          },
        ],
      },
    }),
  },
  {
    description:
      'Checks against other entry points (for example a stricter bundle) and only reports, never fails.',
    example: yaml.stringify({
      steps: [
        {
          id: 'policy',
          action: 'policy:check',
          name: 'Report policy findings',
          input: {
            catalogEntrypoint: 'acme/catalog/violations',
            workloadEntrypoint: 'acme/workload/violations',
            failOn: 'never',
          },
        },
      ],
    }),
  },
];
