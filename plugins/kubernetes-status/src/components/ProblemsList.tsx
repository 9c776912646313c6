import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import { StatusError, StatusWarning } from '@backstage/core-components';
import { Problem } from '@paved/plugin-kubernetes-status-common';
import { FullText } from './FullText';
import { messageStyle } from './tableStyles';

/** Problems first, with their plain-language hints. */
export const ProblemsList = ({ problems }: { problems: Problem[] }) =>
  problems.length === 0 ? null : (
    <List dense aria-label="problems">
      {problems.map(p => (
        <ListItem key={p.id} data-testid="problem">
          <ListItemText
            // Object names and hints wrap too: one unbroken token would
            // widen the card past its clipping edge.
            primaryTypographyProps={{ style: messageStyle }}
            secondaryTypographyProps={{ style: messageStyle }}
            primary={
              // The status icon only: Status* components are aria-hidden,
              // and the message must stay readable by screen readers.
              <span style={{ display: 'flex', alignItems: 'baseline' }}>
                {p.severity === 'error' ? <StatusError /> : <StatusWarning />}
                <FullText text={p.message} testId="problem-message" />
              </span>
            }
            secondary={
              <FullText
                text={`${p.object.kind} ${p.object.namespace ?? ''}/${
                  p.object.name
                }: ${p.hint}`}
              />
            }
          />
        </ListItem>
      ))}
    </List>
  );
