import { ReactElement } from 'react';
import { Content, Header, Page } from '@backstage/core-components';
import { configApiRef, useApi } from '@backstage/frontend-plugin-api';
import {
  HomePageLayoutBlueprint,
  HomePageLayoutProps,
  HomePageWidgetData,
} from '@backstage/plugin-home-react/alpha';
import { Grid } from '@material-ui/core';
import { WIDGET_NAMES } from './widgetNames';

const byName = (widgets: HomePageWidgetData[], name: string) =>
  widgets.find(w => w.name === name)?.component;

const Slot = ({ children }: { children?: ReactElement }) =>
  children ? (
    <Grid item xs={12}>
      {children}
    </Grid>
  ) : null;

/**
 * Paved's home page: a fixed, responsive grid of the Paved widgets.
 *
 * The upstream default layout is a user-customisable grid that starts empty
 * unless `page:home` is given a `defaultConfig` in pixels-per-row units, which
 * is why `/home` said "No widgets added". A fixed layout shows every installed
 * widget immediately and reflows by breakpoint instead of by drag and drop:
 * search across the top; below `lg` (1280 px, so at 1024 and 390 px) one
 * column; from `lg` (1440 px) My services and Recent runs on the left,
 * Getting started on the right. Widgets from other plugins that are enabled
 * in app-config come after, two per row from `md`.
 */
export const PavedHomePageLayout = ({ widgets }: HomePageLayoutProps) => {
  const config = useApi(configApiRef);
  const orgName = config.getOptionalString('organization.name') ?? 'Paved';
  const known = new Set<string>(Object.values(WIDGET_NAMES));
  const others = widgets.filter(w => !w.name || !known.has(w.name));

  return (
    <Page themeId="home">
      <Header
        title={`Welcome to ${orgName}`}
        subtitle="Your services, your golden-path runs, and where to start"
      />
      <Content>
        <Grid container spacing={3}>
          <Slot>{byName(widgets, WIDGET_NAMES.search)}</Slot>
          <Grid item xs={12} lg={8}>
            <Grid container spacing={3}>
              <Slot>{byName(widgets, WIDGET_NAMES.myServices)}</Slot>
              <Slot>{byName(widgets, WIDGET_NAMES.recentRuns)}</Slot>
            </Grid>
          </Grid>
          <Grid item xs={12} lg={4}>
            <Grid container spacing={3}>
              <Slot>{byName(widgets, WIDGET_NAMES.gettingStarted)}</Slot>
            </Grid>
          </Grid>
          {others.map((widget, index) => (
            <Grid item xs={12} md={6} key={widget.name ?? index}>
              {widget.component}
            </Grid>
          ))}
        </Grid>
      </Content>
    </Page>
  );
};

/**
 * Replaces the home plugin's default (empty, customisable) layout with
 * {@link PavedHomePageLayout}. The `layout` input of `page:home` is internal,
 * so this must live in a module for the `home` plugin (see homeModule).
 */
export const homePageLayout = HomePageLayoutBlueprint.make({
  params: {
    loader: async () => PavedHomePageLayout,
  },
});
