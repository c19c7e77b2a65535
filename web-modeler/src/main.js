/** App shell: hash routing to lazily loaded pages, the current page marked in the navigation, errors shown in the page. */
import { api } from './api.js';
import { errorMessage, h, notifyError, setTitle } from './ui.js';

/** Routes: `#/<path>?<query>`; captured path segments become params under `keys`. Every page loads on demand. */
const ROUTES = [
  { pattern: /^\/modeler$/, nav: 'modeler', load: () => import('./pages/modeler/index.js').then((m) => m.mount) },
  { pattern: /^\/decisions$/, nav: 'decisions', load: () => import('./pages/decisions/index.js').then((m) => m.mount) },
  { pattern: /^\/processes$/, nav: 'processes', load: () => import('./pages/operations/index.js').then((m) => m.mountProcesses) },
  { pattern: /^\/processes\/([^/]+)$/, keys: ['definitionId'], nav: 'processes', load: () => import('./pages/operations/index.js').then((m) => m.mountDefinition) },
  { pattern: /^\/instances\/([^/]+)$/, keys: ['instanceId'], nav: 'processes', load: () => import('./pages/operations/index.js').then((m) => m.mountInstance) },
  { pattern: /^\/tasks$/, nav: 'tasks', load: () => import('./pages/tasks/index.js').then((m) => m.mountTasks) },
];
const HOME = '/modeler';

/** Splits `#/instances/42?tab=history` into the route and its params. */
export function parseHash(hash) {
  const [path, query = ''] = hash.replace(/^#/, '').split('?');
  for (const route of ROUTES) {
    const match = route.pattern.exec(path);
    if (!match) continue;
    const params = Object.fromEntries(new URLSearchParams(query));
    (route.keys || []).forEach((key, index) => {
      params[key] = decodeURIComponent(match[index + 1]);
    });
    return { route, params };
  }
  return null;
}

export function navigate(path) {
  const hash = `#${path.startsWith('/') ? path : `/${path}`}`;
  if (location.hash === hash) void render();
  else location.hash = hash;
}

const container = document.getElementById('main');
let cleanup = null;
let renderCount = 0;

function markNavigation(nav) {
  for (const link of document.querySelectorAll('[data-nav]')) {
    if (link.dataset.nav === nav) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

async function render() {
  const target = parseHash(location.hash);
  if (!target) {
    location.replace(`#${HOME}`);
    return;
  }
  const current = ++renderCount;
  try {
    cleanup?.();
  } catch (error) {
    console.error(error);
  }
  cleanup = null;
  markNavigation(target.route.nav);
  container.replaceChildren(h('p', { class: 'loading', role: 'status' }, 'Loading…'));
  try {
    const mount = await target.route.load();
    if (current !== renderCount) return;
    container.replaceChildren();
    const result = await mount(container, { api, navigate, params: target.params });
    if (current !== renderCount) {
      if (typeof result === 'function') result();
      return;
    }
    cleanup = typeof result === 'function' ? result : null;
  } catch (error) {
    if (current !== renderCount) return;
    setTitle('Error');
    container.replaceChildren(h('div', { class: 'page' }, h('h1', {}, 'This page could not be opened'), h('p', { role: 'alert' }, errorMessage(error))));
    notifyError(error, 'Could not open the page');
  }
}

// The skip link must not change the hash, which is the route.
document.querySelector('.skip-link')?.addEventListener('click', (event) => {
  event.preventDefault();
  container.focus();
});
// Who is signed in, with a way out: after signing out, the page reloads its data and the server asks again.
const userBox = document.querySelector('.app-user');
function showUser(user) {
  if (!userBox) return;
  userBox.hidden = !user;
  userBox.querySelector('[data-user]').textContent = user ? `Signed in as ${user}` : '';
}
api.onUserChange(showUser);
showUser(api.currentUser());
userBox?.querySelector('[data-sign-out]')?.addEventListener('click', () => {
  api.signOut();
  void render();
});
window.addEventListener('hashchange', () => void render());
window.addEventListener('unhandledrejection', (event) => notifyError(event.reason));
void render();
