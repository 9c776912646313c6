import Typography, { TypographyProps } from '@material-ui/core/Typography';
import { messageStyle } from './tableStyles';

/**
 * A message shown whole: it wraps (long tokens break) and its full text is
 * also the element's title, so a copy of it is one hover away even where a
 * surrounding layout is narrow.
 */
export const FullText = ({
  text,
  variant = 'inherit',
  testId,
}: {
  text: string;
  variant?: TypographyProps['variant'];
  testId?: string;
}) => (
  <Typography
    component="span"
    variant={variant}
    style={messageStyle}
    title={text}
    data-testid={testId}
  >
    {text}
  </Typography>
);
