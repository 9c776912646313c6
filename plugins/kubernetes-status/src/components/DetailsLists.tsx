import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import {
  GitOpsStatus,
  ResourceSummary,
  WarningEvent,
} from '@paved/plugin-kubernetes-status-common';
import { ago } from './time';
import { FullText } from './FullText';
import { messageStyle } from './tableStyles';

// Revisions (main@sha1:<40 hex>) and messages are long unbroken tokens: lines
// of these lists break anywhere, or they widen the whole card past its edge,
// where the card clips them and every message beside them.
const wrapping = { style: messageStyle };

export const EventsList = ({ events }: { events: WarningEvent[] }) => (
  <>
    <Typography variant="h6">Recent warning events</Typography>
    {events.length === 0 ? (
      <Typography variant="body2">
        No warning events for this entity's objects.
      </Typography>
    ) : (
      <List dense aria-label="warning events">
        {events.map(e => (
          <ListItem
            key={`${e.involvedObject.kind}/${e.involvedObject.name}/${e.reason}`}
          >
            <ListItemText
              primaryTypographyProps={wrapping}
              secondaryTypographyProps={wrapping}
              primary={
                <FullText text={`${e.reason} (x${e.count}): ${e.message}`} />
              }
              secondary={`${e.involvedObject.kind} ${
                e.involvedObject.name
              }, last seen ${ago(e.lastSeen)}`}
            />
          </ListItem>
        ))}
      </List>
    )}
  </>
);

export const GitOpsList = ({ items }: { items: GitOpsStatus[] }) =>
  items.length === 0 ? null : (
    <>
      <Typography variant="h6">Deployed by</Typography>
      <List dense aria-label="gitops">
        {items.map(g => (
          <ListItem key={`${g.kind}/${g.namespace}/${g.name}`}>
            <ListItemText
              primaryTypographyProps={wrapping}
              secondaryTypographyProps={wrapping}
              primary={`${g.tool === 'argocd' ? 'Argo CD' : 'Flux'} ${g.kind} ${
                g.name
              }: ${g.sync}, ${g.health}`}
              secondary={
                <>
                  {`target ${g.targetRevision ?? '?'}, live ${
                    g.liveRevision ?? '?'
                  }, last sync ${ago(g.lastSyncAt)}`}
                  {g.message && (
                    <>
                      : <FullText text={g.message} testId="gitops-message" />
                    </>
                  )}
                </>
              }
            />
          </ListItem>
        ))}
      </List>
    </>
  );

export const ResourcesList = ({ items }: { items: ResourceSummary[] }) =>
  items.length === 0 ? null : (
    <>
      <Typography variant="h6">
        Services, ingresses, autoscalers and jobs
      </Typography>
      <List dense aria-label="resources">
        {items.map(r => (
          <ListItem key={`${r.kind}/${r.namespace}/${r.name}`}>
            <ListItemText
              primaryTypographyProps={wrapping}
              secondaryTypographyProps={wrapping}
              primary={`${r.kind} ${r.name}`}
              secondary={<FullText text={r.summary} />}
            />
          </ListItem>
        ))}
      </List>
    </>
  );
