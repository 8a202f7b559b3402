import { describe, expect, it } from 'vitest';
import { serviceSchema } from '../../src/scenario/index.ts';
import { implicitService } from '../../src/scenario/implicitService.ts';

describe('implicitService', () => {
  // Each case as the simulation writes it (gateways, outside clients), and as the schema reads it.
  const cases = [
    { fields: { name: 'istio-ingressgateway', namespace: 'istio-system', serviceAccount: 'istio-ingressgateway', latencyMs: 0 }, latency: '0ms' },
    { fields: { name: 'egress', namespace: 'istio-system', serviceAccount: undefined, latencyMs: 1 }, latency: '1ms' },
    { fields: { name: 'browser', namespace: 'internet', meshed: false, latencyMs: 0 }, latency: '0ms' },
  ];
  for (const { fields, latency } of cases)
    it(`is what serviceSchema makes of ${fields.name}`, () => {
      const { latencyMs: _, ...rest } = fields;
      expect(implicitService(fields)).toStrictEqual(serviceSchema.parse({ ...rest, latency }));
    });
});
