/** The decisions page: dmn-js modeler for a new or opened DMN file, save, deploy, and an evaluate form. */
import { downloadFile, errorMessage, h, loadStylesheet, notify, notifyError, setTitle } from '../../ui.js';
import { createDmnEditor, viewLabel } from './dmn-editor.js';
import { evaluateForm } from './evaluate-form.js';
import { newDecisionXml } from './new-decision.js';

/* global __DECISIONS_CSS__ */
const STYLESHEET = new URL(__DECISIONS_CSS__, import.meta.url).href;

export async function mount(container, { api }) {
  setTitle('Decisions');
  await loadStylesheet(STYLESHEET);

  const state = { fileName: 'decision.dmn' };
  const status = h('span', { class: 'status', 'aria-live': 'polite' });
  const fileInput = h('input', { type: 'file', accept: '.dmn,.xml', class: 'visually-hidden', tabindex: '-1', 'aria-hidden': 'true' });
  const tabs = h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Views' });
  const deployButton = h('button', { type: 'button', class: 'primary' }, 'Deploy');
  const problems = h('section', { class: 'problems', hidden: true, role: 'alert' });
  const canvas = h('div', { class: 'canvas', 'aria-label': 'DMN editor' });
  const editor = h('div', { class: 'editor' }, canvas);
  const side = h('aside', { class: 'side', 'aria-label': 'Evaluate' });

  container.append(
    h(
      'div',
      { class: 'toolbar', role: 'toolbar', 'aria-label': 'Decision' },
      h('h1', { class: 'visually-hidden' }, 'DMN modeler'),
      h('button', { type: 'button', onclick: () => void openXml(newDecisionXml(), 'decision.dmn') }, 'New decision'),
      h('button', { type: 'button', onclick: () => fileInput.click() }, 'Open file…'),
      fileInput,
      h('button', { type: 'button', onclick: () => void save() }, 'Save XML'),
      deployButton,
      tabs,
      h('span', { class: 'spacer' }),
      status,
    ),
    problems,
    h('div', { class: 'split' }, editor, side),
  );

  const modeler = createDmnEditor({ container: canvas });
  window.dmnModeler = modeler;
  const evaluation = evaluateForm(side, api);

  modeler.on('views.changed', ({ views, activeView }) => {
    tabs.replaceChildren(
      ...views.map((view) =>
        h('button', { type: 'button', role: 'tab', 'aria-selected': String(view === activeView), onclick: () => void modeler.open(view).catch((error) => notifyError(error)) }, viewLabel(view)),
      ),
    );
  });

  async function openXml(xml, fileName) {
    problems.hidden = true;
    try {
      const { warnings } = await modeler.importXML(xml);
      state.fileName = fileName;
      status.textContent = fileName;
      if (warnings.length) notify(`Opened ${fileName} with ${warnings.length} warning(s): ${warnings[0].message}`);
    } catch (error) {
      notifyError(error, `Could not open ${fileName}`);
    }
  }

  async function save() {
    try {
      const { xml } = await modeler.saveXML({ format: true });
      downloadFile(state.fileName.replace(/\.xml$/i, '.dmn'), xml);
    } catch (error) {
      notifyError(error, 'Could not save the decision');
    }
  }

  async function deploy() {
    problems.hidden = true;
    const definitions = modeler.getDefinitions();
    const firstDecision = (definitions?.drgElement || []).find((element) => element.$type === 'dmn:Decision');
    const name = firstDecision?.id || definitions?.id || 'decision';
    deployButton.disabled = true;
    try {
      const { xml } = await modeler.saveXML({ format: true });
      const deployment = await api.deploy([{ name: `${name}.dmn`, content: xml, type: 'application/xml' }], { 'deployment-name': name, 'enable-duplicate-filtering': true, 'deployment-source': 'web-modeler' });
      const deployed = Object.values(deployment.deployedDecisionDefinitions || {});
      if (deployed.length) notify(`Deployed ${deployed.map((d) => `${d.name || d.key} v${d.version}`).join(', ')}.`, { kind: 'success' });
      else notify('The server stored the file but deployed no new decision definition: either nothing changed, or this server does not run DMN yet.');
      await evaluation.refresh();
    } catch (error) {
      const details = Object.values(error.details || {})[0]?.errors || [];
      problems.replaceChildren(h('h2', {}, 'The server refused the deployment'), h('ul', {}, (details.length ? details.map((d) => d.message) : [errorMessage(error)]).map((m) => h('li', {}, m))));
      problems.hidden = false;
      notifyError(error, 'Deployment failed');
    } finally {
      deployButton.disabled = false;
    }
  }

  async function openFile(file) {
    if (file) await openXml(await file.text(), file.name);
  }

  deployButton.addEventListener('click', () => void deploy());
  fileInput.addEventListener('change', () => {
    void openFile(fileInput.files?.[0]);
    fileInput.value = '';
  });
  editor.addEventListener('dragover', (event) => {
    if ([...(event.dataTransfer?.types || [])].includes('Files')) event.preventDefault();
  });
  editor.addEventListener('drop', (event) => {
    if (!event.dataTransfer?.files?.length) return;
    event.preventDefault();
    void openFile(event.dataTransfer.files[0]);
  });

  await openXml(newDecisionXml(), 'decision.dmn');
  return () => {
    if (window.dmnModeler === modeler) delete window.dmnModeler;
    modeler.destroy();
  };
}
