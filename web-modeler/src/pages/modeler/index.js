/** The BPMN modeler page: new, open (file, drop, deployed definition), lint, save, deploy, start an instance. */
import { startInstanceDialog } from '../../start-instance.js';
import { confirmDialog, downloadFile, errorMessage, h, loadStylesheet, notify, notifyError, setTitle } from '../../ui.js';
import { createBpmnEditor, lintDiagram, processesOf } from './bpmn-editor.js';
import { newDiagramXml } from './new-diagram.js';

/* global __MODELER_CSS__ */
const STYLESHEET = new URL(__MODELER_CSS__, import.meta.url).href;
const ERROR_MARKER = 'deploy-error';

export async function mount(container, { api, navigate, params }) {
  setTitle('Modeler');
  await loadStylesheet(STYLESHEET);

  const state = { fileName: 'diagram.bpmn', deployed: null, markers: [] };
  const status = h('span', { class: 'status', 'aria-live': 'polite' });
  const fileInput = h('input', { type: 'file', accept: '.bpmn,.xml,application/xml,text/xml', class: 'visually-hidden', tabindex: '-1', 'aria-hidden': 'true' });
  const definitionSelect = h('select', { 'aria-label': 'Open a deployed process definition', name: 'deployed' }, h('option', { value: '' }, 'Open deployed…'));
  const startButton = h('button', { type: 'button', disabled: true, title: 'Deploy first' }, 'Start instance');
  const deployButton = h('button', { type: 'button', class: 'primary' }, 'Deploy');
  const problems = h('section', { class: 'problems', hidden: true, 'aria-labelledby': 'deploy-problems-title' });
  const canvas = h('div', { class: 'canvas', 'aria-label': 'BPMN diagram canvas', role: 'application' });
  const properties = h('aside', { class: 'properties', 'aria-label': 'Properties' });
  const editor = h('div', { class: 'editor' }, canvas, properties);

  container.append(
    h(
      'div',
      { class: 'toolbar', role: 'toolbar', 'aria-label': 'Diagram' },
      h('h1', { class: 'visually-hidden' }, 'BPMN modeler'),
      h('button', { type: 'button', onclick: () => void openXml(newDiagramXml(), 'diagram.bpmn') }, 'New diagram'),
      h('button', { type: 'button', onclick: () => fileInput.click() }, 'Open file…'),
      fileInput,
      definitionSelect,
      h('button', { type: 'button', onclick: () => void save() }, 'Save XML'),
      deployButton,
      startButton,
      h('span', { class: 'spacer' }),
      status,
    ),
    problems,
    editor,
  );

  const modeler = createBpmnEditor({ canvas, properties });
  // For scripting and the browser tests (bpmn-js's modeling API), like the bpmn.io demos.
  window.bpmnModeler = modeler;

  async function openXml(xml, fileName, deployed = null) {
    clearDeployErrors();
    try {
      const { warnings } = await modeler.importXML(xml);
      state.fileName = fileName;
      state.deployed = deployed;
      startButton.disabled = !deployed;
      modeler.get('canvas').zoom('fit-viewport', 'auto');
      status.textContent = fileName;
      if (warnings.length) notify(`Opened ${fileName} with ${warnings.length} warning(s): ${warnings[0].message}`);
    } catch (error) {
      notifyError(error, `Could not open ${fileName}`);
    }
  }

  async function openFile(file) {
    if (!file) return;
    if (/\.dmn$/i.test(file.name)) {
      notify(`${file.name} is a decision; open it on the Decisions page.`, { kind: 'error' });
      return;
    }
    await openXml(await file.text(), file.name);
  }

  async function openDefinition(id) {
    try {
      const [definition, { bpmn20Xml }] = await Promise.all([api.get(`/process-definition/${encodeURIComponent(id)}`), api.get(`/process-definition/${encodeURIComponent(id)}/xml`)]);
      await openXml(bpmn20Xml, definition.resource || `${definition.key}.bpmn`, definition);
      status.textContent = `${definition.name || definition.key} · version ${definition.version}`;
    } catch (error) {
      notifyError(error, `Could not open process definition ${id}`);
    }
  }

  async function loadDefinitionList() {
    try {
      const definitions = await api.get('/process-definition?latestVersion=true&sortBy=key&sortOrder=asc');
      definitionSelect.replaceChildren(h('option', { value: '' }, 'Open deployed…'), ...definitions.map((d) => h('option', { value: d.id }, `${d.name || d.key} (v${d.version})`)));
    } catch (error) {
      notifyError(error, 'Could not list deployed definitions');
    }
  }

  async function save() {
    try {
      const { xml } = await modeler.saveXML({ format: true });
      downloadFile(state.fileName.replace(/\.xml$/i, '.bpmn'), xml);
    } catch (error) {
      notifyError(error, 'Could not save the diagram');
    }
  }

  function clearDeployErrors() {
    const canvasService = modeler.get('canvas');
    for (const id of state.markers) {
      if (modeler.get('elementRegistry').get(id)) canvasService.removeMarker(id, ERROR_MARKER);
    }
    state.markers = [];
    problems.hidden = true;
    problems.replaceChildren();
  }

  function showElement(id) {
    const element = modeler.get('elementRegistry').get(id);
    if (!element) return;
    modeler.get('selection').select(element);
    modeler.get('canvas').scrollToElement(element);
  }

  /** Lists the server's parse errors above the canvas and marks each offending element. */
  function showDeployError(error, resourceName) {
    const resource = error.details?.[resourceName] || Object.values(error.details || {})[0];
    const entries = resource?.errors?.length ? resource.errors : [{ message: errorMessage(error), mainElementId: null }];
    const registry = modeler.get('elementRegistry');
    for (const entry of entries) {
      const id = entry.mainElementId;
      if (id && registry.get(id) && !state.markers.includes(id)) {
        modeler.get('canvas').addMarker(id, ERROR_MARKER);
        state.markers.push(id);
      }
    }
    problems.replaceChildren(
      h('h2', { id: 'deploy-problems-title' }, 'The server refused the deployment'),
      h(
        'ul',
        { role: 'alert' },
        entries.map((entry) =>
          h('li', {}, entry.message, entry.mainElementId && registry.get(entry.mainElementId) ? [' ', h('button', { type: 'button', class: 'link', onclick: () => showElement(entry.mainElementId) }, `Show ${entry.mainElementId}`)] : null),
        ),
      ),
    );
    problems.hidden = false;
    if (state.markers.length) showElement(state.markers[0]);
  }

  async function confirmLintErrors() {
    const { errors, warnings } = await lintDiagram(modeler);
    if (!modeler.get('linting').isActive()) modeler.get('linting').toggle(true);
    if (errors.length === 0) {
      if (warnings.length) notify(`Deploying with ${warnings.length} lint warning(s); they are marked on the canvas.`);
      return true;
    }
    const list = errors.slice(0, 8).map((e) => `• ${e.message} (${e.id})`).join('\n');
    return confirmDialog('Deploy with lint errors?', `bpmnlint found ${errors.length} error(s), marked on the canvas:\n${list}${errors.length > 8 ? '\n…' : ''}\n\nThe server may refuse the diagram or run it differently than intended.`, { confirmLabel: 'Deploy anyway' });
  }

  async function deploy() {
    clearDeployErrors();
    const [process] = processesOf(modeler);
    if (!process) {
      notify('The diagram has no executable process to deploy.', { kind: 'error' });
      return;
    }
    if (!(await confirmLintErrors())) return;
    deployButton.disabled = true;
    const resourceName = `${process.id}.bpmn`;
    try {
      const { xml } = await modeler.saveXML({ format: true });
      const deployment = await api.deploy([{ name: resourceName, content: xml, type: 'application/xml' }], { 'deployment-name': process.id, 'enable-duplicate-filtering': true, 'deployment-source': 'web-modeler' });
      const fresh = Object.values(deployment.deployedProcessDefinitions || {}).find((d) => d.key === process.id);
      const definition = fresh || (await api.get(`/process-definition/key/${encodeURIComponent(process.id)}`));
      state.deployed = definition;
      startButton.disabled = false;
      startButton.removeAttribute('title');
      status.textContent = `${definition.name || definition.key} · version ${definition.version}`;
      notify(fresh ? `Deployed ${definition.name || definition.key} as version ${definition.version}.` : `${definition.name || definition.key} is unchanged; version ${definition.version} stays current.`, {
        kind: 'success',
        timeout: 12000,
        action: { label: 'Start instance', run: () => void startInstance() },
      });
      void loadDefinitionList();
    } catch (error) {
      if (error.details) {
        showDeployError(error, resourceName);
        notify(`Deployment failed: the server refused the diagram (${error.type}); the problems are listed above the canvas.`, { kind: 'error' });
      } else {
        notifyError(error, 'Deployment failed');
      }
    } finally {
      deployButton.disabled = false;
    }
  }

  async function startInstance() {
    if (!state.deployed) return;
    const instance = await startInstanceDialog(api, state.deployed);
    if (instance) {
      notify(`Started instance ${instance.id}.`, { kind: 'success' });
      navigate(`/instances/${encodeURIComponent(instance.id)}`);
    }
  }

  deployButton.addEventListener('click', () => void deploy());
  startButton.addEventListener('click', () => void startInstance());
  fileInput.addEventListener('change', () => {
    void openFile(fileInput.files?.[0]);
    fileInput.value = '';
  });
  definitionSelect.addEventListener('change', () => {
    if (definitionSelect.value) navigate(`/modeler?definition=${encodeURIComponent(definitionSelect.value)}`);
  });
  const onDragOver = (event) => {
    if (![...(event.dataTransfer?.types || [])].includes('Files')) return;
    event.preventDefault();
    editor.classList.add('dragging');
  };
  const onDragLeave = (event) => {
    if (event.target === editor || !editor.contains(event.relatedTarget)) editor.classList.remove('dragging');
  };
  const onDrop = (event) => {
    if (!event.dataTransfer?.files?.length) return;
    event.preventDefault();
    editor.classList.remove('dragging');
    void openFile(event.dataTransfer.files[0]);
  };
  editor.addEventListener('dragover', onDragOver);
  editor.addEventListener('dragleave', onDragLeave);
  editor.addEventListener('drop', onDrop);

  void loadDefinitionList();
  if (params.definition) await openDefinition(params.definition);
  else await openXml(newDiagramXml(), 'diagram.bpmn');

  return () => {
    if (window.bpmnModeler === modeler) delete window.bpmnModeler;
    modeler.destroy();
  };
}
