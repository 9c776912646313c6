import { Link } from '@backstage/core-components';
import { useRouteRef } from '@backstage/frontend-plugin-api';
import { HomePageWidgetBlueprint } from '@backstage/plugin-home-react/alpha';
import { Typography } from '@material-ui/core';
import { ReactNode } from 'react';
import {
  catalogIndexRouteRef,
  createRouteRef,
  registerComponentRouteRef,
  techdocsRouteRef,
} from './routes';
import { WIDGET_NAMES } from './widgetNames';
import { widgetTitle } from './widgetTitle';

const Item = ({
  label,
  to,
  linkText,
  children,
}: {
  label: string;
  to?: string;
  linkText: string;
  children: ReactNode;
}) => (
  <li>
    <Typography variant="body2">
      <strong>{label}</strong>: {children}{' '}
      {/* No link when the page is disabled: better than a link to a 404. */}
      {to ? <Link to={to}>{linkText}</Link> : null}
    </Typography>
  </li>
);

/**
 * Where to start in Paved, with links resolved from the route refs of the
 * pages they open.
 */
export const GettingStartedContent = () => {
  const catalog = useRouteRef(catalogIndexRouteRef)?.();
  const create = useRouteRef(createRouteRef)?.();
  const register = useRouteRef(registerComponentRouteRef)?.();
  const docs = useRouteRef(techdocsRouteRef)?.({
    namespace: 'default',
    kind: 'component',
    name: 'paved-portal',
  });
  return (
    <>
      <Typography variant="body1" paragraph>
        Paved is your platform&apos;s developer portal.
      </Typography>
      <ul>
        <Item label="Catalog" to={catalog} linkText="Open the catalog">
          every service, API, resource and team of the platform stack.
        </Item>
        <Item label="Create" to={create} linkText="Browse golden paths">
          golden-path templates that scaffold a new service already wired into
          the platform.
        </Item>
        <Item label="Register" to={register} linkText="Register a component">
          bring an existing repository into the catalog.
        </Item>
        <Item label="Docs" to={docs} linkText="Read the portal guide">
          each component&apos;s TechDocs are on its TechDocs tab; the
          portal&apos;s own guide is in the paved-portal docs.
        </Item>
      </ul>
    </>
  );
};

/** Home widget: where to start in Paved. */
export const gettingStartedWidget = HomePageWidgetBlueprint.make({
  name: 'getting-started',
  params: {
    name: WIDGET_NAMES.gettingStarted,
    title: 'Getting started',
    componentProps: { title: widgetTitle('Getting started') },
    description: 'Where to start in Paved',
    components: async () => ({ Content: GettingStartedContent }),
  },
});
