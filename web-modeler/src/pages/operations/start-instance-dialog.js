/** The "Start instance" dialog: business key and typed variables, posted to /process-definition/{id}/start. */
import { createMessageArea, h, openDialog, uniqueId } from './dom.js';
import { createVariableList } from './variable-editor.js';

/** Opens the dialog for `definition`; resolves the started instance (`{ id, ended, … }`), or null when cancelled. */
export async function openStartInstanceDialog({ api, definition }) {
  const keyId = uniqueId('business-key');
  const businessKey = h('input', { type: 'text', id: keyId, name: 'businessKey', autocomplete: 'off' });
  const variables = createVariableList({ legend: 'Variables' });
  const messages = createMessageArea();
  let started = null;
  const content = h('div', { class: 'ops-start-form' },
    h('p', { class: 'ops-hint' }, `${definition.name || definition.key} · version ${definition.version}`),
    h('div', { class: 'ops-field' }, h('label', { for: keyId }, 'Business key'), businessKey, h('span', { class: 'ops-hint' }, 'Optional: your reference for this instance, e.g. an order number.')),
    variables.element,
    messages.element);
  const answer = await openDialog({
    title: 'Start instance',
    content,
    buttons: [{ label: 'Cancel', value: 'cancel' }, { label: 'Start', value: 'start', primary: true }],
    async onSubmit() {
      messages.clear();
      let values;
      try {
        values = variables.read();
      } catch (error) {
        messages.error(error, 'Cannot start yet:');
        return true;
      }
      try {
        const body = { variables: values };
        if (businessKey.value.trim()) body.businessKey = businessKey.value.trim();
        started = await api.post(`/process-definition/${encodeURIComponent(definition.id)}/start`, body);
        return false;
      } catch (error) {
        messages.error(error, 'The engine refused to start the instance:');
        return true;
      }
    },
  });
  return answer ? started : null;
}
