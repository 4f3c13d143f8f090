import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataDirError, openDiskStore } from '../../src/store/disk/disk-store.js';
import { useTempFolders } from '../support/data-dir.js';
import { createManualClock } from '../support/manual-clock.js';
import { makeNewMessage } from '../support/messages.js';

const tempFolder = useTempFolders('data-dir');

function open(path: string, resetIfUnusable = false, onMovedAside?: (reason: DataDirError, movedTo: string) => void) {
  return openDiskStore({
    ttlMs: 60_000, memoryLimit: 1024 * 1024, memoryShare: null, inboxLimit: 50, clock: createManualClock(), path, resetIfUnusable,
    onWriteError: (error) => { throw error; }, ...(onMovedAside ? { onMovedAside } : {}),
  });
}

/** The sentence opening `path` fails with; fails the test if it opens. */
async function refusalOf(path: string): Promise<DataDirError> {
  const error = await open(path).then((opened) => opened.store.close(), (failure: unknown) => failure);
  expect(error).toBeInstanceOf(DataDirError);
  expect((error as Error).message).not.toContain('\n');
  return error as DataDirError;
}

/** A data directory with mail in it, closed. */
async function usedDataDir(): Promise<string> {
  const path = join(tempFolder(), 'data');
  const opened = await open(path);
  await opened.store.add(makeNewMessage(['a@x.test']));
  await opened.store.close();
  return path;
}

describe('a data directory', () => {
  it('is made private: the directory 0700, its files 0600, marked with its format', async () => {
    const path = await usedDataDir();
    expect(statSync(path).mode & 0o777).toBe(0o700);
    expect(readdirSync(path).sort()).toEqual(['ephemail-data.json', 'mail.mdb', 'mail.mdb-lock']);
    for (const file of readdirSync(path)) expect(statSync(join(path, file)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(join(path, 'ephemail-data.json'), 'utf8'))).toEqual({ format: 1 });
  });

  it('takes an empty directory that exists, and makes a group-readable one private', async () => {
    const path = join(tempFolder(), 'existing');
    mkdirSync(path, { mode: 0o755 });
    const opened = await open(path);
    await opened.store.close();
    expect(statSync(path).mode & 0o777).toBe(0o700);
  });

  it('refuses a path that is a file', async () => {
    const path = join(tempFolder(), 'file');
    writeFileSync(path, 'x');
    const error = await refusalOf(path);
    expect(error.message).toBe(`the data directory ${path} is not a directory; name a directory, or a path where one can be made`);
    expect(error.resettable).toBe(false);
  });

  it('refuses a path under a file, which nobody can write, root included', async () => {
    const file = join(tempFolder(), 'file');
    writeFileSync(file, 'x');
    const path = join(file, 'data');
    expect((await refusalOf(path)).message).toBe(`the data directory ${path} cannot be made: a part of its path is a file (ENOTDIR); name a path under a directory`);
  });

  it('refuses a directory of other files, which is not Ephemail\'s', async () => {
    const path = tempFolder();
    writeFileSync(join(path, 'notes.txt'), 'mine');
    chmodSync(path, 0o755);
    const error = await refusalOf(path);
    expect(error.message).toBe(`the data directory ${path} has files but no ephemail-data.json, so it is not an Ephemail data directory; name an empty or new directory (on a mounted volume, a directory inside it)`);
    // Someone else's: left as it was, and never moved aside, even when told to reset.
    expect(error.resettable).toBe(false);
    expect(statSync(path).mode & 0o777).toBe(0o755);
    expect(readdirSync(path)).toEqual(['notes.txt']);
  });

  it('refuses a directory written by a newer version', async () => {
    const path = await usedDataDir();
    writeFileSync(join(path, 'ephemail-data.json'), '{"format":2}\n');
    expect((await refusalOf(path)).message).toBe(`the data directory ${path} was written by a newer Ephemail (data format 2; this version reads 1); run that version, or a newer one`);
  });

  it('refuses a damaged marker and a damaged database', async () => {
    const marked = await usedDataDir();
    writeFileSync(join(marked, 'ephemail-data.json'), 'garbage');
    expect((await refusalOf(marked)).message).toBe(`the data directory ${marked} is damaged: its ephemail-data.json does not name a data format`);

    const path = await usedDataDir();
    writeFileSync(join(path, 'mail.mdb'), Buffer.alloc(64 * 1024, 0x5a));
    const error = await refusalOf(path);
    expect(error.message).toBe(`the data directory ${path} is damaged: its mail.mdb is not an LMDB file`);
    expect(error.resettable).toBe(true);
  });

  it('refuses a database cut short, which LMDB would crash on', async () => {
    const path = await usedDataDir();
    for (let i = 0; i < 20; i++) {
      const opened = await open(path);
      await opened.store.add(makeNewMessage([`a${i}@x.test`], { size: 20_000 }));
      await opened.store.close();
    }
    const file = join(path, 'mail.mdb');
    truncateSync(file, statSync(file).size / 2);
    expect((await refusalOf(path)).message).toMatch(new RegExp(`^the data directory ${path} is damaged: its mail\\.mdb was cut short \\(\\d+ bytes, its pages need \\d+\\)$`));
  });

  it('refuses a directory that a start before died reading, instead of dying again', async () => {
    const path = await usedDataDir();
    writeFileSync(join(path, 'reading'), '');
    expect((await refusalOf(path)).message).toBe(`the data directory ${path} could not be read by the start before this one, which stopped while reading it (crashed on a damaged file, or was killed); delete ${join(path, 'reading')} to try again`);
  });

  it('with resetIfUnusable, moves a damaged one aside, says where, and starts empty', async () => {
    const path = await usedDataDir();
    writeFileSync(join(path, 'mail.mdb'), Buffer.alloc(64 * 1024, 0x5a));
    const moved: Array<{ reason: string; movedTo: string }> = [];
    const opened = await open(path, true, (reason, movedTo) => moved.push({ reason: reason.message, movedTo }));
    expect(opened.restored).toBe(0);
    expect(await opened.store.stats()).toEqual({ messages: 0, bytes: 0 });
    await opened.store.close();
    expect(moved).toEqual([{ reason: expect.stringMatching(/mail\.mdb is not an LMDB file$/), movedTo: expect.stringMatching(/\/data\.unusable-\d{8}T\d{6}\.\d{3}Z$/) }]);
    // Moved, not deleted: the damaged file is still there to look at.
    expect(readFileSync(join(moved[0]!.movedTo, 'mail.mdb')).subarray(0, 4).toString()).toBe('ZZZZ');
    expect(existsSync(join(path, 'ephemail-data.json'))).toBe(true);
  });

  it('with resetIfUnusable, still refuses a path it cannot use at all', async () => {
    const file = join(tempFolder(), 'file');
    writeFileSync(file, 'x');
    await expect(open(join(file, 'data'), true)).rejects.toThrow(/ENOTDIR/);
  });
});
