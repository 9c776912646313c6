import { Header, Page, TabbedLayout } from '@backstage/core-components';
import { FleetTab } from './FleetTab';
import { PolicyLibrary } from './PolicyLibrary';

/** Fleet compliance (engine health, trend, filterable table) and the Policy library. @public */
export const CompliancePage = () => (
  <Page themeId="tool">
    <Header
      title="Compliance"
      subtitle="Policy findings of the catalog, decided by the policy engine (OPA)"
    />
    <TabbedLayout>
      <TabbedLayout.Route path="/" title="Fleet">
        <FleetTab />
      </TabbedLayout.Route>
      <TabbedLayout.Route path="/library" title="Policy library">
        <PolicyLibrary />
      </TabbedLayout.Route>
    </TabbedLayout>
  </Page>
);
