import { uuidv7 } from 'uuidv7';
import type { Clock, IdGenerator } from '../../ports/clock.js';

/** UUIDv7: time-ordered and monotonic within the process, so ids double as a stable sort key. */
export const uuidv7Ids: IdGenerator = { next: () => uuidv7() };
export const systemClock: Clock = { now: () => new Date() };
