/**
 * Values of generated form fields as Camunda's form types convert them (FormFieldHandler, *FormType) and submitted
 * values checked by its built-in validators, on REST wire values ({type, value}; a Date as Camunda's date text).
 */
import { formatCamundaDate, parseCamundaDate } from '../core/camunda-date.js';
import { isExpressionText, type FormFieldDeclaration } from './form-data.js';
import { formatFormDate, parseFormDate } from './form-date-pattern.js';

/** A typed value; `Untyped` is a default value's text before its field's type converts it. */
export interface FormValue {
  type: string;
  value: unknown;
}

/** A failure with the Java exception Camunda throws: the REST layer words and codes it per endpoint. */
export class FormValueError extends Error {
  constructor(message: string, readonly javaType: 'ProcessEngineException' | 'NumberFormatException' | 'FormFieldValidationException') {
    super(message);
  }
}

const JAVA_CLASSES: Record<string, string> = {
  String: 'java.lang.String', Boolean: 'java.lang.Boolean', Short: 'java.lang.Short', Integer: 'java.lang.Integer',
  Long: 'java.lang.Long', Double: 'java.lang.Double', Date: 'java.util.Date',
};
const NUMERIC_TYPES = new Set(['Short', 'Integer', 'Long', 'Double']);
const LONG_RANGE = [-(2n ** 63n), 2n ** 63n - 1n] as const;

/** Java's toString of a REST value: numbers, booleans and text read the same in JavaScript. */
function javaText(value: unknown): string {
  return String(value);
}

function isString(value: FormValue): boolean {
  return value.type === 'String' || (value.type === 'Untyped' && typeof value.value === 'string');
}

function isNumber(value: FormValue): boolean {
  return NUMERIC_TYPES.has(value.type) || (value.type === 'Untyped' && (typeof value.value === 'number' || typeof value.value === 'bigint'));
}

/** Long.valueOf(text), with Java's NumberFormatException text. */
function javaLong(text: string): number | bigint {
  if (!/^[+-]?\d+$/.test(text)) throw new FormValueError(`For input string: "${text}"`, 'NumberFormatException');
  const big = BigInt(text);
  if (big < LONG_RANGE[0] || big > LONG_RANGE[1]) throw new FormValueError(`For input string: "${text}"`, 'NumberFormatException');
  return Number.isSafeInteger(Number(big)) ? Number(big) : big;
}

function dateOf(field: FormFieldDeclaration, value: FormValue): FormValue {
  if (value.value === null || value.value === undefined) return { type: 'Date', value: null };
  if (value.type === 'Date') return value;
  if (isString(value)) {
    const text = String(value.value).trim();
    if (text === '') return { type: 'Date', value: null };
    const date = parseFormDate(text, field.datePattern);
    if (!date) throw new FormValueError(`Could not parse value '${String(value.value)}' as date using date format '${field.datePattern}'.`, 'ProcessEngineException');
    return { type: 'Date', value: formatCamundaDate(date) };
  }
  throw new FormValueError(`Value '${javaText(value.value)}' cannot be transformed into a Date.`, 'ProcessEngineException');
}

/** The model value Camunda stores for a field: convertToModelValue of its form type. */
export function toModelValue(field: FormFieldDeclaration, value: FormValue): FormValue {
  const raw = value.value ?? null;
  switch (field.type) {
    case 'string':
      if (value.type === 'String') return value;
      return { type: 'String', value: raw === null ? null : javaText(raw) };
    case 'long':
      if (value.type === 'Long') return value;
      if (raw === null) return { type: 'Long', value: null };
      if (isNumber(value) || isString(value)) return { type: 'Long', value: javaLong(javaText(raw)) };
      throw new FormValueError(`Value '${javaText(raw)}' is not of type Long.`, 'ProcessEngineException');
    case 'boolean':
      if (value.type === 'Boolean') return value;
      if (raw === null) return { type: 'Boolean', value: null };
      if (typeof raw === 'boolean' || isString(value)) return { type: 'Boolean', value: String(raw).toLowerCase() === 'true' };
      throw new FormValueError(`Value '${javaText(raw)}' is not of type Boolean.`, 'ProcessEngineException');
    case 'enum':
      if (raw !== null && !isString(value)) throw new FormValueError(`Value '${javaText(raw)}' is not of type String.`, 'ProcessEngineException');
      if (raw !== null && !field.values.some(([id]) => id === raw)) throw new FormValueError(`Invalid value for enum form property: ${String(raw)}`, 'ProcessEngineException');
      return { type: 'String', value: raw };
    case 'date':
      return dateOf(field, value);
  }
}

