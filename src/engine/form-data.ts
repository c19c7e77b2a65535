/** Camunda's generated forms (`camunda:formData`): the fields an element declares, and the problems Camunda's parser refuses. */

/** Camunda's built-in form field types; any other name is refused at deployment, as Camunda's FormTypes does. */
export type FormFieldTypeName = 'string' | 'long' | 'boolean' | 'date' | 'enum';

export interface FormFieldDeclaration {
  id: string;
  label: string | null;
  type: FormFieldTypeName;
  /** Camunda's default pattern `dd/MM/yyyy` unless the field names its own `datePattern`. */
  datePattern: string;
  /** Enum entries in declaration order: id, then display name. */
  values: Array<[string, string | null]>;
  /** The `defaultValue` text as modelled; an expression's value once resolveFormExpressions evaluated it. */
  defaultValue: unknown;
  properties: Record<string, string | null>;
  constraints: Array<{ name: string; config: string | null }>;
  /** The field `camunda:formData businessKey` names: the start form's business key, never a variable. */
  businessKey: boolean;
}

interface Moddle {
  $type?: string;
  [key: string]: unknown;
}

const TYPES = new Set<string>(['string', 'long', 'boolean', 'date', 'enum']);
export const BUILT_IN_VALIDATORS = new Set(['required', 'readonly', 'minlength', 'maxlength', 'min', 'max']);
const DEFAULT_DATE_PATTERN = 'dd/MM/yyyy';

function text(value: unknown): string | null {
  return value === undefined || value === null ? null : String(value);
}

function formDataElement(element: Moddle): Moddle | undefined {
  const values = (element.extensionElements as { values?: Moddle[] } | undefined)?.values ?? [];
  return values.find((value) => value.$type === 'camunda:FormData');
}

function fieldsOf(formData: Moddle): Moddle[] {
  return (formData.fields as Moddle[] | undefined) ?? [];
}

/** The fields of an element's `camunda:formData` (a moddle element or its serialized behaviour), or null without one. */
export function formFieldsOf(element: Moddle): FormFieldDeclaration[] | null {
  const formData = formDataElement(element);
  if (!formData) return null;
  const businessKeyField = text(formData.businessKey);
  return fieldsOf(formData).map((field) => {
    const properties = ((field.properties as Moddle | undefined)?.values as Moddle[] | undefined) ?? [];
    const constraints = ((field.validation as Moddle | undefined)?.constraints as Moddle[] | undefined) ?? [];
    return {
      id: String(field.id),
      label: text(field.label),
      type: String(field.type) as FormFieldTypeName,
      datePattern: text(field.datePattern) ?? DEFAULT_DATE_PATTERN,
      values: ((field.values as Moddle[] | undefined) ?? []).map((value) => [String(value.id), text(value.name)] as [string, string | null]),
      defaultValue: text(field.defaultValue),
      properties: Object.fromEntries(properties.map((property) => [String(property.id), text(property.value)])),
      constraints: constraints.map((constraint) => ({ name: String(constraint.name), config: text(constraint.config) })),
      businessKey: businessKeyField !== null && businessKeyField === field.id,
    };
  });
}

/** What Camunda's parser says of a form field it refuses (DefaultFormHandler, FormTypes, FormValidators). */
export function formDataProblems(element: Moddle): string[] {
  const formData = formDataElement(element);
  if (!formData) return [];
  const problems: string[] = [];
  for (const field of fieldsOf(formData)) {
    if (field.id === undefined || field.id === '') problems.push('attribute id must be set for FormFieldGroup and must have a non-empty value');
    if (field.type === undefined) problems.push("form field must have a 'type' attribute");
    else if (!TYPES.has(String(field.type))) problems.push(`unknown type '${String(field.type)}'`);
    for (const constraint of ((field.validation as Moddle | undefined)?.constraints as Moddle[] | undefined) ?? []) {
      const name = String(constraint.name);
      if (name === 'validator' && (constraint.config === undefined || constraint.config === '')) {
        problems.push('validator configuration needs to provide either a fully qualified classname or an expression resolving to a custom FormFieldValidator implementation.');
      } else if (name !== 'validator' && !BUILT_IN_VALIDATORS.has(name)) {
        problems.push(`Cannot find validator implementation for name '${name}'.`);
      }
    }
  }
  return problems;
}

function isExpressionText(text: unknown): text is string {
  return typeof text === 'string' && /[$#]\{/.test(text);
}

/**
 * Labels and default values are JUEL expressions in Camunda (`Delivery for ${customer}`), evaluated against the
 * form's scope each time the form is shown or submitted; `evaluate` throws as an expression does.
 */
export function resolveFormExpressions(fields: readonly FormFieldDeclaration[], evaluate: (text: string) => unknown): FormFieldDeclaration[] {
  return fields.map((field) => {
    const label = isExpressionText(field.label) ? evaluate(field.label) : field.label;
    return {
      ...field,
      label: label === null || label === undefined ? null : String(label),
      defaultValue: isExpressionText(field.defaultValue) ? evaluate(field.defaultValue) ?? null : field.defaultValue,
    };
  });
}

export { isExpressionText };
