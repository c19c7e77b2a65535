/** With the server's authentication on, the app asks for credentials (configured or database users), sends them with every request, shows who signed in and signs out. */
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

  it('should sign in a user from the database, show who is signed in, and sign out', async () => {
    // given a user created over REST by the configured administrator
    const created = await fetch(`${web.app.url}/engine-rest/user/create`, {
      method: 'POST',
      headers: { Authorization: `Basic ${Buffer.from('demo:s3cret').toString('base64')}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ profile: { id: 'anna', firstName: 'Anna' }, credentials: { password: 'anna-pw' } }),
    });
    expect(created.status).to.equal(204);

    // when that user signs in (after a wrong password first)
    await web.page.goto(`${web.app.url}/#/tasks`);
    let dialog = web.page.getByRole('dialog', { name: 'Sign in' });
    await dialog.getByLabel('User name').fill('anna');
    await dialog.getByLabel('Password').fill('wrong');
    await dialog.getByRole('button', { name: 'Sign in' }).click();
    await dialog.getByRole('alert').waitFor();
    await dialog.getByLabel('User name').fill('anna');
    await dialog.getByLabel('Password').fill('anna-pw');
    await dialog.getByRole('button', { name: 'Sign in' }).click();

    // then the tasks page loads and the header names the user
    await dialog.waitFor({ state: 'detached' });
    await web.page.getByRole('heading', { name: 'Tasks' }).waitFor();
    await web.page.getByText('Signed in as anna').waitFor();
    await screenshot(web.page, 'auth-database-user');

    // and signing out forgets the credentials: the page asks again
    await web.page.getByRole('button', { name: 'Sign out' }).click();
    dialog = web.page.getByRole('dialog', { name: 'Sign in' });
    await dialog.waitFor();
    expect(await web.page.getByText('Signed in as anna').count()).to.equal(0);
    expect(await web.page.evaluate(() => sessionStorage.getItem('engine-rest-authorization'))).to.equal(null);
  });
});
