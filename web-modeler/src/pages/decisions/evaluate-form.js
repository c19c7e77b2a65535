/** The "Evaluate" panel: choose a deployed decision, enter typed inputs, see the matched rules' outputs as a table. */
import { errorMessage, field, formatValue, h, variablesEditor } from '../../ui.js';

const TYPE_REFS = { string: 'String', integer: 'Integer', long: 'Long', double: 'Double', boolean: 'Boolean', date: 'Date' };

/** The simple input expressions of decision `key` (variable names with their types), read from the deployed XML. */
export function inputsOf(dmnXml, key) {
  const document = new DOMParser().parseFromString(dmnXml, 'application/xml');
  const decision = [...document.getElementsByTagNameNS('*', 'decision')].find((element) => element.getAttribute('id') === key);
  if (!decision) return [];
  return [...decision.getElementsByTagNameNS('*', 'inputExpression')]
    .map((expression) => ({ name: expression.getElementsByTagNameNS('*', 'text')[0]?.textContent?.trim() || '', type: TYPE_REFS[expression.getAttribute('typeRef')] || 'String' }))
    .filter((input) => /^[A-Za-z_][\w]*$/.test(input.name));
}

export function resultTable(rows) {
  if (rows.length === 0) return h('p', { role: 'status' }, 'No rule matched.');
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  return h(
    'table',
    { class: 'data', 'aria-label': 'Evaluation result' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, '#'), columns.map((column) => h('th', { scope: 'col' }, column)))),
    h('tbody', {}, rows.map((row, index) => h('tr', {}, h('td', {}, String(index + 1)), columns.map((column) => h('td', {}, column in row ? formatValue(row[column]) : ''))))),
  );
}

/** Renders the panel into `panel`; `refresh()` reloads the list of decisions (after a deployment). */
export function evaluateForm(panel, api) {
  const decision = field({ label: 'Decision', name: 'decision', options: [{ value: '', label: 'Loading…' }] });
  const inputsSlot = h('div');
  const result = h('div', { class: 'evaluation-result', 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Evaluate');
  let inputs = variablesEditor({ caption: 'Inputs' });
  inputsSlot.append(inputs.element);
  let definitions = [];

  async function prefill() {
    const chosen = definitions.find((d) => d.id === decision.control.value);
    if (!chosen) return;
    let rows = [];
    try {
      const { dmnXml } = await api.get(`/decision-definition/${encodeURIComponent(chosen.id)}/xml`);
      rows = inputsOf(dmnXml, chosen.key).map((input) => ({ ...input, value: '' }));
    } catch {
      // Without the XML the user types the input names.
    }
    inputs = variablesEditor({ caption: 'Inputs', initial: rows.length ? rows : [{}] });
    inputsSlot.replaceChildren(inputs.element);
  }

  async function evaluate(event) {
    event.preventDefault();
    result.replaceChildren();
    const id = decision.control.value;
    if (!id) return;
    submit.disabled = true;
    try {
      const rows = await api.post(`/decision-definition/${encodeURIComponent(id)}/evaluate`, { variables: inputs.read() });
      result.replaceChildren(h('h3', {}, `Result: ${rows.length} matched rule(s)`), resultTable(rows));
    } catch (error) {
      result.replaceChildren(h('p', { role: 'alert', class: 'form-error' }, errorMessage(error)));
    } finally {
      submit.disabled = false;
    }
  }

  async function refresh() {
    try {
      definitions = await api.get('/decision-definition?latestVersion=true&sortBy=key&sortOrder=asc');
    } catch (error) {
      const text = error.status === 404 ? 'Decisions are not available on this server.' : `Could not list decisions: ${errorMessage(error)}`;
      form.replaceChildren(h('p', { role: 'status' }, text));
      return;
    }
    const selected = decision.control.value;
    decision.control.replaceChildren(
      definitions.length ? null : h('option', { value: '' }, 'No decision deployed yet'),
      ...definitions.map((d) => h('option', { value: d.id, selected: d.id === selected }, `${d.name || d.key} (v${d.version})`)),
    );
    await prefill();
  }

  const form = h('form', { onsubmit: evaluate, 'aria-labelledby': 'evaluate-title' }, decision.element, inputsSlot, h('div', { class: 'actions' }, submit), result);
  decision.control.addEventListener('change', () => void prefill());
  panel.append(h('h2', { id: 'evaluate-title' }, 'Evaluate a deployed decision'), form);
  void refresh();
  return { refresh };
}
