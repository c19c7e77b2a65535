/** The operations and task pages' stylesheet, injected once (uses the shell's CSS variables, with fallbacks). */

const CSS = `
.ops-page { padding: 16px 24px 32px; display: flex; flex-direction: column; gap: 16px; min-width: 0; }
.ops-page h1 { font-size: 20px; margin: 0; }
.ops-page h2 { font-size: 16px; margin: 0 0 8px; }
.ops-header { display: flex; align-items: center; gap: 12px; flex-wrap: wrap; }
.ops-header .ops-spacer { flex: 1; }
.ops-breadcrumbs { font-size: 13px; color: var(--color-muted, #5b6473); }
.ops-breadcrumbs a { color: inherit; }
.ops-meta { display: flex; gap: 24px; flex-wrap: wrap; margin: 0; }
.ops-meta div { display: flex; flex-direction: column; }
.ops-meta dt { font-size: 12px; color: var(--color-muted, #5b6473); }
.ops-meta dd { margin: 0; font-weight: 600; overflow-wrap: anywhere; }
.ops-summary { display: flex; gap: 12px; flex-wrap: wrap; }
.ops-card { background: var(--color-surface, #fff); border: 1px solid var(--color-border, #d5d9e0); border-radius: 6px; padding: 10px 16px; min-width: 140px; }
.ops-card .ops-card-value { font-size: 22px; font-weight: 600; }
.ops-card .ops-card-label { color: var(--color-muted, #5b6473); font-size: 12px; }
.ops-card.ops-card-incidents .ops-card-value { color: var(--color-error, #c4262e); }
.ops-section { background: var(--color-surface, #fff); border: 1px solid var(--color-border, #d5d9e0); border-radius: 6px; padding: 12px 16px; min-width: 0; }
.ops-table { width: 100%; border-collapse: collapse; background: var(--color-surface, #fff); }
.ops-table th, .ops-table td { text-align: left; padding: 7px 10px; border-bottom: 1px solid var(--color-border, #d5d9e0); vertical-align: top; }
.ops-table th { font-size: 12px; text-transform: uppercase; letter-spacing: 0.03em; color: var(--color-muted, #5b6473); background: #f0f2f5; }
.ops-table td.ops-num, .ops-table th.ops-num { text-align: right; font-variant-numeric: tabular-nums; }
.ops-table .ops-actions { white-space: nowrap; text-align: right; }
.ops-table td { vertical-align: middle; }
.ops-table td.ops-actions > * + * { margin-left: 6px; }
.ops-table tr.ops-selected td { background: #eaf1fd; }
.ops-table code, .ops-mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
.ops-value { max-width: 420px; overflow-wrap: anywhere; white-space: pre-wrap; }
.ops-empty, .ops-hint { color: var(--color-muted, #5b6473); margin: 8px 0; }
.ops-error { background: var(--color-error-bg, #fdeced); color: var(--color-error, #c4262e); border: 1px solid currentColor; border-radius: 4px; padding: 8px 12px; margin: 4px 0; }
.ops-success { background: var(--color-success-bg, #e7f6ec); color: var(--color-success, #167c3c); border: 1px solid currentColor; border-radius: 4px; padding: 8px 12px; margin: 4px 0; }
.ops-messages:empty { display: none; }
.ops-field-error { display: block; color: var(--color-error, #c4262e); font-size: 12px; margin-top: 2px; }
[aria-invalid="true"] { border-color: var(--color-error, #c4262e) !important; }
.ops-state { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600; border: 1px solid transparent; white-space: nowrap; }
.ops-state-running { background: #e8f0fd; color: #1a4fa8; }
.ops-state-suspended { background: var(--color-warning-bg, #fff6dd); color: #7a5600; border-color: #e6c66a; }
.ops-state-incident { background: var(--color-error-bg, #fdeced); color: var(--color-error, #c4262e); }
.ops-state-completed { background: var(--color-success-bg, #e7f6ec); color: var(--color-success, #167c3c); }
.ops-state-terminated { background: #eceef2; color: #4b5363; }
.ops-count-incidents { color: var(--color-error, #c4262e); font-weight: 600; }
button.danger { background: var(--color-error, #c4262e); border-color: var(--color-error, #c4262e); color: #fff; }
.ops-icon-button { padding: 2px 8px; line-height: 1.4; }
.ops-link-button { background: none; border: none; padding: 0; color: var(--color-primary, #1a61d6); text-decoration: underline; cursor: pointer; font: inherit; }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, textarea:focus-visible, [tabindex]:focus-visible { outline: 2px solid #f5b400; outline-offset: 1px; box-shadow: var(--focus, 0 0 0 3px #f5b400); }
.ops-tabs { display: flex; gap: 2px; border-bottom: 1px solid var(--color-border, #d5d9e0); }
.ops-tabs [role="tab"] { border: 1px solid transparent; border-bottom: none; border-radius: 4px 4px 0 0; background: none; padding: 8px 14px; color: var(--color-muted, #5b6473); }
.ops-tabs [role="tab"][aria-selected="true"] { background: var(--color-surface, #fff); border-color: var(--color-border, #d5d9e0); color: var(--color-text, #1d2330); font-weight: 600; margin-bottom: -1px; }
.ops-tab-panel { background: var(--color-surface, #fff); border: 1px solid var(--color-border, #d5d9e0); border-top: none; padding: 12px 16px; min-height: 80px; overflow-x: auto; }
.ops-diagram { position: relative; margin: 0; background: var(--color-surface, #fff); border: 1px solid var(--color-border, #d5d9e0); border-radius: 6px; overflow: hidden; }
.ops-diagram-canvas { width: 100%; }
.ops-diagram-status { position: absolute; inset: 0; display: flex; align-items: center; justify-content: center; margin: 0; color: var(--color-muted, #5b6473); }
.ops-diagram-controls { position: absolute; right: 8px; top: 8px; display: flex; flex-direction: column; gap: 4px; }
.ops-diagram-controls button { width: 30px; height: 30px; padding: 0; font-size: 16px; }
.ops-diagram .djs-element.ops-active .djs-visual > :first-child { stroke: #1a61d6 !important; stroke-width: 3px !important; fill: #e3edfd !important; }
.ops-diagram .djs-element.ops-incident .djs-visual > :first-child { stroke: #c4262e !important; stroke-width: 3px !important; fill: #fdeced !important; }
.ops-diagram .djs-element.ops-taken .djs-visual > :first-child { fill: #eef7f1 !important; }
.ops-diagram .djs-element.ops-selectable { cursor: pointer; }
.ops-diagram .djs-element.ops-filter .djs-visual > :first-child { stroke: #f5b400 !important; stroke-width: 4px !important; }
.ops-badge { display: inline-block; min-width: 20px; padding: 1px 6px; border-radius: 10px; font-size: 12px; font-weight: 700; text-align: center; color: #fff; box-shadow: 0 1px 2px rgba(0,0,0,0.25); font-family: system-ui, sans-serif; }
.ops-badge-tokens { background: #1a61d6; }
.ops-badge-incidents { background: #c4262e; }
.ops-dialog { border: 1px solid var(--color-border, #d5d9e0); border-radius: 8px; padding: 0; width: min(720px, 94vw); box-shadow: 0 10px 40px rgba(0,0,0,0.25); }
.ops-dialog::backdrop { background: rgba(20, 26, 38, 0.45); }
.ops-dialog form { padding: 16px 20px; display: flex; flex-direction: column; gap: 12px; }
.ops-dialog h2 { margin: 0; font-size: 18px; }
.ops-dialog-buttons { display: flex; justify-content: flex-end; gap: 8px; }
.ops-field { display: flex; flex-direction: column; gap: 4px; }
.ops-field label, .ops-label { font-weight: 600; font-size: 13px; }
.ops-field-grow { flex: 1; min-width: 0; }
.ops-fieldset { border: 1px solid var(--color-border, #d5d9e0); border-radius: 6px; padding: 8px 12px 12px; margin: 0; }
.ops-fieldset legend { font-weight: 600; padding: 0 4px; }
.ops-variable-list { display: flex; flex-direction: column; gap: 8px; margin-bottom: 8px; }
.ops-variable-row { display: flex; gap: 8px; align-items: flex-end; flex-wrap: wrap; }
.ops-variable-row .ops-var-name { width: 160px; }
.ops-variable-row .ops-var-input { width: 100%; }
.ops-variable-row .ops-var-input[type="checkbox"], .ops-task-form input[type="checkbox"] { width: auto; justify-self: start; margin: 8px 0; }
.ops-code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; width: 100%; }
.ops-inline-form { display: flex; gap: 8px; align-items: flex-start; flex-wrap: wrap; }
.ops-visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.ops-filters { display: flex; gap: 12px; align-items: flex-end; flex-wrap: wrap; }
.ops-segmented { display: inline-flex; border: 1px solid var(--color-border, #d5d9e0); border-radius: 4px; overflow: hidden; }
.ops-segmented button { border: none; border-radius: 0; border-right: 1px solid var(--color-border, #d5d9e0); }
.ops-segmented button:last-child { border-right: none; }
.ops-segmented button[aria-pressed="true"] { background: var(--color-primary, #1a61d6); color: #fff; }
.ops-tasks { display: grid; grid-template-columns: minmax(280px, 380px) 1fr; gap: 16px; align-items: start; }
.ops-task-list { list-style: none; margin: 0; padding: 0; background: var(--color-surface, #fff); border: 1px solid var(--color-border, #d5d9e0); border-radius: 6px; max-height: 70vh; overflow: auto; }
.ops-task-list li + li { border-top: 1px solid var(--color-border, #d5d9e0); }
.ops-task-item { display: block; width: 100%; text-align: left; border: none; border-radius: 0; background: none; padding: 10px 12px; }
.ops-task-item[aria-current="true"] { background: #eaf1fd; box-shadow: inset 3px 0 0 var(--color-primary, #1a61d6); }
.ops-task-item .ops-task-name { font-weight: 600; display: block; }
.ops-task-item .ops-task-sub { color: var(--color-muted, #5b6473); font-size: 12px; display: block; }
.ops-task-form { display: flex; flex-direction: column; gap: 10px; }
.ops-task-form .ops-form-row { display: grid; grid-template-columns: 200px 1fr; gap: 8px; align-items: center; }
.ops-task-form .ops-form-row label { font-weight: 600; overflow-wrap: anywhere; }
.ops-task-form .ops-form-row .ops-type { color: var(--color-muted, #5b6473); font-weight: 400; font-size: 12px; margin-left: 4px; }
.ops-buttons { display: flex; gap: 8px; flex-wrap: wrap; align-items: center; }
.ops-job-failed { color: var(--color-danger, #b42318); font-weight: 600; }
.ops-placeholder { padding: 16px; border: 1px dashed var(--color-border, #d5d9e0); border-radius: 6px; color: var(--color-muted, #5b6473); }
.ops-comment-list { list-style: none; margin: 0 0 12px; padding: 0; display: flex; flex-direction: column; gap: 8px; }
.ops-comment { background: var(--color-surface, #fff); border: 1px solid var(--color-border, #d5d9e0); border-radius: 6px; padding: 8px 12px; }
.ops-comment-message { margin: 0 0 4px; white-space: pre-wrap; overflow-wrap: anywhere; }
.ops-comment .ops-hint { margin: 0; }
.ops-comment-form, .ops-attachment-form { display: flex; flex-direction: column; gap: 8px; margin-top: 12px; max-width: 560px; }
@media (max-width: 900px) { .ops-tasks { grid-template-columns: 1fr; } .ops-task-form .ops-form-row { grid-template-columns: 1fr; } }
`;

/** Adds the stylesheet to the document once. */
export function ensureStyles() {
  if (document.getElementById('ops-styles')) return;
  const style = document.createElement('style');
  style.id = 'ops-styles';
  style.textContent = CSS;
  document.head.append(style);
}
