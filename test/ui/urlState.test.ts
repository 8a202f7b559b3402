import { describe, expect, it } from 'vitest';
import { readUrl, writeUrl } from '../../src/ui/urlState.ts';
import { meshesOf } from '../../src/player/index.ts';
import { readEmbedParams } from '../../src/embed/params.ts';
import { MESH_CATALOG } from '../../src/scenario/index.ts';

/** The shipped meshes' ids, as messages list them. */
const ALL = MESH_CATALOG.map((m) => m.id);

const embed = (search: string) =>
  readEmbedParams(search, '', { library: ['hello-mesh'], defaultScenario: 'hello-mesh', meshes: ['istio', 'linkerd'], base: 'https://sim.example.com/' });

describe('the page URL and the embed URL', () => {
  it('read t and seed alike', () => {
    for (const [t, ms] of [
      ['1500', 1500],
      ['1500ms', 1500],
      ['1.5s', 1500],
      [' 2.25s ', 2250],
    ] as const) {
      expect(readUrl(`?t=${encodeURIComponent(t)}`).state.t).toBe(ms);
      const e = embed(`?t=${encodeURIComponent(t)}`);
      expect(e.ok && e.params.t).toBe(ms);
    }
    expect(readUrl('?seed=42').state.seed).toBe(42);
    expect(embed('?seed=42')).toMatchObject({ ok: true, params: { seed: 42 } });
    for (const bad of ['later', '-5', '1e3', '1.5m', '1234567890123', '0.1234567']) {
      expect(readUrl(`?t=${bad}`).errors, bad).toEqual([`URL parameter t: must be a time in ms like 1500 or 1.5s (got "${bad}"); starting at 0`]);
      expect(embed(`?t=${bad}`).ok, bad).toBe(false);
    }
    for (const bad of ['x', '-1', '1.5', '1234567890123456']) {
      expect(readUrl(`?seed=${bad}`).state.seed, bad).toBeUndefined();
      expect(embed(`?seed=${bad}`).ok, bad).toBe(false);
    }
  });

  it("read compare mode's panes from with, and name a bad with with the meshes it allows", () => {
    expect(readUrl('?mesh=compare&with=istio,linkerd,istio')).toEqual({ state: { mesh: 'compare', with: ['istio', 'linkerd', 'istio'] }, errors: [] });
    expect(embed('?mesh=compare&with=istio,linkerd,istio')).toMatchObject({ ok: true, params: { mesh: 'compare', with: ['istio', 'linkerd', 'istio'] } });
    expect(writeUrl({ scenario: 'timeouts', mesh: 'compare', with: ['linkerd', 'istio', 'linkerd'] })).toBe(
      '?scenario=timeouts&mesh=compare&with=linkerd%2Cistio%2Clinkerd',
    );
    const cases: [string, string][] = [
      [
        '?mesh=compare&with=istio,nomesh',
        `unknown mesh "nomesh"; give 2 to 6 of ${ALL.join(', ')}, comma-separated (a mesh may appear twice); showing Istio and Linkerd`,
      ],
      [
        '?mesh=compare&with=linkerd',
        `lists 1 mesh; compare shows 2 to 6 side by side: give 2 to 6 of ${ALL.join(', ')}, comma-separated; showing Istio and Linkerd`,
      ],
      [
        '?mesh=compare&with=istio,istio,istio,istio,istio,istio,istio',
        `lists 7 meshes; compare shows 2 to 6 side by side: give 2 to 6 of ${ALL.join(', ')}, comma-separated; showing Istio and Linkerd`,
      ],
      ['?mesh=istio&with=istio,linkerd', 'lists the meshes compare mode shows side by side, so it needs mesh=compare (mesh is "istio"); left out'],
    ];
    for (const [search, message] of cases) {
      const { state, errors } = readUrl(search);
      expect(errors, search).toEqual([`URL parameter with: ${message}`]);
      expect(state.with, search).toBeUndefined();
      expect(embed(search), search).toMatchObject({ ok: false, problems: [expect.stringMatching(/^URL parameter with: /)] });
    }
  });

  it('read guided alike, write it back when on, and name a bad value with the parameter', () => {
    expect(readUrl('?guided=on').state.guided).toBe(true);
    expect(readUrl('?guided=0').state.guided).toBe(false);
    expect(readUrl('?scenario=hello-mesh').state.guided).toBeUndefined();
    expect(embed('?guided=on')).toMatchObject({ ok: true, params: { guided: true } });
    expect(embed('?scenario=hello-mesh')).toMatchObject({ ok: true, params: { guided: false } });
    expect(writeUrl({ scenario: 'hello-mesh', guided: true })).toBe('?scenario=hello-mesh&guided=on');
    expect(writeUrl({ scenario: 'hello-mesh', guided: false })).toBe('?scenario=hello-mesh');
    const bad = readUrl('?guided=always');
    expect(bad.state.guided).toBeUndefined();
    expect(bad.errors).toEqual(['URL parameter guided: must be on or off (also 1/0, true/false; got "always"); guided mode left off']);
    expect(embed('?guided=always').ok).toBe(false);
    expect(readUrl('?guidde=on').errors[0]).toMatch(/^URL parameter guidde: unknown \(did you mean guided\?\)/);
  });

  it('keep mesh=compare alone meaning Istio and Linkerd', () => {
    expect(readUrl('?mesh=compare').state).toEqual({ mesh: 'compare' });
    expect(meshesOf('compare')).toEqual(['istio', 'linkerd']);
    expect(meshesOf('compare', ['linkerd', 'linkerd'])).toEqual(['linkerd', 'linkerd']);
    expect(meshesOf('linkerd', ['istio', 'istio'])).toEqual(['linkerd']);
  });
});

describe('release parameters (istio=1.23)', () => {
  it('FIDELITY B1: ?istio=1.23 picks Istio 1.23, and the link writes it back', async () => {
    const { writeUrl } = await import('../../src/ui/urlState.ts');
    const r = readUrl('?scenario=retries-flaky-pod&istio=1.23');
    expect(r.errors).toEqual([]);
    expect(r.state.versions).toEqual({ istio: '1.23' });
    expect(writeUrl(r.state)).toBe('?scenario=retries-flaky-pod&istio=1.23');
  });

  it('names a release mesh-sim does not model, with the releases it does', () => {
    const r = readUrl('?istio=1.22&linkerd=2.16');
    expect(r.state.versions).toBeUndefined();
    expect(r.errors).toEqual([
      'URL parameter istio: "1.22" is not an Istio release mesh-sim models (choose "1.23", "1.24", "1.25", "1.26", "1.27", "1.28", "1.29", "1.30"; default "1.30"); using the scenario\'s release',
      'URL parameter linkerd: "2.16" is not a Linkerd release mesh-sim models (choose "2.20"; default "2.20"); using the scenario\'s release',
    ]);
  });
});
