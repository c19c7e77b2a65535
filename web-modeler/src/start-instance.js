/** The "Start instance" dialog: business key plus typed variables, posted to /process-definition/{id}/start. */
import { errorMessage, field, h, openDialog, variablesEditor } from './ui.js';

/** Resolves the started instance (Camunda's ProcessInstance DTO), or null when the user cancels. */
export function startInstanceDialog(api, definition) {
  const label = definition.name || definition.key;
  return openDialog(`Start instance of ${label}`, (close) => {
    const businessKey = field({ label: 'Business key', name: 'businessKey', hint: 'Optional; identifies the instance in your domain.' });
    const variables = variablesEditor({ caption: 'Variables' });
    const problem = h('p', { role: 'alert', class: 'form-error' });
    const submit = h('button', { type: 'submit', class: 'primary' }, 'Start');
    const form = h(
      'form',
      {
        onsubmit: async (event) => {
          event.preventDefault();
          problem.textContent = '';
          submit.disabled = true;
          try {
            const body = { variables: variables.read() };
            if (businessKey.control.value.trim()) body.businessKey = businessKey.control.value.trim();
            close(await api.post(`/process-definition/${encodeURIComponent(definition.id)}/start`, body));
          } catch (error) {
            problem.textContent = errorMessage(error);
            submit.disabled = false;
          }
        },
      },
      h('p', { class: 'hint' }, `Version ${definition.version} · ${definition.id}`),
      businessKey.element,
      variables.element,
      problem,
      h('div', { class: 'actions' }, h('button', { type: 'button', onclick: () => close(null) }, 'Cancel'), submit),
    );
    queueMicrotask(() => businessKey.control.focus());
    return form;
  });
}
