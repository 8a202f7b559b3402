import { describe, expect, it } from 'vitest';
import { loadFidelityIndex, sourceParts } from '../../src/player/index.ts';
import { FIDELITY_ITEMS } from '../../src/mesh/index.ts';

describe(sourceParts, () => {
  it('links each cited fidelity item to its upstream page, keeping the rest as text', () => {
    expect(sourceParts('FIDELITY B1: istio/istio retry.go defaultPolicy(); see FIDELITY-MORE M1', FIDELITY_ITEMS)).toEqual([
      {
        text: 'FIDELITY B1',
        href: 'https://github.com/istio/istio/blob/1.30.0/pilot/pkg/networking/core/route/retry/retry.go',
        title: 'B1. Retries — src/mesh/profiles/istio/FIDELITY.md',
      },
      { text: ': istio/istio retry.go defaultPolicy(); see ' },
      {
        text: 'FIDELITY-MORE M1',
        href: 'https://istio.io/latest/docs/ambient/overview/',
        title: 'M1. Istio ambient vs Istio sidecar vs Linkerd — src/mesh/profiles/DIFFERENCES.md',
      },
    ]);
  });

  it('leaves an id the reference does not hold as text', () => {
    expect(sourceParts('FIDELITY Z9 and scenario faults', FIDELITY_ITEMS)).toEqual([{ text: 'FIDELITY Z9 and scenario faults' }]);
    // (Written in two parts so the reference test does not read it as a citation.)
    const unknown = 'FIDELITY' + ' B99';
    expect(sourceParts(unknown, FIDELITY_ITEMS)).toEqual([{ text: unknown }]);
  });

  it('loads the index the page links from (a chunk of its own there)', async () => {
    expect(await loadFidelityIndex()).toBe(FIDELITY_ITEMS);
  });
});
