import { parentPort, workerData } from 'node:worker_threads';
import { type IntentExample, serializeIntentModel, trainIntentModel } from './intent-model.js';

/**
 * Trains an intent model off the main thread (the server keeps answering meanwhile). Receives the
 * examples as workerData; posts `{ progress }` messages, then `{ model }` (serialised) or `{ error }`.
 */
const { examples } = workerData as { examples: IntentExample[] };
try {
  const model = await trainIntentModel(examples, { onProgress: (p) => parentPort?.postMessage({ progress: p.done / p.total }) });
  parentPort?.postMessage({ model: serializeIntentModel(model) });
} catch (err) {
  parentPort?.postMessage({ error: err instanceof Error ? err.message : String(err) });
}
