/** Shared UI helpers: DOM building, page titles, in-page notifications, labelled form fields, dialogs, typed variables. */

const APP_NAME = 'Process engine';
let uniqueId = 0;

/**
 * Creates an element: `h('button', { class: 'primary', onClick }, 'Deploy')`; `on…` attributes become listeners,
 * strings become text nodes (never HTML), and `false`/`null`/`undefined` attributes and children are skipped.
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') element.addEventListener(key.slice(2).toLowerCase(), value);
    else if (key === 'class') element.className = value;
    else if (key === 'dataset') Object.assign(element.dataset, value);
    else if (key === 'value' || key === 'checked' || key === 'selected' || (key in element && typeof value !== 'string')) element[key] = value;
    else element.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

export function nextId(prefix = 'ui') {
  uniqueId += 1;
  return `${prefix}-${uniqueId}`;
}

/** Sets the document title for the current screen. */
export function setTitle(screen) {
  document.title = screen ? `${screen} · ${APP_NAME}` : APP_NAME;
}

/** A readable message for anything thrown, including the API's `{ status, type, message }` errors. */
export function errorMessage(error) {
  if (!error) return 'Unknown error';
  if (typeof error === 'string') return error;
  const message = error.message || String(error);
  return error.type && error.type !== 'Error' ? `${message} (${error.type}${error.status ? `, HTTP ${error.status}` : ''})` : message;
}

/**
 * Shows a notification in the page, with an optional `action: { label, run }` button. Errors stay until dismissed
 * and are announced assertively; others fade.
 * Returns a function that removes it.
 */
export function notify(message, { kind = 'info', timeout = kind === 'error' ? 0 : 6000, action } = {}) {
  const region = document.getElementById('notifications') || document.body;
  const close = () => item.remove();
  const item = h(
    'div',
    { class: `notification ${kind}`, role: kind === 'error' ? 'alert' : 'status' },
    h('span', { class: 'message' }, message),
    action ? h('button', { type: 'button', class: 'action', onclick: () => {
      close();
      action.run();
    } }, action.label) : null,
    h('button', { type: 'button', 'aria-label': 'Dismiss notification', onclick: close }, '×'),
  );
  region.append(item);
  if (timeout > 0) setTimeout(close, timeout);
  return close;
}

export function notifyError(error, prefix) {
  return notify(prefix ? `${prefix}: ${errorMessage(error)}` : errorMessage(error), { kind: 'error' });
}

/** A labelled form control: `field({ label: 'Business key', name: 'businessKey' })` → `{ element, control }`. */
export function field({ label, name, type = 'text', value = '', options, hint, required, placeholder }) {
  const id = nextId(name || 'field');
  let control;
  if (options) {
    control = h('select', { id, name }, options.map((option) => (typeof option === 'string' ? { value: option, label: option } : option)).map((o) => h('option', { value: o.value, selected: o.value === value }, o.label)));
  } else if (type === 'textarea') {
    control = h('textarea', { id, name, rows: 3, required, placeholder }, value);
  } else {
    control = h('input', { id, name, type, value, required, placeholder });
  }
  const hintElement = hint ? h('span', { class: 'hint', id: `${id}-hint` }, hint) : null;
  if (hintElement) control.setAttribute('aria-describedby', hintElement.id);
  return { element: h('div', { class: 'field' }, h('label', { for: id }, label), control, hintElement), control };
}

/** Opens a modal `<dialog>` built by `render(close)`; resolves with the value passed to `close(value)`. */
export function openDialog(title, render) {
  return new Promise((resolve) => {
    const titleId = nextId('dialog-title');
    const dialog = h('dialog', { 'aria-labelledby': titleId });
    const close = (value) => {
      dialog.close();
      dialog.remove();
      resolve(value);
    };
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault();
      close(null);
    });
    dialog.append(h('h2', { id: titleId }, title), render(close));
    document.body.append(dialog);
    dialog.showModal();
  });
}

/** Asks a yes/no question in the page; resolves true when confirmed. */
export function confirmDialog(title, message, { confirmLabel = 'OK', cancelLabel = 'Cancel' } = {}) {
  return openDialog(title, (close) =>
    h('div', {}, h('p', { style: 'white-space: pre-wrap' }, message), h('div', { class: 'actions' }, h('button', { type: 'button', onclick: () => close(false) }, cancelLabel), h('button', { type: 'button', class: 'primary', onclick: () => close(true) }, confirmLabel))),
  ).then(Boolean);
}

/** Asks for a user name and password (the server answered 401); resolves null when cancelled. */
export function askCredentials({ retry = false } = {}) {
  return openDialog('Sign in', (close) => {
    const user = field({ label: 'User name', name: 'username', required: true });
    const password = field({ label: 'Password', name: 'password', type: 'password' });
    const form = h(
      'form',
      { method: 'dialog', onsubmit: (event) => {
        event.preventDefault();
        close({ username: user.control.value, password: password.control.value });
      } },
      retry ? h('p', { role: 'alert' }, 'The server did not accept these credentials.') : h('p', {}, 'The engine requires credentials.'),
      user.element,
      password.element,
      h('div', { class: 'actions' }, h('button', { type: 'button', onclick: () => close(null) }, 'Cancel'), h('button', { type: 'submit', class: 'primary' }, 'Sign in')),
    );
    queueMicrotask(() => user.control.focus());
    return form;
  });
}

