import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/**
 * A fresh folder under the system's temporary directory for each call, all
 * removed after the calling file's tests; a data directory is made inside
 * it (`join(folder, 'data')`) or the folder used as one.
 */
export function useTempFolders(prefix: string): () => string {
  const made: string[] = [];
  afterAll(() => {
    for (const folder of made) rmSync(folder, { recursive: true, force: true });
  });
  return () => {
    const folder = mkdtempSync(join(tmpdir(), `ephemail-${prefix}-`));
    made.push(folder);
    return folder;
  };
}
