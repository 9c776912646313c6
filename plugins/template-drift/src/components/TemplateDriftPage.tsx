import Typography from '@material-ui/core/Typography';
import {
  Content,
  EmptyState,
  Header,
  Page,
  Progress,
  ResponseErrorPanel,
  Table,
  type TableColumn,
} from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import type { TemplateDrift } from '@paved/plugin-template-drift-common';
import { useTemplateDriftList } from '../hooks/useTemplateDrift';
import { DriftChip, versionGap } from './DriftChip';

// Backstage's theme lets table cells break words anywhere; headers stay on
// one line and entity names wrap at spaces only.
const headerStyle = { whiteSpace: 'nowrap' } as const;
const nameCellStyle = { wordBreak: 'normal', overflowWrap: 'normal' } as const;

const columns: TableColumn<TemplateDrift>[] = [
  {
    title: 'Entity',
    field: 'entityRef',
    render: d => <EntityRefLink entityRef={d.entityRef} />,
    cellStyle: nameCellStyle,
  },
  {
    title: 'Template',
    field: 'templateName',
    render: d =>
      d.templateRef ? (
        <EntityRefLink entityRef={d.templateRef} />
      ) : (
        d.templateName
      ),
    cellStyle: nameCellStyle,
  },
  { title: 'Created from', field: 'generatedVersion' },
  { title: 'Current', field: 'currentVersion' },
  {
    title: 'Gap',
    field: 'gap',
    render: d => (
      <>
        <DriftChip drift={d} /> {d.gap === 'unknown' ? d.reason : versionGap(d)}
      </>
    ),
  },
];

/** Every entity created from a golden-path template, most behind first. @public */
export const TemplateDriftPage = () => {
  const { value, loading, error } = useTemplateDriftList();
  return (
    <Page themeId="tool">
      <Header
        title="Template drift"
        subtitle="Components created from an older version of their golden-path template"
      />
      <Content>
        {loading && <Progress />}
        {error && <ResponseErrorPanel error={error} />}
        {value && value.drifts.length === 0 && (
          <EmptyState
            missing="data"
            title="No entity records a template"
            description="Entities created from a golden path carry the paved.dev/template and paved.dev/template-version annotations; none is in the catalog yet."
          />
        )}
        {value && value.drifts.length > 0 && (
          <>
            <Typography variant="body1" paragraph>
              {value.behind} of {value.drifts.length} entities are behind their
              template.
            </Typography>
            <Table<TemplateDrift>
              title="Entities created from templates"
              options={{
                paging: value.drifts.length > 20,
                pageSize: 20,
                search: true,
                headerStyle,
              }}
              columns={columns}
              data={value.drifts.map(d => ({ ...d, id: d.entityRef }))}
            />
          </>
        )}
      </Content>
    </Page>
  );
};