/** Saves text to disk through a download. */
export function downloadFile(name, text, type = 'application/xml') {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = h('a', { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Adds a stylesheet once; resolves when it is loaded, so an editor never draws unstyled. */
export function loadStylesheet(href) {
  const existing = document.querySelector(`link[data-href="${href}"]`);
  if (existing) return existing.loaded;
  const link = h('link', { rel: 'stylesheet', href, dataset: { href } });
  link.loaded = new Promise((resolve, reject) => {
    link.addEventListener('load', resolve, { once: true });
    link.addEventListener('error', () => reject(new Error(`Could not load ${href}`)), { once: true });
  });
  document.head.append(link);
  return link.loaded;
}

export const VARIABLE_TYPES = ['String', 'Integer', 'Long', 'Double', 'Boolean', 'Date', 'Json', 'Null'];

/** Converts one form row to Camunda's `{ value, type }`; throws a readable error for a value that does not fit. */
export function typedValue(name, type, raw) {
  const fail = (what) => {
    throw new Error(`Variable '${name}': '${raw}' is not ${what}`);
  };
  switch (type) {
    case 'Null':
      return { value: null, type: 'Null' };
    case 'Integer':
    case 'Long': {
      if (!/^-?\d+$/.test(raw.trim())) fail('a whole number');
      const value = Number(raw);
      if (type === 'Integer' && (value > 2147483647 || value < -2147483648)) fail('a 32-bit integer (use Long)');
      return { value: Number.isSafeInteger(value) ? value : raw.trim(), type };
    }
    case 'Double': {
      const value = Number(raw);
      if (raw.trim() === '' || Number.isNaN(value)) fail('a number');
      return { value, type };
    }
    case 'Boolean':
      if (!['true', 'false'].includes(raw.trim())) fail('true or false');
      return { value: raw.trim() === 'true', type };
    case 'Date': {
      const date = new Date(raw);
      if (Number.isNaN(date.getTime())) fail('a date');
      return { value: date.toISOString().replace('Z', '+0000'), type };
    }
    case 'Json':
      try {
        JSON.parse(raw);
      } catch {
        fail('valid JSON');
      }
      return { value: raw, type, valueInfo: {} };
    default:
      return { value: raw, type: 'String' };
  }
}

/**
 * A table of typed variables (name, type, value) with add and remove buttons, every control labelled.
 * `read()` returns Camunda's variables map or throws for an invalid row.
 */
export function variablesEditor({ caption = 'Variables', initial = [] } = {}) {
  const body = h('tbody');
  const captionId = nextId('variables');
  const addRow = ({ name = '', type = 'String', value = '' } = {}) => {
    const index = body.children.length + 1;
    const nameInput = h('input', { 'aria-label': `Name of variable ${index}`, value: name, name: 'variable-name' });
    const typeSelect = h('select', { 'aria-label': `Type of variable ${index}`, name: 'variable-type' }, VARIABLE_TYPES.map((t) => h('option', { value: t, selected: t === type }, t)));
    const valueInput = h('input', { 'aria-label': `Value of variable ${index}`, value, name: 'variable-value' });
    const row = h('tr', {}, h('td', {}, nameInput), h('td', {}, typeSelect), h('td', {}, valueInput), h('td', {}, h('button', { type: 'button', 'aria-label': `Remove variable ${index}`, onclick: () => row.remove() }, '−')));
    body.append(row);
    return nameInput;
  };
  for (const row of initial) addRow(row);
  const element = h(
    'div',
    { class: 'variables-editor' },
    h('div', { class: 'field-label', id: captionId }, caption),
    h('table', { class: 'variables', 'aria-labelledby': captionId }, h('thead', {}, h('tr', {}, h('th', {}, 'Name'), h('th', {}, 'Type'), h('th', {}, 'Value'), h('th', {}, h('span', { class: 'visually-hidden' }, 'Actions')))), body),
    h('button', { type: 'button', onclick: () => addRow().focus() }, 'Add variable'),
  );
  const read = () => {
    const variables = {};
    for (const row of body.children) {
      const [name, type, value] = [...row.querySelectorAll('input, select')].map((control) => control.value);
      if (!name.trim()) {
        if (value.trim()) throw new Error(`A variable with value '${value}' has no name`);
        continue;
      }
      variables[name.trim()] = typedValue(name.trim(), type, value);
    }
    return variables;
  };
  return { element, read, addRow };
}

/** Formats a Camunda typed value for a table cell. */
export function formatValue(typed) {
  if (!typed || typed.value === null || typed.value === undefined) return 'null';
  return typeof typed.value === 'object' ? JSON.stringify(typed.value) : String(typed.value);
}
