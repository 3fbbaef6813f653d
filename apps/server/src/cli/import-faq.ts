import { readFileSync, statSync } from 'node:fs';
import { DomainError } from '../domain/errors.js';
import { type FaqFormat, formatOf, importFaq } from '../usecases/import-faq.js';
import { findWorkspace, openDeps } from './open-deps.js';

const MAX_FILE_BYTES = 50 * 1024 * 1024;

export async function runImportFaq(file: string, opts: { workspace: string; format?: FaqFormat }) {
  const format = opts.format ?? formatOf(file);
  if (!format) throw new DomainError('IMPORT_FORMAT_UNKNOWN', `cannot tell the format of ${file}; pass --format csv or --format jsonl`);
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    throw new DomainError('IMPORT_FILE_NOT_FOUND', `cannot read ${file}`);
  }
  if (size > MAX_FILE_BYTES) throw new DomainError('IMPORT_FILE_TOO_LARGE', `${file} is larger than 50 MB`);
  // Bytes, not text: a CSV saved by Excel in GBK or Big5 is detected and converted.
  const content = readFileSync(file);
  const deps = await openDeps();
  try {
    const ws = await findWorkspace(deps, opts.workspace);
    const r = await importFaq(deps.ctx, ws, content, format);
    for (const e of r.errors) process.stderr.write(`${file}:${e.line}: ${e.message}\n`);
    process.stdout.write(`created ${r.created}, updated ${r.updated}, unchanged ${r.unchanged}, failed ${r.failed}\n`);
    if (r.failed > 0) process.exitCode = 1;
  } finally {
    await deps.close();
  }
}
