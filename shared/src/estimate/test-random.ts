/** Seeded random numbers for the estimate tests (mulberry32 + Box–Muller): reproducible samples. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function normal(rand: () => number): number {
  const u = Math.max(rand(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

/** A log-normal sample with median `median` and log-space spread `sigma`. */
export function logNormal(rand: () => number, median: number, sigma: number): number {
  return median * Math.exp(sigma * normal(rand));
}
