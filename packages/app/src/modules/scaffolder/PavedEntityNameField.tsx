import TextField from '@material-ui/core/TextField';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';

/**
 * The name of the entity a golden path creates: a text field, red while the
 * form has errors for it (the template's own `errorMessage`, a name already
 * taken), which the form lists under it.
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
      // The form's field template lists the errors under the field; showing
      // them here too printed each twice.
      helperText={description}
      required={required}
      value={formData ?? ''}
      onChange={event => onChange(event.target.value)}
      margin="normal"
      error={errors.length > 0}
      inputProps={{ autoComplete: 'off', spellCheck: false }}
    />
  );
}
