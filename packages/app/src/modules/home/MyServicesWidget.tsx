import {
  Entity,
  getCompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  Link,
  Progress,
  StatusAborted,
  StatusError,
  StatusOK,
  StatusWarning,
  WarningPanel,
} from '@backstage/core-components';
import {
  identityApiRef,
  useApi,
  useApiHolder,
  useRouteRef,
} from '@backstage/frontend-plugin-api';
import {
  catalogApiRef,
  entityRouteParams,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { HomePageWidgetBlueprint } from '@backstage/plugin-home-react/alpha';
import {
  HealthChip,
  isKubernetesStatusAvailable,
  KubernetesStatusApi,
  kubernetesStatusApiRef,
} from '@paved/plugin-kubernetes-status';
import { PolicyApi, policyApiRef } from '@paved/plugin-policy';
import { makeStyles, Typography } from '@material-ui/core';
import { ReactNode, useId } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { catalogIndexRouteRef } from './routes';
import { WIDGET_NAMES } from './widgetNames';
import { widgetTitle } from './widgetTitle';

/** At most this many services are listed; the rest are a click away in the catalog. */
export const MAX_SERVICES = 20;

type EntityStatus = Awaited<ReturnType<KubernetesStatusApi['getEntityStatus']>>;
type ComplianceList = Awaited<ReturnType<PolicyApi['getCompliance']>>;
type ComplianceItem = ComplianceList['items'][number];

/** What the compliance column knows, fetched once for all rows. */
type ComplianceColumn =
  | { state: 'loading' }
  | { state: 'unavailable'; message: string }
  | {
      state: 'ready';
      engine: ComplianceList['engine'];
      byRef: Map<string, ComplianceItem>;
    };

const useStyles = makeStyles(theme => ({
  list: { listStyle: 'none', margin: 0, padding: 0 },
  row: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'baseline',
    gap: theme.spacing(1, 2),
    padding: theme.spacing(1, 0),
    borderBottom: `1px solid ${theme.palette.divider}`,
  },
  // Wide enough for a name; at 390 px the two status cells wrap below it.
  name: { flex: '1 1 14rem', minWidth: 0, overflowWrap: 'anywhere' },
  cell: { flex: '0 1 11rem', minWidth: 0, overflowWrap: 'anywhere' },
  label: { display: 'block', color: theme.palette.text.secondary },
  footer: { marginTop: theme.spacing(1) },
}));

const refKey = (ref: string) => ref.toLocaleLowerCase('en-US');

/** A cell with its column name, so the meaning survives wrapping on a phone. */
const Cell = ({ label, children }: { label: string; children: ReactNode }) => {
  const classes = useStyles();
  const id = useId();
  return (
    <div className={classes.cell} role="group" aria-labelledby={id}>
      <Typography variant="caption" className={classes.label} id={id}>
        {label}
      </Typography>
      <Typography variant="body2" component="div">
        {children}
      </Typography>
    </div>
  );
};

const Detail = ({ children }: { children: ReactNode }) => (
  <Typography variant="caption" display="block" color="textSecondary">
    {children}
  </Typography>
);

/** Health as a status dot with a word, never colour alone. */
const HealthStatus = ({ status }: { status: EntityStatus }) => {
  if (!status.selector) {
    return (
      <>
        <StatusAborted>No Kubernetes annotations</StatusAborted>
        {status.reason ? <Detail>{status.reason}</Detail> : null}
      </>
    );
  }
  // The Kubernetes plugin's own chip: one wording of health everywhere.
  return <HealthChip health={status.health} />;
};

/**
 * One call per service: the kubernetes-status backend has no fleet route. A
 * failure here only says so in this cell; the row and its compliance stay.
 */
