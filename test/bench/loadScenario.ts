/**
 * The generated load scenario of the engine benchmark: 20 services × 3 pods, each service calling
 * the next at 50 requests/s, so 1,000 requests/s for 60 simulated seconds.
 */
import { stringify } from 'yaml';

export function loadScenarioYaml(services = 20, replicas = 3, totalRate = 1000, seconds = 60): string {
  const names = Array.from({ length: services }, (_, i) => `svc-${i}`);
  return stringify({
    id: 'bench-load',
    title: 'Generated load',
    seed: 1,
    duration: `${seconds}s`,
    services: names.map((name) => ({ name, replicas, latency: { p50: '5ms', p99: '40ms' } })),
    traffic: names.map((name, i) => ({ from: name, to: names[(i + 1) % services], rate: `${totalRate / services}/s` })),
    faults: [{ pod: 'svc-3-1', errors: { status: 503, rate: '10%' } }],
  });
}
