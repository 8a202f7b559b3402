import { describe, expect, it } from 'vitest';
import { parseOrigin, readEmbedParams, type ParamContext, type ParamsResult } from '../../src/embed/params.ts';
import { checkScenarioUrl } from '../../src/ui/library.ts';

/** The meshes the page knows, in this test's context (the messages list them). */
const ALL = ['istio', 'linkerd'];
const ctx: ParamContext = {
  library: ['hello-mesh', 'retries-flaky-pod', 'timeouts'],
  defaultScenario: 'retries-flaky-pod',
  meshes: ALL,
  base: 'https://sim.example.com/mesh-sim/index.html?embed=1',
};

const read = (search: string, hash = ''): ParamsResult => readEmbedParams(search, hash, ctx);
const problems = (search: string, hash = ''): string[] => {
  const r = read(search, hash);
  if (r.ok) throw new Error(`expected problems for ${search}${hash}`);
  return r.problems;
};

describe(readEmbedParams, () => {
  it('opens the default scenario with full controls, narration, light theme, no autoplay and no origins', () => {
    expect(read('')).toEqual({
      ok: true,
      params: {
        scenario: { kind: 'library', key: 'retries-flaky-pod' },
        autoplay: false,
        controls: 'full',
        narration: true,
        guided: false,
        theme: 'light',
        origins: [],
      },
    });
  });

  it('reads every parameter', () => {
    const r = read(
      '?embed=1&scenario=timeouts&mesh=compare&step=12&seed=3&autoplay=1&controls=none&narration=off&guided=on&theme=dark&origins=https://lms.example.com,http://localhost:8080',
    );
    expect(r).toEqual({
      ok: true,
      params: {
        scenario: { kind: 'library', key: 'timeouts' },
        mesh: 'compare',
        step: 12,
        seed: 3,
        autoplay: true,
        controls: 'none',
        narration: false,
        guided: true,
        theme: 'dark',
        origins: ['https://lms.example.com', 'http://localhost:8080'],
      },
    });
  });

  it("takes compare mode's panes from with: 2 to 6 meshes, the same one more than once if asked", () => {
    expect(read('?mesh=compare&with=istio,linkerd,istio')).toMatchObject({ ok: true, params: { mesh: 'compare', with: ['istio', 'linkerd', 'istio'] } });
    expect(read('?mesh=compare&with=linkerd, istio')).toMatchObject({ ok: true, params: { with: ['linkerd', 'istio'] } });
    expect(read('?mesh=compare&with=istio,linkerd,linkerd,istio')).toMatchObject({ ok: true, params: { with: ['istio', 'linkerd', 'linkerd', 'istio'] } });
    const alone = read('?mesh=compare');
    expect(alone.ok && alone.params.with).toBeUndefined();
  });

  it('takes t in ms or seconds', () => {
    expect(read('?t=1500').ok && (read('?t=1500') as { params: { t: number } }).params.t).toBe(1500);
    expect((read('?t=2.5s') as { params: { t: number } }).params.t).toBe(2500);
  });

  describe('when a parameter is bad', () => {
    it.each([
      ['?controls=tiny', 'URL parameter controls: must be full, minimal or none (got "tiny")'],
      ['?controls=ful', 'URL parameter controls: must be full, minimal or none (got "ful"; did you mean full?)'],
      ['?theme=blue', 'URL parameter theme: must be light or dark (got "blue")'],
      ['?mesh=nomesh', `URL parameter mesh: must be ${ALL.join(', ')} or compare (got "nomesh")`],
      ['?autoplay=yes', 'URL parameter autoplay: must be 1 or 0 (also 1/0, true/false, on/off; got "yes")'],
      ['?narration=maybe', 'URL parameter narration: must be on or off (also 1/0, true/false, on/off; got "maybe")'],
      ['?guided=always', 'URL parameter guided: must be on or off (also 1/0, true/false, on/off; got "always")'],
      ['?step=-1', 'URL parameter step: must be a whole number ≥ 0, the steps done as the transport bar counts them (0 is the start; got "-1")'],
      ['?t=later', 'URL parameter t: must be a simulated time in ms like 1500, or 1.5s (got "later")'],
      ['?seed=x', 'URL parameter seed: must be a whole number ≥ 0 (got "x")'],
      ['?embed=yes', 'URL parameter embed: must be 1 (got "yes"); leave it out for the full page'],
    ])('%s names the parameter and the values it allows', (search, message) => {
      expect(problems(search)).toEqual([message]);
    });

    it('names an unknown scenario and lists the library', () => {
      expect(problems('?scenario=retries')).toEqual([
        'URL parameter scenario: no scenario "retries" in the library; choose hello-mesh, retries-flaky-pod or timeouts, or use scenarioUrl or an inline scenario',
      ]);
      expect(problems('?scenario=timeout')[0]).toMatch(/\(did you mean timeouts\?\)/);
    });

    it('reports an unknown parameter with a suggestion, never ignores it', () => {
      expect(problems('?contols=none')).toEqual([
        'unknown URL parameter "contols" (did you mean controls?); the embed understands embed, scenario, scenarioUrl, mesh, with, istio, linkerd, consul, osm, step, t, seed, autoplay, controls, narration, guided, theme, origins',
      ]);
    });

    it.each([
      [
        '?mesh=compare&with=istio,nomesh',
        `URL parameter with: unknown mesh "nomesh"; give 2 to 6 of ${ALL.join(', ')}, comma-separated (a mesh may appear twice) (got "istio,nomesh")`,
      ],
      [
        '?mesh=compare&with=istio',
        `URL parameter with: lists 1 mesh; compare shows 2 to 6 side by side: give 2 to 6 of ${ALL.join(', ')}, comma-separated (got "istio")`,
      ],
      [
        '?mesh=compare&with=istio,linkerd,istio,linkerd,istio,linkerd,istio',
        `URL parameter with: lists 7 meshes; compare shows 2 to 6 side by side: give 2 to 6 of ${ALL.join(', ')}, comma-separated (got "istio,linkerd,istio,linkerd,istio,linkerd,istio")`,
      ],
      [
        '?mesh=linkerd&with=istio,linkerd',
        'URL parameter with: lists the meshes compare mode shows side by side, so it needs mesh=compare (mesh is "linkerd") (got "istio,linkerd")',
      ],
      [
        '?with=istio,linkerd',
        'URL parameter with: lists the meshes compare mode shows side by side, so it needs mesh=compare (no mesh is given) (got "istio,linkerd")',
      ],
    ])('%s names with and the meshes it allows', (search, message) => {
      expect(problems(search)).toEqual([message]);
    });

    it('reports an unknown mesh once, under mesh, when with is fine', () => {
      expect(problems('?mesh=comapre&with=istio,linkerd')).toEqual([`URL parameter mesh: must be ${ALL.join(', ')} or compare (got "comapre")`]);
    });

    it('reports every problem at once', () => {
      expect(problems('?controls=x&theme=y&mesh=z&step=1&t=2')).toHaveLength(4);
    });

    it('refuses a parameter given twice', () => {
      expect(problems('?mesh=istio&mesh=linkerd')).toEqual(['URL parameter mesh: is given more than once; give it once']);
    });

    it('refuses step and t together, and two scenario sources', () => {
      expect(problems('?step=2&t=100')).toEqual(['URL parameters step and t: give one of them, not both']);
      expect(problems('?scenario=timeouts&scenarioUrl=/a.yaml')).toEqual(['URL parameters: scenario and scenarioUrl each name a scenario; give one']);
    });

    it.each(['*', 'https://lms.example.com/course', 'lms.example.com', 'javascript:alert(1)', 'null', 'ftp://x.example'])('refuses origins=%s', (origin) => {
      expect(problems(`?origins=${encodeURIComponent(origin)}`)[0]).toMatch(/^URL parameter origins: ".*" is not an origin; give scheme:\/\/host\[:port\]/);
    });

    it('still reports the valid origins and theme, so the error can reach the host and look right', () => {
      const r = read('?controls=x&origins=https://lms.example.com&theme=dark');
      expect(r).toMatchObject({ ok: false, origins: ['https://lms.example.com'], theme: 'dark' });
    });
  });

  describe('scenarioUrl', () => {
    it("loads from the page's own origin", () => {
      expect(read('?scenarioUrl=/course/lesson.yaml')).toMatchObject({ ok: true, params: { scenario: { kind: 'url', url: '/course/lesson.yaml' } } });
    });

    it('loads from another origin only when origins lists it', () => {
      expect(problems('?scenarioUrl=https://cdn.example.org/l.yaml')).toEqual([
        'URL parameter scenarioUrl: "https://cdn.example.org/l.yaml" is on https://cdn.example.org; scenarios load from this page\'s origin (https://sim.example.com) or one listed in origins',
      ]);
      expect(read('?scenarioUrl=https://cdn.example.org/l.yaml&origins=https://cdn.example.org').ok).toBe(true);
    });

    it('refuses schemes other than http and https', () => {
      for (const url of ['javascript:alert(1)', 'data:text/yaml,id: x', 'file:///etc/passwd'])
        expect(checkScenarioUrl(url, ctx.base, [])).toMatch(/must be an http or https URL/);
    });
  });

  describe('the fragment', () => {
    it('carries an inline scenario and its file name', () => {
      expect(read('', '#scenario=abc_-9&name=lesson-3.yaml')).toMatchObject({
        ok: true,
        params: { scenario: { kind: 'inline', data: 'abc_-9', name: 'lesson-3.yaml' } },
      });
      expect(read('', '#scenario=abc')).toMatchObject({ ok: true, params: { scenario: { kind: 'inline', name: 'inline.yaml' } } });
    });

    it('refuses unknown keys, bad names, and text that is not base64url', () => {
      expect(problems('', '#scenario=abc&foo=1')).toEqual([
        'URL fragment: unknown key "foo"; the fragment may hold scenario=<compressed scenario> and name=<file name>',
      ]);
      expect(problems('', '#scenario=abc&name=../x y')[0]).toMatch(/^URL fragment name: must be a file name/);
      expect(problems('', '#scenario=a+b/c')[0]).toMatch(/^URL fragment scenario: must be base64url text/);
    });
  });
});