const HealthCell = ({
  entity,
  api,
}: {
  entity: Entity;
  api: KubernetesStatusApi | undefined;
}) => {
  const annotated = isKubernetesStatusAvailable(entity);
  const ref = stringifyEntityRef(entity);
  const { value, loading, error } = useAsync(async () => {
    if (!annotated || !api) return undefined;
    return api.getEntityStatus(getCompoundEntityRef(entity));
  }, [ref, annotated, api]);

  let content: ReactNode;
  if (!annotated) {
    content = <StatusAborted>No Kubernetes annotations</StatusAborted>;
  } else if (!api) {
    content = <StatusAborted>Kubernetes status not installed</StatusAborted>;
  } else if (error) {
    content = (
      <>
        <StatusWarning>Health unavailable</StatusWarning>
        <Detail>{error.message}</Detail>
      </>
    );
  } else if (loading || !value) {
    // No value without an error: the request for this entity has not run
    // yet (the render before useAsync's effect starts it).
    content = 'Checking…';
  } else {
    content = <HealthStatus status={value} />;
  }
  return <Cell label="Kubernetes">{content}</Cell>;
};

const COMPLIANCE_LABELS: Record<
  ComplianceItem['compliance']['status'],
  string
> = {
  passing: 'Passing',
  warnings: 'Warnings',
  failing: 'Failing',
  unknown: 'Unknown',
};

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

const ComplianceStatus = ({ item }: { item: ComplianceItem }) => {
  const { status, counts, reasonMessage } = item.compliance;
  const label = COMPLIANCE_LABELS[status];
  switch (status) {
    case 'passing':
      return <StatusOK>{label}</StatusOK>;
    case 'warnings':
      return (
        <StatusWarning>
          {label} ({plural(counts.warning, 'warning')})
        </StatusWarning>
      );
    case 'failing':
      return (
        <StatusError>
          {label} ({plural(counts.error, 'error')})
        </StatusError>
      );
    default:
      // An unknown state is never shown as passing, and says why.
      return (
        <>
          <StatusAborted>{label}</StatusAborted>
          {reasonMessage ? <Detail>{reasonMessage}</Detail> : null}
        </>
      );
  }
};

const ComplianceCell = ({
  entity,
  column,
}: {
  entity: Entity;
  column: ComplianceColumn;
}) => {
  let content: ReactNode;
  if (column.state === 'loading') {
    content = 'Checking…';
  } else if (column.state === 'unavailable') {
    content = (
      <>
        <StatusWarning>Compliance unavailable</StatusWarning>
        <Detail>{column.message}</Detail>
      </>
    );
  } else {
    const item = column.byRef.get(refKey(stringifyEntityRef(entity)));
    if (!column.engine.configured) {
      // In users' words, as the policy plugin's own views say it: the
      // engine's message is configuration advice for the portal's admins.
      content = (
        <>
          <StatusAborted>Unknown</StatusAborted>
          <Detail>Policy checks are not set up in this portal</Detail>
        </>
      );
    } else if (item) {
      content = <ComplianceStatus item={item} />;
    } else {
      content = (
        <>
          <StatusAborted>Unknown</StatusAborted>
          <Detail>Not evaluated yet</Detail>
        </>
      );
    }
  }
  return <Cell label="Compliance">{content}</Cell>;
};

const ServiceRow = ({
  entity,
  kubernetesApi,
  compliance,
}: {
  entity: Entity;
  kubernetesApi: KubernetesStatusApi | undefined;
  compliance: ComplianceColumn;
}) => {
  const classes = useStyles();
  const entityRoute = useRouteRef(entityRouteRef);
  const title = entity.metadata.title ?? entity.metadata.name;
  return (
    <li className={classes.row}>
      <div className={classes.name}>
        <Typography variant="body1" component="div">
          {entityRoute ? (
            <Link to={entityRoute(entityRouteParams(entity))}>{title}</Link>
          ) : (
            title
          )}
        </Typography>
        {entity.spec?.type ? <Detail>{String(entity.spec.type)}</Detail> : null}
      </div>
      <HealthCell entity={entity} api={kubernetesApi} />
      <ComplianceCell entity={entity} column={compliance} />
    </li>
  );
};

/**
 * The Components the signed-in user owns, directly or through their groups,
 * each with its Kubernetes health and its policy compliance. The list, the
 * health and the compliance load and fail independently.
 */
