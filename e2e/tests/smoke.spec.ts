import { expect, test } from '@playwright/test';

test('the app loads from the one-port server and reaches the API', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Graphwright' })).toBeVisible();
  await expect(page.getByTestId('server-status')).toHaveText('server connected');
});
