import { expect, test } from '@playwright/test';
import { importGraph, oneCallGraph, startRun, waitForPhase } from './run-helpers';
import { ACCESS_TOKEN, tokenPort } from './servers';

const base = `http://127.0.0.1:${tokenPort}`;

test('a server that needs an access token asks for it once; HTTP calls and live events then carry it', async ({
  page,
}) => {
  const id = await importGraph(page.request, oneCallGraph('Token', { provider: 'fake', model: 'echo' }), {
    baseURL: base,
    token: ACCESS_TOKEN,
  });
  await page.goto(`${base}/graphs/${id}`);
  await expect(page.getByTestId('token-prompt')).toBeVisible();

  // A wrong token is refused, and the prompt says so.
  await page.getByTestId('token-input').fill('not-the-token-at-all');
  await page.getByTestId('token-save').click();
  await expect(page.getByTestId('token-prompt')).toContainText('did not accept');

  await page.getByTestId('token-input').fill(ACCESS_TOKEN);
  const sse = page.waitForRequest((r) => r.url().includes('/trpc/run.events'));
  await page.getByTestId('token-save').click();
  await expect(page.getByTestId('server-status')).toHaveText('server connected');
  await expect(page.getByTestId('editor')).toBeVisible();
  await expect(page.getByTestId('token-prompt')).toHaveCount(0);
  expect(await page.evaluate(() => localStorage.getItem('graphwright.accessToken'))).toBe(ACCESS_TOKEN);

  const authorized = page.waitForRequest(
    (r) => r.url().includes('/trpc/run.start') && r.headers().authorization === `Bearer ${ACCESS_TOKEN}`,
  );
  await startRun(page);
  await authorized;
  expect(new URL((await sse).url()).searchParams.get('token')).toBe(ACCESS_TOKEN);
  await waitForPhase(page, 'finished');
  await expect(page.getByTestId('block-node-write')).toHaveAttribute('data-status', 'done');
});
