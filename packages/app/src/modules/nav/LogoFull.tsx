import { makeStyles } from '@material-ui/core';

const useStyles = makeStyles({
  svg: { width: 'auto', height: 30 },
  mark: { fill: '#7df3e1' },
  text: {
    fill: '#ffffff',
    fontFamily: 'Helvetica, Arial, sans-serif',
    fontWeight: 700,
  },
});

/** The Paved word mark shown in the open sidebar. */
export const LogoFull = () => {
  const classes = useStyles();
  return (
    <svg
      className={classes.svg}
      xmlns="http://www.w3.org/2000/svg"
      viewBox="0 0 170 40"
      aria-label="Paved"
    >
      <path
        className={classes.mark}
        d="M4 30 L20 6 L36 30 Z M14 30 L20 21 L26 30 Z"
        fillRule="evenodd"
      />
      <text className={classes.text} x="46" y="30" fontSize="28">
        Paved
      </text>
    </svg>
  );
};
