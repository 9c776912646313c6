import Box from '@material-ui/core/Box';
import Checkbox from '@material-ui/core/Checkbox';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import ListItemText from '@material-ui/core/ListItemText';
import MenuItem from '@material-ui/core/MenuItem';
import Switch from '@material-ui/core/Switch';
import TextField from '@material-ui/core/TextField';
import Autocomplete from '@material-ui/lab/Autocomplete';
import {
  POLICY_SOURCES,
  PolicySource,
  VIOLATION_LEVELS,
  ViolationLevel,
} from '@paved/plugin-policy-common';

/** Filters of the fleet table, as the user set them. */
export interface FleetFilterValues {
  owner: string[];
  system: string[];
  kind: string[];
  level: ViolationLevel[];
  source: PolicySource[];
  /** Only entities owned by the signed-in user or their groups. */
  myTeams: boolean;
}

export const EMPTY_FILTERS: FleetFilterValues = {
  owner: [],
  system: [],
  kind: [],
  level: [],
  source: [],
  myTeams: false,
};

const KINDS = [
  'Component',
  'API',
  'Resource',
  'System',
  'Domain',
  'Group',
  'User',
  'Template',
  'Location',
];

const MultiSelect = <T extends string>(props: {
  label: string;
  options: readonly T[];
  value: T[];
  onChange(value: T[]): void;
}) => (
  <TextField
    select
    id={`policy-fleet-${props.label.toLocaleLowerCase('en-US')}`}
    label={props.label}
    variant="outlined"
    size="small"
    style={{ minWidth: 160 }}
    value={props.value}
    SelectProps={{
      multiple: true,
      renderValue: selected => (selected as string[]).join(', '),
    }}
    onChange={e => props.onChange(e.target.value as unknown as T[])}
  >
    {props.options.map(option => (
      <MenuItem key={option} value={option}>
        <Checkbox size="small" checked={props.value.includes(option)} />
        <ListItemText primary={option} />
      </MenuItem>
    ))}
  </TextField>
);

/** Entity refs typed by the user; Enter adds one. */
const RefsInput = (props: {
  label: string;
  value: string[];
  disabled?: boolean;
  onChange(value: string[]): void;
}) => (
  <Autocomplete
    multiple
    freeSolo
    options={[] as string[]}
    value={props.value}
    disabled={props.disabled}
    onChange={(_e, value) => props.onChange(value as string[])}
    style={{ minWidth: 240 }}
    renderInput={params => (
      <TextField
        {...params}
        variant="outlined"
        size="small"
        label={props.label}
        placeholder="ref, then Enter"
      />
    )}
  />
);

/** Owner, system, kind, level and source filters, and the 'my teams' toggle. */
export const FleetFilters = ({
  value,
  onChange,
  myTeamsAvailable,
}: {
  value: FleetFilterValues;
  onChange(value: FleetFilterValues): void;
  /** False while the user's ownership refs are unknown. */
  myTeamsAvailable: boolean;
}) => {
  const set =
    <K extends keyof FleetFilterValues>(key: K) =>
    (v: FleetFilterValues[K]) =>
      onChange({ ...value, [key]: v });
  return (
    <Box display="flex" flexWrap="wrap" gridGap={16} alignItems="center" mb={2}>
      <FormControlLabel
        control={
          <Switch
            checked={value.myTeams}
            disabled={!myTeamsAvailable}
            onChange={e => set('myTeams')(e.target.checked)}
            inputProps={{ 'aria-label': 'My teams' }}
          />
        }
        label="My teams"
      />
      <RefsInput
        label="Owner"
        value={value.owner}
        disabled={value.myTeams}
        onChange={set('owner')}
      />
      <RefsInput label="System" value={value.system} onChange={set('system')} />
      <MultiSelect
        label="Kind"
        options={KINDS}
        value={value.kind}
        onChange={set('kind')}
      />
      <MultiSelect
        label="Level"
        options={VIOLATION_LEVELS}
        value={value.level}
        onChange={set('level')}
      />
      <MultiSelect
        label="Source"
        options={POLICY_SOURCES}
        value={value.source}
        onChange={set('source')}
      />
    </Box>
  );
};
