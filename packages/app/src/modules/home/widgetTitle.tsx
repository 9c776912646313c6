import { Typography } from '@material-ui/core';

/**
 * A widget's card title as a level-2 heading (under the page's h1).
 *
 * The home card passes a string title to MUI's CardHeader, which renders it
 * in a `<span>`: screen-reader users could not jump between widgets, and
 * tests could not find them by role. CardHeader leaves a title that already
 * is a Typography element as it is, so the widgets pass this one through
 * `componentProps.title`; the string `title` param stays for widget lists.
 */
export const widgetTitle = (text: string) => (
  <Typography variant="h5" component="h2" style={{ fontWeight: 700 }}>
    {text}
  </Typography>
);
