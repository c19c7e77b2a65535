/** With the server's Basic authentication on, the app asks for credentials and sends them with every request. */
import { expect } from 'chai';
import { screenshot, useWebApp } from './support/browser.js';

const SUITE = 'web/authentication (browser)';

describe(SUITE, function () {
  this.timeout(60_000);
  const web = useWebApp(SUITE, { basicAuthUsers: new Map([['demo', 's3cret']]) });

  it('should ask for credentials on the real server\'s 401 and then show the protected page', async () => {
    // given the server refuses the REST API without credentials
    const plain = await fetch(`${web.app.url}/engine-rest/process-definition`);
    expect(plain.status).to.equal(401);

    // when the user opens the processes page and signs in
    await web.page.goto(`${web.app.url}/#/processes`);
    const dialog = web.page.getByRole('dialog', { name: 'Sign in' });
    await dialog.getByLabel('User name').fill('demo');
    await dialog.getByLabel('Password').fill('s3cret');
    await dialog.getByRole('button', { name: 'Sign in' }).click();

    // then the page loads its data with those credentials, and the next screen needs no new sign-in
    await dialog.waitFor({ state: 'detached' });
    await web.page.getByRole('heading', { name: 'Processes' }).waitFor();
    await web.page.goto(`${web.app.url}/#/tasks`);
    await web.page.getByRole('heading', { name: 'Tasks' }).waitFor();
    expect(await web.page.getByRole('dialog', { name: 'Sign in' }).count()).to.equal(0);
    await screenshot(web.page, 'auth-signed-in');
  });
});
