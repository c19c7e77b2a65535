/** The app shell in Chromium: keyboard navigation with titles per screen, and credentials asked for on a 401. */
import { expect } from 'chai';
import { screenshot, useWebApp } from './support/browser.js';

const SUITE = 'web/app shell (browser)';

describe(SUITE, function () {
  this.timeout(60_000);
  const web = useWebApp(SUITE);

  it('should reach every screen from the keyboard, each with its own title and the current link marked', async function () {
    // given
    await web.page.goto(`${web.app.url}/#/tasks`);
    await web.page.getByRole('heading', { name: 'Tasks' }).waitFor();
    expect(await web.page.title()).to.equal('Tasks · Process engine');

    // when: Tab from the skip link to the third navigation link (Processes) and follow it
    await web.page.keyboard.press('Tab');
    expect(await web.page.evaluate(() => document.activeElement?.textContent)).to.equal('Skip to content');
    for (const _ of [1, 2, 3]) await web.page.keyboard.press('Tab');
    expect(await web.page.evaluate(() => document.activeElement?.textContent)).to.equal('Processes');
    await web.page.keyboard.press('Enter');

    // then
    await web.page.waitForURL(/#\/processes$/);
    await web.page.getByRole('heading', { name: 'Processes' }).waitFor();
    expect(await web.page.title()).to.equal('Processes · Process engine');
    expect(await web.page.getByRole('link', { name: 'Processes' }).getAttribute('aria-current')).to.equal('page');
    await screenshot(web.page, 'shell-processes');
  });

  it('should send an unknown route to the modeler', async function () {
    // when
    await web.page.goto(`${web.app.url}/#/nowhere`);

    // then
    await web.page.waitForURL(/#\/modeler$/);
  });

  it('should ask for credentials when the server answers 401 and retry with Basic auth', async function () {
    // given: a server that wants credentials for the definition list
    const seen: (string | undefined)[] = [];
    await web.page.route('**/engine-rest/process-definition?*', async (route) => {
      const authorization = route.request().headers().authorization;
      seen.push(authorization);
      if (authorization === `Basic ${Buffer.from('demo:s3cret').toString('base64')}`) await route.fulfill({ status: 200, contentType: 'application/json', body: '[]' });
      else await route.fulfill({ status: 401, headers: { 'WWW-Authenticate': 'Basic realm="default"' }, body: '' });
    });

    // when
    await web.page.goto(`${web.app.url}/#/modeler`);
    const dialog = web.page.getByRole('dialog', { name: 'Sign in' });
    await dialog.getByLabel('User name').fill('demo');
    await dialog.getByLabel('Password').fill('s3cret');
    await screenshot(web.page, 'shell-sign-in');
    await dialog.getByRole('button', { name: 'Sign in' }).click();

    // then
    await dialog.waitFor({ state: 'detached' });
    expect(seen).to.have.length(2);
    expect(seen[0]).to.equal(undefined);
    expect(seen[1]).to.equal('Basic ZGVtbzpzM2NyZXQ=');
  });
});