export const MyServicesContent = () => {
  const classes = useStyles();
  const identityApi = useApi(identityApiRef);
  const catalogApi = useApi(catalogApiRef);
  // Optional: with either Paved plugin disabled the list still shows.
  const apis = useApiHolder();
  const kubernetesApi = apis.get(kubernetesStatusApiRef);
  const policyApi = apis.get(policyApiRef);
  const catalogIndex = useRouteRef(catalogIndexRouteRef);

  const owned = useAsync(async () => {
    const { ownershipEntityRefs } = await identityApi.getBackstageIdentity();
    if (ownershipEntityRefs.length === 0) {
      return { refs: ownershipEntityRefs, items: [], more: false };
    }
    const { items } = await catalogApi.getEntities({
      filter: { kind: 'Component', 'relations.ownedBy': ownershipEntityRefs },
      fields: [
        'kind',
        'metadata.name',
        'metadata.namespace',
        'metadata.title',
        'metadata.annotations',
        'spec.type',
      ],
      order: { field: 'metadata.name', order: 'asc' },
      // One more than shown, to know whether to say the list is cut.
      limit: MAX_SERVICES + 1,
    });
    return {
      refs: ownershipEntityRefs,
      items: items.slice(0, MAX_SERVICES),
      more: items.length > MAX_SERVICES,
    };
  }, [identityApi, catalogApi]);

  // One fleet call for every row, filtered to the owners in the database,
  // instead of one findings call per service.
  const complianceList = useAsync(async () => {
    if (!policyApi || !owned.value?.items.length) return undefined;
    return policyApi.getCompliance({
      owner: owned.value.refs,
      kind: ['Component'],
      limit: 500,
    });
  }, [policyApi, owned.value]);

  const catalogOwned = catalogIndex
    ? `${catalogIndex()}?filters[kind]=component&filters[user]=owned`
    : undefined;

  if (owned.loading) return <Progress />;
  if (owned.error) {
    return (
      <WarningPanel
        severity="error"
        defaultExpanded
        title="Could not load your services"
        message={owned.error.message}
      />
    );
  }
  const { items = [], more = false, refs = [] } = owned.value ?? {};
  if (items.length === 0) {
    return (
      <Typography variant="body2">
        You own no components.{' '}
        {refs.length === 0
          ? 'Your sign-in has no user or group in the catalog.'
          : 'A component is yours when its owner is you or one of your groups.'}{' '}
        {catalogIndex ? (
          <Link to={catalogIndex()}>Browse the catalog</Link>
        ) : null}
      </Typography>
    );
  }

  let compliance: ComplianceColumn;
  if (!policyApi) {
    compliance = {
      state: 'unavailable',
      message: 'Policy plugin not installed',
    };
  } else if (complianceList.error) {
    compliance = {
      state: 'unavailable',
      message: complianceList.error.message,
    };
  } else if (complianceList.loading || !complianceList.value) {
    // No value without an error: the call for these owners has not started
    // yet (the render right after the list arrived).
    compliance = { state: 'loading' };
  } else {
    compliance = {
      state: 'ready',
      engine: complianceList.value.engine,
      byRef: new Map(
        complianceList.value.items.map(item => [refKey(item.entityRef), item]),
      ),
    };
  }

  return (
    <>
      <ul className={classes.list} aria-label="My services">
        {items.map(entity => (
          <ServiceRow
            key={stringifyEntityRef(entity)}
            entity={entity}
            kubernetesApi={kubernetesApi}
            compliance={compliance}
          />
        ))}
      </ul>
      {catalogOwned ? (
        <Typography variant="body2" className={classes.footer}>
          {more ? `Showing the first ${MAX_SERVICES}. ` : null}
          <Link to={catalogOwned}>All your components in the catalog</Link>
        </Typography>
      ) : null}
    </>
  );
};

/** Home widget: the user's services with their health and compliance. */
export const myServicesWidget = HomePageWidgetBlueprint.make({
  name: 'my-services',
  params: {
    name: WIDGET_NAMES.myServices,
    title: 'My services',
    componentProps: { title: widgetTitle('My services') },
    description:
      'Components you or your teams own, with Kubernetes health and policy compliance',
    components: async () => ({ Content: MyServicesContent }),
  },
});
