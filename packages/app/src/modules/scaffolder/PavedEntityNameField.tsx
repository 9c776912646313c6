import TextField from '@material-ui/core/TextField';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';

/**
 * The name of the entity a golden path creates: a text field whose errors
 * (the template's own `errorMessage`, a name already taken) show under it.
 */
export function PavedEntityNameField(
  props: FieldExtensionComponentProps<string>,
) {
  const {
    onChange,
    required,
    rawErrors,
    formData,
    schema: { title = 'Name', description },
    idSchema,
    uiSchema,
  } = props;
  const errors = rawErrors ?? [];
  return (
    <TextField
      id={idSchema?.$id}
      label={title}
      placeholder={uiSchema?.['ui:placeholder']}
      helperText={errors.length ? errors.join(' ') : description}
      required={required}
      value={formData ?? ''}
      onChange={event => onChange(event.target.value)}
      margin="normal"
      error={errors.length > 0}
      inputProps={{ autoComplete: 'off', spellCheck: false }}
    />
  );
}
