/** The HTML Camunda's HtmlFormEngine generates for `camunda:formData` (Tasklist's generated forms), written as it writes it. */
import type { FormFieldDeclaration } from './form-data.js';
import { defaultModelValue } from './form-fields.js';

type Attributes = Array<[string, string | null]>;

interface Element {
  tag: string;
  selfClosing: boolean;
  attributes: Attributes;
  text?: string;
}

/** HtmlDocumentBuilder: two spaces per open ancestor; text on its own line, indented two more. */
class HtmlDocument {
  private readonly open: Element[] = [];
  private html = '';

  start(tag: string, attributes: Attributes, options: { selfClosing?: boolean; text?: string } = {}): this {
    const attributeText = attributes.map(([name, value]) => (value === null ? ` ${name}` : ` ${name}="${value.replaceAll('"', '&quot;')}"`)).join('');
    this.html += `${this.indent()}<${tag}${attributeText}${options.selfClosing ? ' /' : ''}>\n`;
    this.open.push({ tag, selfClosing: options.selfClosing ?? false, attributes, text: options.text });
    return this;
  }

  end(): this {
    const element = this.open.pop()!;
    if (element.text !== undefined) this.html += `${this.indent()}  ${element.text}\n`;
    if (!element.selfClosing) this.html += `${this.indent()}</${element.tag}>\n`;
    return this;
  }

  leaf(tag: string, attributes: Attributes, options: { selfClosing?: boolean; text?: string } = {}): this {
    return this.start(tag, attributes, options).end();
  }

  toString(): string {
    return this.html;
  }

  private indent(): string {
    return '  '.repeat(this.open.length);
  }
}

function variableType(field: FormFieldDeclaration): string {
  const name = field.type === 'enum' || field.type === 'date' ? 'string' : field.type;
  return name.charAt(0).toUpperCase() + name.slice(1);
}

function commonAttributes(field: FormFieldDeclaration): Attributes {
  const attributes: Attributes = [['class', 'form-control'], ['name', field.id]];
  if (field.businessKey) attributes.push(['cam-business-key', null]);
  else attributes.push(['cam-variable-type', variableType(field)], ['cam-variable-name', field.id]);
  // Custom validators are not shown to the browser; readonly becomes HTML's disabled.
  for (const constraint of field.constraints.filter((c) => c.name !== 'validator')) {
    const name = constraint.name === 'readonly' ? 'disabled' : constraint.name;
    const at = attributes.findIndex(([existing]) => existing === name);
    if (at >= 0) attributes[at] = [name, constraint.config];
    else attributes.push([name, constraint.config]);
  }
  return attributes;
}

function renderInput(field: FormFieldDeclaration, html: HtmlDocument): void {
  const attributes = commonAttributes(field);
  attributes.push(['type', field.type === 'boolean' ? 'checkbox' : 'text']);
  const defaultValue = field.defaultValue === null ? null : defaultModelValue(field).value;
  if (defaultValue !== null && defaultValue !== undefined) attributes.push(['value', String(defaultValue)]);
  html.leaf('input', attributes, { selfClosing: true });
}

function renderSelect(field: FormFieldDeclaration, html: HtmlDocument): void {
  html.start('select', commonAttributes(field));
  for (const [id, name] of field.values) html.leaf('option', [['value', id]], { text: name ?? 'null' });
  html.end();
}

function renderDatePicker(field: FormFieldDeclaration, html: HtmlDocument): void {
  const readOnly = field.constraints.some((constraint) => constraint.name === 'readonly');
  html.start('div', [['class', 'input-group']]);
  const input: Attributes = [...commonAttributes(field), ['type', 'text']];
  if (!readOnly) input.push(['uib-datepicker-popup', field.datePattern], ['is-open', `dateFieldOpened${field.id}`]);
  html.leaf('input', input, { selfClosing: true });
  if (!readOnly) {
    html.start('div', [['class', 'input-group-btn']]);
    html.start('button', [['type', 'button'], ['class', 'btn btn-default'], ['ng-click', `open${field.id}($event)`]]);
    html.leaf('i', [['class', 'glyphicon glyphicon-calendar']]);
    html.end().end();
    const script = `$scope.open${field.id} = function ($event) { $event.preventDefault(); $event.stopPropagation(); $scope.dateFieldOpened${field.id} = true; };`;
    html.leaf('script', [['cam-script', null], ['type', 'text/form-script']], { text: script });
  }
  html.end();
}

function renderInvalidMessages(field: FormFieldDeclaration, html: HtmlDocument): void {
  const selector = `this.generatedForm.${field.id}`;
  html.start('div', [['ng-if', `${selector}.$invalid && ${selector}.$dirty`], ['class', 'has-error']]);
  if (field.type === 'date') {
    html.leaf('div', [['ng-show', `${selector}.$error.required && !${selector}.$error.date`], ['class', 'help-block']], { text: 'Required field' });
    html.leaf('div', [['ng-show', `${selector}.$error.date`], ['class', 'help-block']], { text: `Invalid date format: the date should have the pattern '${field.datePattern}'` });
  } else {
    html.leaf('div', [['ng-show', `${selector}.$error.required`], ['class', 'help-block']], { text: 'Required field' });
    const typeName = field.type === 'enum' ? 'string' : field.type;
    html.leaf('div', [['ng-show', `${selector}.$error.camVariableType`], ['class', 'help-block']], { text: `Only a ${typeName} value is allowed` });
  }
  html.end();
}

/** The generated form, or null for no fields (Camunda then has nothing to render). Labels and options are written unescaped, as Camunda does. */
export function renderGeneratedForm(fields: readonly FormFieldDeclaration[] | null): string | null {
  if (!fields || fields.length === 0) return null;
  const html = new HtmlDocument().start('form', [['name', 'generatedForm'], ['role', 'form']]);
  for (const field of fields) {
    html.start('div', [['class', 'form-group']]);
    if (field.label !== null && field.label !== '') html.leaf('label', [['for', field.id]], { text: field.label });
    if (field.type === 'enum') renderSelect(field, html);
    else if (field.type === 'date') renderDatePicker(field, html);
    else renderInput(field, html);
    renderInvalidMessages(field, html);
    html.end();
  }
  return html.end().toString();
}
