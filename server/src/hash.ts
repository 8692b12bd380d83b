import { createHash } from 'node:crypto';
import type { Sha256Hex } from '@graphwright/shared';

/** node:crypto's SHA-256: the same hash as shared's pure-JS one, ~15x faster for large documents. */
export const sha256Node: Sha256Hex = (data) => createHash('sha256').update(data).digest('hex');
