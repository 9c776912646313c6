import { makeStyles } from '@material-ui/core';

const useStyles = makeStyles({
  svg: { width: 'auto', height: 28 },
  mark: { fill: '#7df3e1' },
});

/** The Paved mark shown in the collapsed sidebar. */
export const LogoIcon = () => {
  const classes = useStyles();
  return (
    <svg
      className={classes.svg}
      xmlns="http://www.w3.org/2000/svg"
      viewBox="0 0 40 40"
      aria-label="Paved"
    >
      <path
        className={classes.mark}
        d="M4 34 L20 6 L36 34 Z M14 34 L20 24 L26 34 Z"
        fillRule="evenodd"
      />
    </svg>
  );
};
