/** Fetches /metrics over real HTTP and returns every sample as `name{labels}` -> value. */
export async function scrapeMetrics(httpPort: number): Promise<Map<string, number>> {
  const response = await fetch(`http://127.0.0.1:${httpPort}/metrics`);
  if (response.status !== 200) throw new Error(`/metrics answered ${response.status}`);
  const samples = new Map<string, number>();
  for (const line of (await response.text()).split('\n')) {
    const match = /^([a-z_]+(?:\{[^}]*\})?) (\S+)$/.exec(line);
    if (match?.[1] !== undefined && match[2] !== undefined) samples.set(match[1], Number(match[2]));
  }
  return samples;
}

/** One sample, 0 when absent (prom-client omits labelled counters never incremented). */
export async function metric(httpPort: number, sample: string): Promise<number> {
  return (await scrapeMetrics(httpPort)).get(sample) ?? 0;
}
