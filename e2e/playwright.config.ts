import { defineConfig, devices } from '@playwright/test';

const port = Number(process.env.GW_E2E_PORT ?? 4399);

/** Browser tests against the real server (built web app + API on one port, simulated provider, temp data folder). */
export default defineConfig({
  testDir: './tests',
  outputDir: './artifacts/results',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    screenshot: 'on',
    trace: 'retain-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' },
      },
    },
  ],
  webServer: {
    command: `rm -rf ../data-e2e && GW_PORT=${port} GW_DATA_DIR=data-e2e GW_LOG_LEVEL=warn pnpm -C ../server -s serve`,
    url: `http://127.0.0.1:${port}/`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    stderr: 'pipe',
  },
});
