import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import cliProgress from 'cli-progress';
import { DomainError } from '../domain/errors.js';
import { fetchUrlSources } from '../usecases/fetch-url-sources.js';
import { createImportJob, type ImportFile, runImport } from '../usecases/import-documents.js';
import { findWorkspace, openDeps } from './open-deps.js';

const MAX_FILES = 10_000;

/** Every regular file under `root`, hidden files and folders left out, with a source path that survives moves. */
function collectFiles(root: string): ImportFile[] {
  const st = statSync(root);
  if (st.isFile()) return [{ source: basename(root), name: basename(root), bytes: readFileSync(root) }];
  const out: ImportFile[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) {
        if (out.length >= MAX_FILES) throw new DomainError('IMPORT_TOO_MANY_FILES', `more than ${MAX_FILES} files under ${root}`);
        const source = [basename(root), ...relative(root, path).split(sep)].join('/');
        out.push({ source, name: entry.name, bytes: readFileSync(path) });
      }
    }
  };
  walk(root);
  return out;
}

export async function runImportCommand(target: string, opts: { workspace: string; prune?: boolean; audience?: 'public' | 'internal' }) {
  const isUrl = /^https?:\/\//i.test(target);
  let files: ImportFile[];
  const fetchErrors: { file: string; code: string; message: string }[] = [];
  let prunePrefix: string | undefined;
  if (isUrl) {
    const r = await fetchUrlSources(target);
    files = r.files;
    fetchErrors.push(...r.errors);
  } else {
    try {
      files = collectFiles(target);
    } catch (err) {
      if (err instanceof DomainError) throw err;
      throw new DomainError('IMPORT_FILE_NOT_FOUND', `cannot read ${target}`);
    }
    if (opts.prune && statSync(target).isDirectory()) prunePrefix = `${basename(target)}/`;
  }
  const deps = await openDeps();
  try {
    const ws = await findWorkspace(deps, opts.workspace);
    const job = await createImportJob(deps.ctx, ws, files.length);
    const tty = process.stderr.isTTY;
    const bar = tty
      ? new cliProgress.SingleBar({ format: 'importing [{bar}] {value}/{total} {file}', stream: process.stderr }, cliProgress.Presets.shades_classic)
      : null;
    bar?.start(files.length, 0, { file: '' });
    const done = await runImport(deps.ctx, ws, job, files, {
      limits: { maxBytes: deps.config.IMPORT_MAX_FILE_MB * 1024 * 1024 },
      ...(prunePrefix ? { prunePrefix } : {}),
      ...(opts.audience ? { audience: opts.audience } : {}),
      onProgress: (j) => {
        const file = files[j.processed - 1]?.source ?? '';
        if (bar) bar.update(j.processed, { file });
        else if (j.processed > 0 && !j.finishedAt) process.stderr.write(`[${j.processed}/${j.total}] ${file}\n`);
      },
    });
    bar?.stop();
    for (const e of [...fetchErrors, ...done.errors]) process.stderr.write(`${e.file}: ${e.code}: ${e.message}\n`);
    const s = done.summary;
    process.stdout.write(
      `created ${s.created}, updated ${s.updated}, unchanged ${s.unchanged}, removed ${s.removed}, failed ${s.failed + fetchErrors.length}; ${s.chunks} new chunks\n`,
    );
    if (s.failed + fetchErrors.length > 0 || done.status === 'failed') process.exitCode = 1;
  } finally {
    await deps.close();
  }
}
