import type { Backend } from './backend.js';

export interface OpenBackendOptions {
  sqliteSynchronous: 'NORMAL' | 'FULL';
}

/**
 * The one place that chooses a backend, from the `--db` value: a postgres:// URL, a pglite: URL
 * (`pglite:memory` or `pglite:/path/to/dir`), or else a SQLite file path (or `:memory:`).
 * Backends are imported lazily so that SQLite users never load pg or PGlite.
 */
export async function openBackend(url: string, options: OpenBackendOptions): Promise<Backend> {
  if (/^postgres(ql)?:\/\//i.test(url)) {
    const { createPostgresBackend } = await import('./postgres/postgres-backend.js');
    return createPostgresBackend(url);
  }
  if (url.startsWith('pglite:')) {
    const { createPgliteBackend } = await import('./pglite/pglite-backend.js');
    const dir = url.slice('pglite:'.length).replace(/^\/\//, '');
    return createPgliteBackend(dir === '' || dir === 'memory' ? null : dir);
  }
  const { createSqliteBackend } = await import('./sqlite/sqlite-backend.js');
  return createSqliteBackend({
    path: url.replace(/^sqlite:(\/\/)?/, ''),
    synchronous: options.sqliteSynchronous,
  });
}

/** Hides a password in a connection string before it is printed. */
export function redactUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@');
}
