/**
 * The page asks for the mesh profiles it will run before its renderer starts (headStart.ts, prefetch), so
 * that their chunks arrive meanwhile: `preloadMeshes` starts the loads without a run.
 */
import { describe, expect, it, vi } from 'vitest';
import { preloadMeshes } from '../../src/player/runner.ts';
import { loadedProfile } from '../../src/mesh/profiles/registry.ts';

describe('preloadMeshes', () => {
  it('loads the profiles named, without waiting and without a run; an unknown id loads nothing and throws nothing', async () => {
    expect(loadedProfile('linkerd')).toBeUndefined();
    expect(loadedProfile('consul')).toBeUndefined();
    expect(() => preloadMeshes(['linkerd', 'consul', 'meshy'])).not.toThrow();
    await vi.waitFor(() => {
      expect(loadedProfile('linkerd')?.id).toBe('linkerd');
      expect(loadedProfile('consul')?.id).toBe('consul');
    });
    expect(loadedProfile('meshy')).toBeUndefined();
    expect(loadedProfile('osm')).toBeUndefined();
  });
});
