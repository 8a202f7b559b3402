/**
 * Compare's pane picker as a learner uses it (src/ui/panePicker.ts): ticking a mesh adds its pane
 * last, unticking takes every pane of it away, never below two panes or above six, and choosing
 * a reference moves that pane first with the others in their order.
 */
import { describe, expect, it } from 'vitest';
import { MAX_PANES, MIN_PANES, togglePane, withReference } from '../../src/player/index.ts';

describe(togglePane, () => {
  it('adds a mesh as the last pane, the reference staying first', () => {
    expect(togglePane(['istio', 'linkerd'], 'consul', true)).toEqual(['istio', 'linkerd', 'consul']);
  });

  it('takes every pane of a mesh away (a mesh the URL gave twice)', () => {
    expect(togglePane(['istio', 'linkerd', 'consul', 'istio'], 'istio', false)).toEqual(['linkerd', 'consul']);
  });

  it('makes the next pane the reference when the reference is taken away', () => {
    expect(togglePane(['consul', 'istio', 'osm'], 'consul', false)).toEqual(['istio', 'osm']);
  });

  it(`refuses fewer than ${MIN_PANES} panes or more than ${MAX_PANES}`, () => {
    expect(togglePane(['istio', 'linkerd'], 'linkerd', false)).toBeNull();
    expect(togglePane(['istio', 'linkerd', 'istio'], 'istio', false)).toBeNull();
    expect(togglePane(['istio', 'linkerd', 'consul', 'osm', 'ambient'], 'nsm', true)).toEqual(['istio', 'linkerd', 'consul', 'osm', 'ambient', 'nsm']);
    expect(togglePane(['istio', 'linkerd', 'consul', 'osm', 'ambient', 'istio'], 'nsm', true)).toBeNull();
  });

  it('changes nothing for a mesh already shown or already hidden', () => {
    expect(togglePane(['istio', 'linkerd'], 'istio', true)).toBeNull();
    expect(togglePane(['istio', 'linkerd', 'consul'], 'osm', false)).toBeNull();
  });
});

describe(withReference, () => {
  it('moves the chosen pane first, the others keeping their order', () => {
    expect(withReference(['istio', 'linkerd', 'consul', 'osm'], 2)).toEqual(['consul', 'istio', 'linkerd', 'osm']);
    expect(withReference(['istio', 'linkerd', 'istio'], 2)).toEqual(['istio', 'istio', 'linkerd']);
  });

  it('leaves the panes as they are for the reference itself or a pane that is not there', () => {
    expect(withReference(['istio', 'linkerd'], 0)).toEqual(['istio', 'linkerd']);
    expect(withReference(['istio', 'linkerd'], 5)).toEqual(['istio', 'linkerd']);
  });
});