describe(parseOrigin, () => {
  it('accepts scheme://host[:port] with or without a trailing slash, as URL.origin writes it', () => {
    expect(parseOrigin('https://lms.example.com')).toBe('https://lms.example.com');
    expect(parseOrigin('https://lms.example.com/')).toBe('https://lms.example.com');
    expect(parseOrigin('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080');
    expect(parseOrigin('https://lms.example.com:443')).toBe('https://lms.example.com');
    expect(parseOrigin('HTTPS://LMS.example.com')).toBe('https://lms.example.com');
    for (const bad of [
      'https://lms.example.com/a',
      'https://u:p@lms.example.com',
      'https://lms.example.com?x',
      'https://lms.example.com#x',
      'https:lms.example.com',
    ])
      expect(parseOrigin(bad), bad).toBeNull();
  });
});

describe('embed release parameters', () => {
  it('FIDELITY B1: istio=1.23 picks the release; a bad one is named, and the frame does not open', () => {
    expect(read('?istio=1.23')).toMatchObject({ ok: true, params: { versions: { istio: '1.23' } } });
    expect(problems('?istio=latest')).toEqual([
      'URL parameter istio: "latest" is not an Istio release mesh-sim models (choose "1.23", "1.24", "1.25", "1.26", "1.27", "1.28", "1.29", "1.30"; default "1.30")',
    ]);
  });
});