/** The value a form shows for a field: convertToFormValue of its form type (a date as text in the field's pattern). */
export function toFormValue(field: FormFieldDeclaration, value: FormValue): FormValue {
  if (field.type !== 'date') return toModelValue(field, value);
  if (value.value === null || value.value === undefined) return { type: 'String', value: '' };
  if (value.type === 'Date') return { type: 'String', value: formatFormDate(parseCamundaDate(String(value.value)), field.datePattern) };
  throw new FormValueError(`Expected value to be of type 'date' but got '${value.type.toLowerCase()}'.`, 'ProcessEngineException');
}

/** A field's default, converted to its type: what a form shows and what is stored when nothing is submitted. */
export function defaultModelValue(field: FormFieldDeclaration): FormValue {
  return toModelValue(field, { type: 'Untyped', value: field.defaultValue });
}

/** The value a field shows: the variable's when there is one, else its default. Throws Camunda's "failed to convert". */
export function fieldFormValue(field: FormFieldDeclaration, variable: FormValue | undefined): FormValue {
  if (variable === undefined) return toFormValue(field, defaultModelValue(field));
  try {
    return toFormValue(field, variable);
  } catch {
    throw new FormValueError(`failed to convert '${field.id}'`, 'FormFieldValidationException');
  }
}

function invalid(field: FormFieldDeclaration, constraint: { name: string; config: string | null }): FormValueError {
  const shown = constraint.config === null ? constraint.name : `${constraint.name}(${constraint.config})`;
  return new FormValueError(`Invalid value submitted for form field '${field.id}': validation of ${shown} failed.`, 'FormFieldValidationException');
}

const VALIDATOR_CLASSES: Record<string, string> = { minlength: 'MinLengthValidator', maxlength: 'MaxLengthValidator', min: 'MinValidator', max: 'MaxValidator' };

function holds(field: FormFieldDeclaration, constraint: { name: string; config: string | null }, submitted: FormValue | undefined, existing: FormValue | undefined, evaluate: (text: string) => unknown): boolean {
  const raw = submitted?.value ?? null;
  const config = constraint.config ?? '';
  switch (constraint.name) {
    case 'required':
      if (raw === null) return (existing !== undefined && existing.value !== null) || field.defaultValue !== null;
      return !(typeof raw === 'string' && raw === '');
    case 'readonly':
      return raw === null;
    case 'minlength':
    case 'maxlength': {
      if (raw === null) return true;
      if (typeof raw !== 'string') {
        throw new FormValueError(`String validator ${VALIDATOR_CLASSES[constraint.name]} cannot be used on non-string value of type class ${JAVA_CLASSES[submitted!.type] ?? 'java.lang.Object'}`, 'ProcessEngineException');
      }
      // A configuration that is not an integer fails the validation, as Camunda's FormFieldConfigurationException does.
      if (!/^[+-]?\d+$/.test(config.trim())) return false;
      return constraint.name === 'minlength' ? raw.length >= Number(config) : raw.length <= Number(config);
    }
    case 'min':
    case 'max': {
      if (raw === null) return true;
      if (!submitted || !isNumber(submitted)) return false;
      const limit = Number(config);
      if (config.trim() === '' || Number.isNaN(limit)) return false;
      return constraint.name === 'min' ? Number(raw) >= limit : Number(raw) <= limit;
    }
    default:
      // Custom validators are Java classes or beans; an expression is evaluated (and fails as Camunda's would), a class cannot load.
      if (isExpressionText(config)) {
        evaluate(config);
        throw new FormValueError(`Validator expression '${config}' does not resolve to instance of org.camunda.bpm.engine.impl.form.validator.FormFieldValidator`, 'ProcessEngineException');
      }
      throw new FormValueError(`ENGINE-09008 Exception while instantiating class '${config}': ENGINE-09017 Cannot load class '${config}': ${config}`, 'ProcessEngineException');
  }
}

/**
 * The variables a submitted form stores, as Camunda's DefaultFormHandler: each field in order is validated (on the
 * value as submitted) and converted to its type, or takes its default when not submitted; other submitted variables
 * pass unchanged. `existing` reads the variables the form's scope already sees (the required validator accepts one);
 * `evaluate` runs a custom validator's expression.
 */
export function submittedFormVariables(fields: readonly FormFieldDeclaration[], submitted: ReadonlyMap<string, FormValue>, existing: (name: string) => FormValue | undefined, evaluate: (text: string) => unknown): Map<string, FormValue> {
  const result = new Map(submitted);
  for (const field of fields) {
    if (field.businessKey) continue;
    const value = submitted.get(field.id);
    result.delete(field.id);
    for (const constraint of field.constraints) {
      if (!holds(field, constraint, value, existing(field.id), evaluate)) throw invalid(field, constraint);
    }
    if (value !== undefined) result.set(field.id, toModelValue(field, value));
    else if (field.defaultValue !== null) result.set(field.id, defaultModelValue(field));
  }
  return result;
}
