import { expect } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config/config.js';

/** The one-line message parseConfig fails with; fails the test if it does not fail. */
export function configErrorOf(argv: string[], env: Record<string, string> = {}): string {
  try {
    parseConfig(argv, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error(`parseConfig(${JSON.stringify(argv)}) did not fail`);
}
