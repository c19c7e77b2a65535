/** Typed variable inputs (String, Boolean, Integer, Long, Double, Date, Json…) and an editable list of new variables. */
import { formatEngineDate, h, parseEngineDate, uniqueId } from './dom.js';

/** Types a person can enter in the browser; other types (Object, Bytes, File, Xml…) are shown read-only. */
export const EDITABLE_TYPES = ['String', 'Boolean', 'Integer', 'Long', 'Short', 'Double', 'Date', 'Json', 'Null'];
/** The types offered when adding a variable. */
export const NEW_VARIABLE_TYPES = ['String', 'Integer', 'Long', 'Double', 'Boolean', 'Date', 'Json'];

const INTEGER_RANGES = {
  Short: [-32768, 32767],
  Integer: [-2147483648, 2147483647],
  Long: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

export function isEditableType(type) {
  return EDITABLE_TYPES.includes(type);
}

/** A value as a person reads it in a table cell. */
export function displayValue(variable) {
  const { type, value } = variable;
  if (value === null || value === undefined) return type === 'Null' ? 'null' : '—';
  if (type === 'Date') return String(value);
  if (type === 'Json' || type === 'Object' || type === 'Xml') return typeof value === 'string' ? value : JSON.stringify(value);
  if (type === 'Bytes' || type === 'File') return `(${type.toLowerCase()}${variable.valueInfo?.filename ? `: ${variable.valueInfo.filename}` : ''})`;
  return String(value);
}

/** `2024-01-02T03:04:05` for a datetime-local input, from an engine date. */
function toLocalInputValue(value) {
  const date = parseEngineDate(value);
  if (!date) return '';
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/**
 * One input for a value of `type`, labelled by `label` (text) or `labelledBy` (an id). `read()` returns the typed value
 * for the REST API (`{ type, value }`), or throws an Error whose message says what to fix.
 */
export function createTypedInput({ type, value = null, id = uniqueId('value'), label, labelledBy, required = false }) {
  const aria = { 'aria-label': labelledBy ? undefined : label, 'aria-labelledby': labelledBy };
  let input;
  if (type === 'Boolean') {
    input = h('input', { type: 'checkbox', id, checked: value === true || value === 'true', ...aria });
  } else if (type === 'Integer' || type === 'Long' || type === 'Short') {
    input = h('input', { type: 'text', inputmode: 'numeric', id, value: value ?? '', autocomplete: 'off', ...aria });
  } else if (type === 'Double') {
    input = h('input', { type: 'text', inputmode: 'decimal', id, value: value ?? '', autocomplete: 'off', ...aria });
  } else if (type === 'Date') {
    input = h('input', { type: 'datetime-local', step: '1', id, value: toLocalInputValue(value), ...aria });
  } else if (type === 'Json') {
    const text = value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
    input = h('textarea', { id, rows: '3', spellcheck: 'false', class: 'ops-code', ...aria });
    input.value = text;
  } else if (type === 'Null') {
    input = h('input', { type: 'text', id, value: 'null', disabled: true, ...aria });
  } else {
    input = h('input', { type: 'text', id, value: value ?? '', autocomplete: 'off', ...aria });
  }

  function read() {
    const raw = input.value;
    switch (type) {
      case 'Boolean':
        return { type, value: input.checked };
      case 'Null':
        return { type, value: null };
      case 'Integer':
      case 'Long':
      case 'Short': {
        const text = raw.trim();
        if (text === '' && !required) return { type, value: null };
        if (!/^[-+]?\d+$/.test(text)) throw new Error(`${type} needs a whole number`);
        const number = Number(text);
        const [min, max] = INTEGER_RANGES[type];
        if (number < min || number > max) throw new Error(`${type} must be between ${min} and ${max}`);
        return { type, value: number };
      }
      case 'Double': {
        const text = raw.trim();
        if (text === '' && !required) return { type, value: null };
        const number = Number(text);
        if (text === '' || !Number.isFinite(number)) throw new Error('Double needs a number, e.g. 3.25');
        return { type, value: number };
      }
      case 'Date': {
        if (raw === '' && !required) return { type, value: null };
        const date = new Date(raw);
        if (raw === '' || Number.isNaN(date.getTime())) throw new Error('Date needs a date and time');
        return { type, value: formatEngineDate(date) };
      }
      case 'Json': {
        if (raw.trim() === '' && !required) return { type, value: null };
        try {
          JSON.parse(raw);
        } catch (error) {
          throw new Error(`Json is not valid: ${error.message}`);
        }
        return { type, value: raw };
      }
      default:
        return { type, value: raw };
    }
  }

  return { element: input, input, read };
}

/** Marks an input invalid with a message next to it (aria-invalid + aria-describedby), or clears it. */
export function setFieldError(input, message) {
  const describedBy = input.getAttribute('aria-describedby');
  const existing = describedBy ? document.getElementById(describedBy) : null;
  if (!message) {
    input.removeAttribute('aria-invalid');
    existing?.remove();
    if (existing) input.removeAttribute('aria-describedby');
    return;
  }
  input.setAttribute('aria-invalid', 'true');
  if (existing) {
    existing.textContent = message;
    return;
  }
  const note = h('span', { class: 'ops-field-error', id: uniqueId('error') }, message);
  input.setAttribute('aria-describedby', note.id);
  input.insertAdjacentElement('afterend', note);
}

/**
 * An editable list of new variables (name, type, value, remove), for starting instances and adding variables.
 * `read()` returns `{ name: { type, value } }` or throws after marking the invalid fields.
 */
export function createVariableList({ legend = 'Variables', addLabel = 'Add variable' } = {}) {
  const rows = [];
  const body = h('div', { class: 'ops-variable-list' });
  const empty = h('p', { class: 'ops-hint' }, 'No variables.');

  function render() {
    body.replaceChildren(...(rows.length ? rows.map((row) => row.element) : [empty]));
  }

  function addRow(initial = {}) {
    const nameId = uniqueId('var-name');
    const typeId = uniqueId('var-type');
    const valueLabelId = uniqueId('var-value-label');
    const nameInput = h('input', { type: 'text', id: nameId, value: initial.name ?? '', autocomplete: 'off', required: true, class: 'ops-var-name' });
    const typeSelect = h('select', { id: typeId, class: 'ops-var-type' }, NEW_VARIABLE_TYPES.map((type) => h('option', { value: type, selected: type === (initial.type ?? 'String') }, type)));
    const valueCell = h('div', { class: 'ops-var-value' });
    const row = { element: null, nameInput, typeSelect, field: null };
    const placeValue = (value) => {
      row.field = createTypedInput({ type: typeSelect.value, value, labelledBy: valueLabelId });
      row.field.input.classList.add('ops-var-input');
      valueCell.replaceChildren(row.field.element);
    };
    typeSelect.addEventListener('change', () => placeValue(null));
    placeValue(initial.value ?? null);
    const remove = h('button', { type: 'button', class: 'ops-icon-button', 'aria-label': 'Remove variable', title: 'Remove variable', onClick: () => {
      rows.splice(rows.indexOf(row), 1);
      render();
      addButton.focus();
    } }, '✕');
    row.element = h('div', { class: 'ops-variable-row' },
      h('div', { class: 'ops-field' }, h('label', { for: nameId }, 'Name'), nameInput),
      h('div', { class: 'ops-field' }, h('label', { for: typeId }, 'Type'), typeSelect),
      h('div', { class: 'ops-field ops-field-grow' }, h('span', { id: valueLabelId, class: 'ops-label' }, 'Value'), valueCell),
      remove);
    rows.push(row);
    render();
    return row;
  }

  const addButton = h('button', { type: 'button', class: 'ops-add-variable', onClick: () => addRow().nameInput.focus() }, `+ ${addLabel}`);
  const element = h('fieldset', { class: 'ops-fieldset' }, h('legend', {}, legend), body, addButton);
  render();

  return {
    element,
    addRow,
    read() {
      const result = {};
      const problems = [];
      for (const row of rows) {
        const name = row.nameInput.value.trim();
        setFieldError(row.nameInput, null);
        setFieldError(row.field.input, null);
        if (!name) {
          setFieldError(row.nameInput, 'Name is required');
          problems.push(row.nameInput);
        } else if (result[name]) {
          setFieldError(row.nameInput, `"${name}" is listed twice`);
          problems.push(row.nameInput);
        }
        try {
          result[name] = row.field.read();
        } catch (error) {
          setFieldError(row.field.input, error.message);
          problems.push(row.field.input);
        }
      }
      if (problems.length) {
        problems[0].focus();
        throw new Error('Some variables need fixing (see the marked fields).');
      }
      return result;
    },
  };
}
