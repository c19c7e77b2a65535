/**
 * The journey through the real app: model a user task, set its candidate group in the properties panel,
 * deploy, start an instance, see the token on the task, complete it in the task list, see the instance completed.
 */
import { expect } from 'chai';
import { screenshot, useWebApp } from './support/browser.js';
import { appendAfterStart } from './support/modeler-actions.js';

const SUITE = 'web/journey (browser)';

describe(SUITE, function () {
  this.timeout(90_000);
  const web = useWebApp(SUITE);

  it('should take a diagram from the modeler to a completed instance', async () => {
    const page = web.page;

    // given a new diagram with a user task whose candidate group is typed into the properties panel
    await page.goto(`${web.app.url}/#/modeler`);
    await page.locator('.djs-element[data-element-id="StartEvent_1"]').waitFor({ state: 'visible' });
    const [taskId] = await appendAfterStart(page, 'journey_review', [
      { type: 'bpmn:UserTask', name: 'Review claim' },
      { type: 'bpmn:EndEvent', name: 'Reviewed' },
    ]);
    await page.locator(`.djs-element[data-element-id="${taskId}"]`).click();
    await page.locator('.bio-properties-panel-group-header', { hasText: 'User assignment' }).click();
    const candidateGroups = page.getByLabel('Candidate groups', { exact: true });
    await candidateGroups.fill('claims');
    await candidateGroups.press('Tab');

    // when it is deployed and an instance is started from the toolbar
    await page.getByRole('button', { name: 'Deploy', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Deployed' }).waitFor();
    await page.getByRole('toolbar').getByRole('button', { name: 'Start instance' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Business key').fill('claim-1');
    await dialog.getByRole('button', { name: 'Start', exact: true }).click();
    await page.waitForURL(/#\/instances\/[^/]+$/);
    const instanceId = decodeURIComponent(new URL(page.url()).hash.split('/')[2]);

    // then the instance view shows the token on the task
    await page.locator(`.djs-element[data-element-id="${taskId}"].ops-active`).waitFor();
    await screenshot(page, 'journey-instance-waiting');

    // when the task is claimed and completed in the task list, filtered by its candidate group
    await page.goto(`${web.app.url}/#/tasks`);
    await page.getByLabel('Working as').fill('demo');
    await page.getByLabel('Candidate group').fill('claims');
    await page.getByRole('button', { name: 'Filter', exact: true }).click();
    const item = page.locator(`.ops-task-item[data-task-definition-key="${taskId}"]`);
    await item.waitFor();
    await item.click();
    await page.getByRole('button', { name: 'Claim', exact: true }).click();
    await page.getByText('You claimed “Review claim”.').waitFor();
    await page.locator('.ops-task-assignee').getByText('demo').waitFor();
    await screenshot(page, 'journey-task-list');
    await page.getByRole('button', { name: 'Complete' }).click();
    await page.getByText('Completed “Review claim”.').waitFor();

    // then the instance is completed in history
    await page.goto(`${web.app.url}/#/instances/${encodeURIComponent(instanceId)}`);
    await page.locator('.ops-ended-notice').getByText(/This instance has ended: completed/).waitFor();
    await screenshot(page, 'journey-instance-completed');
    const [history] = await fetch(`${web.app.url}/engine-rest/history/process-instance?processInstanceId=${instanceId}`).then((r) => r.json());
    expect(history).to.include({ state: 'COMPLETED', businessKey: 'claim-1' });
  });
});
