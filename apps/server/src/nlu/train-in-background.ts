import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { type IntentExample, serializeIntentModel, trainIntentModel } from './intent-model.js';

/**
 * Trains in a worker thread when the compiled worker is there (production builds), otherwise in this
 * thread, yielding between folds (tests and development run the TypeScript sources). Resolves with the
 * serialised model; rejects with the training error.
 */
export function trainInBackground(examples: readonly IntentExample[], onProgress: (fraction: number) => void): Promise<string> {
  const workerFile = fileURLToPath(new URL('./train-intent-worker.js', import.meta.url));
  if (!existsSync(workerFile)) {
    return trainIntentModel(examples, {
      onProgress: async (p) => {
        onProgress(p.done / p.total);
        await new Promise((r) => setImmediate(r));
      },
    }).then(serializeIntentModel);
  }
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerFile, { workerData: { examples } });
    let settled = false;
    worker.on('message', (m: { progress?: number; model?: string; error?: string }) => {
      if (m.progress !== undefined) onProgress(m.progress);
      if (m.model !== undefined) {
        settled = true;
        resolve(m.model);
      }
      if (m.error !== undefined) {
        settled = true;
        reject(new Error(m.error));
      }
    });
    worker.on('error', (err) => {
      settled = true;
      reject(err);
    });
    worker.on('exit', (code) => {
      if (!settled) reject(new Error(`training stopped (worker exit ${code})`));
    });
  });
}
