/** DOM and formatting helpers shared by the operations and task pages: element builder, dates, durations, errors, dialogs. */

import { errorMessage, h, nextId, setTitle } from '../../ui.js';

export { errorMessage, h, setTitle };

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces the children of `element`. */
export function replace(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

/** An id unique in the page, for label/aria wiring. */
export function uniqueId(prefix) {
  return nextId(prefix);
}

/** Parses Camunda's date format (`2024-01-02T03:04:05.678+0100`) or ISO dates; null when absent or invalid. */
export function parseEngineDate(value) {
  if (!value) return null;
  const iso = String(value).replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Formats a date as Camunda's REST API wants it: local time with the offset, `yyyy-MM-dd'T'HH:mm:ss.SSSZ`. */
export function formatEngineDate(date) {
  const pad = (n, width = 2) => String(Math.abs(n)).padStart(width, '0');
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}${sign}${pad(Math.trunc(offset / 60))}${pad(offset % 60)}`;
}

/** A date for people: `2024-01-02 03:04:05` in local time, or an em dash. */
export function formatDateTime(value) {
  const date = value instanceof Date ? value : parseEngineDate(value);
  if (!date) return '—';
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** A `<time>` element with the machine-readable date and the readable one. */
export function timeElement(value) {
  const date = parseEngineDate(value);
  return date ? h('time', { datetime: date.toISOString(), title: date.toString() }, formatDateTime(date)) : '—';
}

/** A duration for people: `850 ms`, `4.2 s`, `3 min 4 s`, `2 h 5 min`, `3 d 4 h`. */
export function formatDuration(ms) {
  if (ms === null || ms === undefined || Number.isNaN(Number(ms))) return '—';
  const value = Number(ms);
  if (value < 1000) return `${value} ms`;
  if (value < 60_000) return `${(value / 1000).toFixed(1)} s`;
  const minutes = Math.floor(value / 60_000);
  if (minutes < 60) return `${minutes} min ${Math.floor((value % 60_000) / 1000)} s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/** An in-page error box; `role="alert"` so screen readers announce it. */
export function errorBox(error, { title = 'Something went wrong' } = {}) {
  return h('div', { class: 'ops-error', role: 'alert' }, h('strong', {}, title), ' ', errorMessage(error));
}

/** A region that shows one message at a time (errors as alerts, successes as status). */
export function createMessageArea() {
  const element = h('div', { class: 'ops-messages' });
  return {
    element,
    error(error, title) {
      replace(element, errorBox(error, { title }));
    },
    success(text) {
      replace(element, h('div', { class: 'ops-success', role: 'status' }, text));
    },
    clear() {
      element.replaceChildren();
    },
  };
}

/** The value of a route parameter: the first of `names` present in `params` (the shell passes the matched part). */
export function routeParam(params, ...names) {
  for (const name of names) if (params?.[name] !== undefined && params[name] !== null) return decodeURIComponent(String(params[name]));
  if (typeof params?.id === 'string') return decodeURIComponent(params.id);
  return undefined;
}

/** A query value from `params.query` (an object or URLSearchParams), else from the hash. */
export function queryParam(params, name) {
  const query = params?.query;
  if (query instanceof URLSearchParams) return query.get(name) ?? undefined;
  if (query && typeof query === 'object' && query[name] !== undefined) return String(query[name]);
  const hash = globalThis.location?.hash ?? '';
  const index = hash.indexOf('?');
  return index >= 0 ? new URLSearchParams(hash.slice(index + 1)).get(name) ?? undefined : undefined;
}

/**
 * A modal dialog (native `<dialog>`): resolves with the button's value, or null when cancelled (Escape).
 * `content` is a node; `buttons` is `[{ label, value, primary?, danger? }]`.
 */
export function openDialog({ title, content, buttons, onSubmit }) {
  return new Promise((resolve) => {
    const titleId = uniqueId('dialog-title');
    const dialog = h('dialog', { class: 'ops-dialog', 'aria-labelledby': titleId });
    const form = h('form', { method: 'dialog' });
    const footer = h('div', { class: 'ops-dialog-buttons' });
    for (const button of buttons) {
      footer.append(h('button', { type: button.value === 'cancel' ? 'button' : 'submit', value: button.value, class: button.primary ? 'primary' : button.danger ? 'danger' : '', onClick: button.value === 'cancel' ? () => dialog.close('cancel') : undefined }, button.label));
    }
    form.append(h('h2', { id: titleId }, title), content, footer);
    form.addEventListener('submit', async (event) => {
      const value = event.submitter?.value ?? 'ok';
      if (!onSubmit) return;
      event.preventDefault();
      const keepOpen = await onSubmit(value);
      if (!keepOpen) dialog.close(value);
    });
    dialog.append(form);
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(dialog.returnValue && dialog.returnValue !== 'cancel' ? dialog.returnValue : null);
    });
    document.body.append(dialog);
    dialog.showModal();
  });
}

