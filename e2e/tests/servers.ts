/** Ports and secrets of the servers the browser tests start (see playwright.config.ts). */
export const port = Number(process.env.GW_E2E_PORT ?? 4399);
/** The fake OpenAI-compatible server (scenarios by model name: retries, slow streams). */
export const fakePort = Number(process.env.GW_E2E_FAKE_PORT ?? port - 1);
/** A second app server that requires an access token. */
export const tokenPort = Number(process.env.GW_E2E_TOKEN_PORT ?? port + 1);
export const ACCESS_TOKEN = 'e2e-access-token-0123456789';
/** The fake provider's API key: a canary that must never reach a browser (see security.spec.ts). */
export const CANARY_KEY = 'sk-canary-e2e-7f3a9c2b5d1e4f60a8b7';
