import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Validate the generated catalog-info.yaml and the Kubernetes manifests before publishing',
    example: yaml.stringify({
      steps: [
        {
          id: 'validate',
          action: 'paved:validate',
          name: 'Validate',
          input: {
            catalogInfoPath: 'catalog-info.yaml',
            manifestsPath: 'kubernetes',
          },
        },
      ],
    }),
  },
];
