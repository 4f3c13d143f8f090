import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/commands.js';
import { optionsHelp } from '../../src/cli/help.js';
import { cell, displayWidth, wrap } from '../../src/cli/text.js';
import { OPTIONS } from '../../src/config/options.js';
import { runProgram } from '../support/cli-process.js';

const RUN_MS = 60_000;
const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

function widest(text: string): string {
  return text.split('\n').reduce((wide, line) => (displayWidth(line) > displayWidth(wide) ? line : wide), '');
}

describe('ephemail --help and --version', () => {
  it.concurrent.each([[[]], ...Object.keys(COMMANDS).map((name) => [[name]])])('%j --help fits 80 columns and exits 0', async (args) => {
    const { code, stdout, stderr } = await runProgram([...args, '--help']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toMatch(/^Usage: ephemail /);
    expect(displayWidth(widest(stdout)), widest(stdout)).toBeLessThanOrEqual(80);
  }, RUN_MS);

  it('lists every command and every server option with its variable, meaning and default', async () => {
    const { stdout } = await runProgram(['-h']);
    for (const [name, command] of Object.entries(COMMANDS)) expect(stdout).toMatch(new RegExp(`^  ${name} +${command.summary}$`, 'm'));
    for (const spec of Object.values(OPTIONS)) {
      expect(stdout).toContain(`\n  ${spec.flag}  ${spec.env}\n`);
      expect(stdout.replace(/\n +/g, ' ')).toContain(`${spec.meaning} [default: ${spec.defaultValue || '(none)'}]`);
    }
  }, RUN_MS);

  it('--version prints the version of package.json', async () => {
    expect(await runProgram(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  }, RUN_MS);
});

describe('terminal text', () => {
  it('lays out every server option within 80 columns', () => {
    for (const line of optionsHelp().split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
  });

  it('wraps at word boundaries with the indent on every line', () => {
    expect(wrap('one two three four', 13, '  ')).toEqual(['  one two', '  three four']);
    expect(wrap('  ', 80, '  ')).toEqual([]);
  });

  it('counts East Asian wide characters as two columns, and cuts and pads cells to their width', () => {
    expect(displayWidth('確認コード 123')).toBe(14);
    expect(cell('short', 8)).toBe('short   ');
    expect(cell('Confirm your account', 14)).toBe('Confirm your… ');
    expect(cell('確認コードのお知らせ', 10)).toBe('確認コー… ');
    expect(displayWidth(cell('確認コードのお知らせ', 9))).toBe(9);
  });
});
