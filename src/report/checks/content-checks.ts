// TEMP
export function contentChecks(_: unknown): never[] { return []; }