/** Asks to confirm a destructive action; resolves true when confirmed. */
export async function confirmAction({ title, message, confirmLabel, danger = true }) {
  const answer = await openDialog({
    title,
    content: h('p', {}, message),
    buttons: [{ label: 'Cancel', value: 'cancel' }, { label: confirmLabel, value: 'confirm', danger, primary: !danger }],
  });
  return answer === 'confirm';
}

/** Tabs with roving focus (WAI-ARIA tabs pattern); `tabs` is `[{ id, label, render(panel) }]`. */
export function createTabs(tabs, { initial } = {}) {
  const list = h('div', { class: 'ops-tabs', role: 'tablist' });
  const panel = h('div', { class: 'ops-tab-panel', role: 'tabpanel', tabindex: '0' });
  const buttons = new Map();
  let current = null;
  function select(id, focus = false) {
    const tab = tabs.find((t) => t.id === id) ?? tabs[0];
    current = tab.id;
    for (const [tabId, button] of buttons) {
      const selected = tabId === tab.id;
      button.setAttribute('aria-selected', String(selected));
      button.tabIndex = selected ? 0 : -1;
      if (selected && focus) button.focus();
    }
    panel.setAttribute('aria-labelledby', buttons.get(tab.id).id);
    panel.replaceChildren();
    tab.render(panel);
  }
  for (const tab of tabs) {
    const button = h('button', { type: 'button', role: 'tab', id: uniqueId(`tab-${tab.id}`), dataset: { tab: tab.id }, onClick: () => select(tab.id) }, tab.label);
    button.addEventListener('keydown', (event) => {
      const index = tabs.findIndex((t) => t.id === tab.id);
      if (event.key === 'ArrowRight') select(tabs[(index + 1) % tabs.length].id, true);
      else if (event.key === 'ArrowLeft') select(tabs[(index - 1 + tabs.length) % tabs.length].id, true);
      else return;
      event.preventDefault();
    });
    buttons.set(tab.id, button);
    list.append(button);
  }
  const element = h('div', { class: 'ops-tabs-wrapper' }, list, panel);
  select(initial ?? tabs[0].id);
  return {
    element,
    select,
    get current() {
      return current;
    },
    /** Re-renders the current tab (after a reload), and relabels tabs whose label is a function. */
    refresh() {
      for (const tab of tabs) if (typeof tab.label === 'function') buttons.get(tab.id).textContent = tab.label();
      select(current);
    },
    setLabel(id, label) {
      buttons.get(id).textContent = label;
    },
  };
}

/** A table: `columns` is `[{ label, cell(row) → node|string, class? }]`; `empty` shows when there are no rows. */
export function dataTable({ caption, columns, rows, empty, rowAttributes }) {
  if (rows.length === 0) return h('p', { class: 'ops-empty' }, empty);
  return h(
    'table',
    { class: 'ops-table' },
    caption ? h('caption', { class: 'ops-visually-hidden' }, caption) : null,
    h('thead', {}, h('tr', {}, columns.map((column) => h('th', { scope: 'col', class: column.class }, column.label)))),
    h('tbody', {}, rows.map((row) => h('tr', rowAttributes ? rowAttributes(row) : {}, columns.map((column) => h('td', { class: column.class }, column.cell(row)))))),
  );
}

/** A small state badge: `running`, `suspended`, `incident`, `completed`, `terminated`. */
export function stateBadge(kind, text) {
  return h('span', { class: `ops-state ops-state-${kind}` }, text);
}
