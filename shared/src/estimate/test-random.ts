/** Seeded samples for the estimate tests: reproducible across runs. */
export { logNormal, mulberry32 as seeded, normal } from '../random';
