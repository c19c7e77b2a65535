/** A read-only BPMN diagram (bpmn-js NavigatedViewer) with token and incident badges, markers, and zoom controls. */
import { h } from './dom.js';

let viewerModule = null;

/** Loads bpmn-js's viewer on first use, so pages without a diagram do not pay for it. */
async function loadViewer() {
  viewerModule ??= import('bpmn-js/lib/NavigatedViewer');
  return (await viewerModule).default;
}

/**
 * Creates a diagram view in a figure; `label` names it for assistive technology, `onElementClick(id, element)` is
 * called for clicks on flow nodes. Call `show(xml)` then decorate with `badges`/`markers`.
 */
export function createDiagramView({ label, onElementClick, height = 420 } = {}) {
  const canvasHost = h('div', { class: 'ops-diagram-canvas', style: `height:${height}px` });
  const status = h('p', { class: 'ops-diagram-status' }, 'Loading diagram…');
  const zoom = (action) => () => {
    if (!viewer) return;
    const canvas = viewer.get('canvas');
    if (action === 'fit') canvas.zoom('fit-viewport', 'auto');
    else canvas.zoom(canvas.zoom() * (action === 'in' ? 1.25 : 0.8));
  };
  const controls = h('div', { class: 'ops-diagram-controls' },
    h('button', { type: 'button', 'aria-label': 'Zoom in', title: 'Zoom in', onClick: zoom('in') }, '+'),
    h('button', { type: 'button', 'aria-label': 'Zoom out', title: 'Zoom out', onClick: zoom('out') }, '−'),
    h('button', { type: 'button', 'aria-label': 'Fit diagram', title: 'Fit diagram', onClick: zoom('fit') }, '⤢'));
  const element = h('figure', { class: 'ops-diagram', 'aria-label': label ?? 'Process diagram' }, canvasHost, controls, status);
  let viewer = null;
  let destroyed = false;
  let elements = null;
  /** Every flow element of the imported definitions by id, nested ones included. */
  const elementsById = () => {
    if (elements || !viewer) return elements ?? new Map();
    elements = new Map();
    const visit = (element) => {
      for (const child of element?.flowElements ?? []) {
        elements.set(child.id, child);
        visit(child);
      }
    };
    for (const root of viewer.getDefinitions()?.rootElements ?? []) visit(root);
    return elements;
  };

  return {
    element,
    /** Imports the XML and fits it; resolves false (with a message in the figure) when it cannot be shown. */
    async show(xml) {
      try {
        const NavigatedViewer = await loadViewer();
        if (destroyed) return false;
        viewer = new NavigatedViewer({ container: canvasHost });
        await viewer.importXML(xml);
        if (destroyed) return false;
        viewer.get('canvas').zoom('fit-viewport', 'auto');
        if (onElementClick) {
          viewer.get('eventBus').on('element.click', (event) => {
            const { element: shape } = event;
            if (shape.type && shape.type !== 'bpmn:Process' && !shape.waypoints) onElementClick(shape.id, shape);
          });
        }
        status.remove();
        element.classList.add('ops-diagram-ready');
        return true;
      } catch (error) {
        status.textContent = `The diagram cannot be shown: ${error.message}`;
        status.setAttribute('role', 'alert');
        return false;
      }
    },
    /** The element's name (or id) in the diagram, for text alternatives. */
    nameOf(id) {
      const shape = viewer?.get('elementRegistry').get(id);
      return shape?.businessObject?.name || elementsById().get(id)?.name || id;
    },
    has(id) {
      return Boolean(viewer?.get('elementRegistry').get(id));
    },
    /**
     * What an activity is there for, when its type does not say: an event sub-process or a compensation handler. Read
     * from the model, so also for elements the file draws no shape for.
     */
    roleOf(id) {
      const element = elementsById().get(id);
      if (element?.triggeredByEvent) return 'event sub-process';
      if (element?.isForCompensation) return 'compensation handler';
      return null;
    },
    /** Adds the CSS class `marker` to each element id (ignoring ids not in the diagram). */
    markers(ids, marker) {
      if (!viewer) return;
      const canvas = viewer.get('canvas');
      for (const id of ids) if (this.has(id)) canvas.addMarker(id, marker);
    },
    clearMarkers(marker) {
      if (!viewer) return;
      const canvas = viewer.get('canvas');
      for (const shape of viewer.get('elementRegistry').getAll()) canvas.removeMarker(shape.id, marker);
    },
    /**
     * Counts per activity as Cockpit draws them: running tokens bottom-left (blue), incidents bottom-right (red).
     * `counts` is `Map(id → { tokens, incidents })`.
     */
    badges(counts) {
      if (!viewer) return;
      const overlays = viewer.get('overlays');
      overlays.remove({ type: 'ops-count' });
      for (const [id, { tokens = 0, incidents = 0 }] of counts) {
        if (!this.has(id)) continue;
        const shape = viewer.get('elementRegistry').get(id);
        if (tokens > 0) {
          overlays.add(id, 'ops-count', {
            position: { bottom: 10, left: -8 },
            html: h('span', { class: 'ops-badge ops-badge-tokens', dataset: { activity: id, count: String(tokens) }, title: `${tokens} running at ${this.nameOf(id)}` }, String(tokens)),
          });
        }
        if (incidents > 0) {
          overlays.add(id, 'ops-count', {
            position: { bottom: 10, left: Math.max(shape.width - 18, 14) },
            html: h('span', { class: 'ops-badge ops-badge-incidents', dataset: { activity: id, count: String(incidents) }, title: `${incidents} incident${incidents === 1 ? '' : 's'} at ${this.nameOf(id)}` }, String(incidents)),
          });
        }
      }
    },
    destroy() {
      destroyed = true;
      viewer?.destroy();
      viewer = null;
    },
  };
}
