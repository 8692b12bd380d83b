/** Ports and secrets of the servers the browser tests start (see playwright.config.ts). */
export const port = Number(process.env.GW_E2E_PORT ?? 4399);
/** The fake OpenAI-compatible server (scenarios by model name: retries, slow streams). */
export const fakePort = Number(process.env.GW_E2E_FAKE_PORT ?? port - 1);
/** A second app server that requires an access token. */
export const tokenPort = Number(process.env.GW_E2E_TOKEN_PORT ?? port + 1);
export const ACCESS_TOKEN = 'e2e-access-token-0123456789';
