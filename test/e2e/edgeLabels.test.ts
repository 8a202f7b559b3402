/**
 * The links as the page draws them (issue 12): each link's tag reads its share of the caller's
 * requests (a canary's weight) and its error share, next to the endpoint it is about, a busier
 * link is drawn thicker, a link with an mTLS connection open carries a lock (a plaintext one
 * none), and the caller's view of an endpoint out of load balancing (ejected, in its penalty,
 * probing) is on that endpoint's link, at that endpoint. Read off the scene through window.meshSim.linksOnScreen (the lines, their
 * widths and tags) and textsOnScreen (the words drawn inside each tag); the figures expected come
 * from the scenario files, not from the code.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { parse } from 'yaml';
import { runScenario } from '../../src/player/index.ts';
import type { TraceEvent } from '../../src/sim/index.ts';
import type { Site } from './site.ts';
import { withSiteAndBrowser } from './lifecycle.ts';
import { frames, inside, openPicture, overlaps, type Rect } from './harness.ts';

let site: Site;
let browser: Browser;

withSiteAndBrowser((s, b) => {
  site = s;
  browser = b;
});

const open = (query: string): ReturnType<typeof openPicture> => openPicture(browser, site, query);

interface Link {
  from: string;
  to: string;
  width: number;
  /** The box around its line. */
  box: Rect;
  lock: Rect | null;
  /** The words drawn inside the link's tag (from the scene's text objects), in order. */
  words: string;
  tag: Rect | null;
}

/** The links drawn (in compare pane `pane`), each with the words the scene draws inside its tag. */
async function links(page: Page, pane = 0): Promise<Link[]> {
  const { drawn, texts } = await page.evaluate((p) => ({ drawn: window.meshSim!.linksOnScreen(p), texts: window.meshSim!.textsOnScreen(p) }), pane);
  return drawn.map((l) => ({
    from: l.from,
    to: l.to,
    width: l.width,
    box: { x: l.x, y: l.y, w: l.w, h: l.h },
    lock: l.lock,
    tag: l.tag,
    words: l.tag
      ? texts
          .filter((t) => inside(t, l.tag!, 1))
          .map((t) => t.text)
          .join(' ')
      : '',
  }));
}

const pod = (node: string): string => node.split('/')[0]!;
/** The percentage after `before` in a tag's words ("9/s · 45%" → 45 for "·", "✕ 40%" → 40 for "✕"), or null. */
const percent = (words: string, before: string): number | null => {
  const m = new RegExp(`${before}\\s*(\\d+)%`).exec(words);
  return m ? Number(m[1]) : null;
};
/** The gap between two boxes, edge to edge (0 when they touch or overlap). */
const gap = (a: Rect, b: Rect): number => Math.hypot(Math.max(0, b.x - (a.x + a.w), a.x - (b.x + b.w)), Math.max(0, b.y - (a.y + a.h), a.y - (b.y + b.h)));

/** Scenario `id` as written in scenarios/. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const scenario = (id: string): any => parse(readFileSync(`scenarios/${id}.yaml`, 'utf8'));

/** The pods of each service in a scenario file: name-0 … name-(replicas-1). */
function podsOf(file: { services: { name: string; replicas?: number }[] }): Map<string, string[]> {
  return new Map(file.services.map((s) => [s.name, Array.from({ length: s.replicas ?? 1 }, (_, i) => `${s.name}-${i}`)]));
}

describe('link tags and widths on screen', () => {
  it('canary-split under Istio at 4 s: each pod’s link reads its share of the VirtualService weight, the busier links drawn thicker', async () => {
    const file = scenario('canary-split');
    const pods = podsOf(file);
    // The weights before the 5 s change, spread evenly over each destination service's pods.
    const routes: { destination: { host: string }; weight: number }[] = file.istio[0].spec.http[0].route;
    const expected = new Map(routes.flatMap((r) => pods.get(r.destination.host)!.map((p) => [p, r.weight / pods.get(r.destination.host)!.length] as const)));
    expect([...expected.keys()].sort()).toEqual(['reviews-0', 'reviews-1', 'reviews-v2-0']);

    const { page, problems } = await open('?scenario=canary-split&mesh=istio&t=4000');
    const drawn = (await links(page)).filter((l) => pod(l.from) === 'productpage-0' && expected.has(pod(l.to)));
    const cards = await page.evaluate(() => window.meshSim!.layoutOnScreen()!.cards);
    expect(drawn.map((l) => pod(l.to)).sort()).toEqual([...expected.keys()].sort());
    const shares = new Map<string, number>();
    for (const l of drawn) {
      const share = percent(l.words, '·');
      expect(share, `${l.to}: "${l.words}"`).not.toBeNull();
      // A second's draws (20 requests) land near the weight.
      expect(Math.abs(share! - expected.get(pod(l.to))!), `${l.to}: "${l.words}"`).toBeLessThanOrEqual(10);
      shares.set(pod(l.to), share!);
      // The tag sits at the pod it is about: of the pods' cards, its own is the nearest.
      const nearest = [...cards].filter((c) => expected.has(c.key)).sort((a, b) => gap(l.tag!, a) - gap(l.tag!, b))[0]!;
      expect(nearest.key, `tag "${l.words}"`).toBe(pod(l.to));
    }
    // The caller's requests to reviews, all told (rounded shares).
    expect(Math.abs([...shares.values()].reduce((a, b) => a + b, 0) - 100)).toBeLessThanOrEqual(2);
    // The canary carries a tenth of the load: its link is the thinnest, each stable pod's thicker.
    const width = (p: string): number => drawn.find((l) => pod(l.to) === p)!.width;
    for (const stable of pods.get('reviews')!) expect(width(stable), stable).toBeGreaterThan(width('reviews-v2-0') + 0.5);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('load-balancing-slow-pod under Linkerd at 2 s: the split the lesson is about reads whole — each tagged share, all told, is the caller’s requests', async () => {
    // The step's ring stands at reviews-0's end then: a tag that would have its words under it
    // may be left out (strict-vs-permissive's even 50% · 50%), but not a share of an uneven split.
    const { page, problems } = await open('?scenario=load-balancing-slow-pod&mesh=linkerd&t=2000');
    const drawn = (await links(page)).filter((l) => pod(l.from) === 'productpage-0' && pod(l.to).startsWith('reviews-') && l.words !== '');
    const shares = drawn.map((l) => percent(l.words, '·'));
    expect(shares, drawn.map((l) => `${l.to}: "${l.words}"`).join('; ')).not.toContain(null);
    expect(Math.abs(shares.reduce((a: number, b) => a + b!, 0) - 100), drawn.map((l) => `${l.to}: "${l.words}"`).join('; ')).toBeLessThanOrEqual(2);
    expect(problems).toEqual([]);
    await page.close();
  });

  it.each([
    ['locality-failover', 'compare', 4000, 1, 'frontend-0', 'backend'],
    ['outlier-vs-failure-accrual', 'osm', 2000, 0, 'productpage-0', 'reviews'],
    ['load-balancing-slow-pod', 'osm', 2000, 0, 'productpage-0', 'reviews'],
  ] as const)(
    '%s under %s at %i ms (pane %i): a split reads whole — every link of %s’s to %s’s pods carries its share, all told the caller’s requests',
    async (id, mesh, t, pane, caller, service) => {
      // An even split too: Linkerd's pane read backend-1's "10/s · 50%" and nothing on backend-0's
      // link, whose spot lay under the step's ring; OSM's round robin left reviews-0's "35%" out.
      const { page, problems } = await open(`?scenario=${id}&mesh=${mesh}&t=${t}`);
      const drawn = (await links(page, pane)).filter((l) => pod(l.from) === caller && podsOf(scenario(id)).get(service)!.includes(pod(l.to)) && l.width > 0);
      const show = drawn.map((l) => `${pod(l.to)}: "${l.words}"`).join('; ');
      expect(drawn.length, show).toBeGreaterThan(1);
      const shares = drawn.map((l) => percent(l.words, '·'));
      expect(shares, show).not.toContain(null);
      expect(Math.abs(shares.reduce((a: number, b) => a + b!, 0) - 100), show).toBeLessThanOrEqual(2);
      expect(problems).toEqual([]);
      await page.close();
    },
  );

  it('locality-failover in compare mode at 4 s: Istio’s pane reads all of frontend’s requests on the one pod of two they go to — 100%, the lesson — though the step’s ring stands at that link’s end', async () => {
    // Which pods frontend's sidecar sent to over the second before 4 s, from the engine's trace
    // under Istio: one pod of backend's two (the one in frontend's zone), the other idle.
    const file = 'scenarios/locality-failover.yaml';
    const run = runScenario({ text: readFileSync(file, 'utf8'), file, mesh: 'istio' });
    if (!run.ok) throw new Error('locality-failover does not run under Istio');
    const sentTo = new Set(
      [...(run.trace.events as Iterable<TraceEvent>)].flatMap((e) =>
        e.type === 'flight' && e.kind === 'http-request' && pod(e.from) === 'frontend-0' && e.from.endsWith('proxy') && e.departMs > 3000 && e.departMs <= 4000
          ? [pod(e.to)]
          : [],
      ),
    );
    expect([...sentTo]).toHaveLength(1);
    const [only] = [...sentTo];
    expect(podsOf(scenario('locality-failover')).get('backend')).toContain(only);

    const { page, problems } = await open('?scenario=locality-failover&mesh=compare&t=4000');
    const drawn = (await links(page)).filter((l) => pod(l.from) === 'frontend-0' && pod(l.to).startsWith('backend-') && l.width > 0);
    const show = drawn.map((l) => `${l.to}: "${l.words}"`).join('; ');
    expect(
      drawn.map((l) => pod(l.to)),
      show,
    ).toEqual([only]);
    expect(percent(drawn[0]!.words, '·'), show).toBe(100);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('authorization in compare mode at 2.5 s: a caller’s two requests of the last second, both on one of two pods, do not read as a 100% split', async () => {
    // sleep calls reviews twice a second (the scenario's sources); chance put both on one pod under Linkerd.
    const file = 'scenarios/authorization.yaml';
    const run = runScenario({ text: readFileSync(file, 'utf8'), file, mesh: 'linkerd' });
    if (!run.ok) throw new Error('authorization does not run under Linkerd');
    const sent = [...(run.trace.events as Iterable<TraceEvent>)].flatMap((e) =>
      e.type === 'flight' && e.kind === 'http-request' && pod(e.from) === 'sleep-0' && e.from.endsWith('proxy') && e.departMs > 1500 && e.departMs <= 2500
        ? [pod(e.to)]
        : [],
    );
    expect(new Set(sent).size, sent.join(' ')).toBe(1);
    expect(sent.length).toBeLessThan(5);

    const { page, problems } = await open('?scenario=authorization&mesh=compare&t=2500');
    const words = (await links(page, 1)).filter((l) => pod(l.from) === 'sleep-0' && l.tag).map((l) => l.words);
    expect(words.filter((w) => percent(w, '·') === 100)).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('retries-flaky-pod under Istio at 3 s: the link to the flaky pod reads its error share, the others none', async () => {
    const file = scenario('retries-flaky-pod');
    const fault: { pod: string; errors: { status: number; rate: string } } = file.faults[0];
    const rate = Number.parseFloat(fault.errors.rate);
    expect(fault.pod).toBe('reviews-1');

    const { page, problems } = await open('?scenario=retries-flaky-pod&mesh=istio&t=3000');
    const drawn = (await links(page)).filter((l) => pod(l.from) === 'productpage-0' && pod(l.to).startsWith('reviews-'));
    expect(drawn.map((l) => pod(l.to)).sort()).toEqual(podsOf(file).get('reviews'));
    for (const l of drawn) {
      const errors = percent(l.words, '✕');
      if (pod(l.to) !== fault.pod) expect(errors, `${l.to}: "${l.words}"`).toBeNull();
      else {
        expect(errors, `${l.to}: "${l.words}"`).not.toBeNull();
        // No retries before 5 s: a second's responses from it (about a third of 20) fail near its fault rate.
        expect(Math.abs(errors! - rate), `${l.to}: "${l.words}"`).toBeLessThanOrEqual(30);
      }
    }
    expect(problems).toEqual([]);
    await page.close();
  });

  it.each(['istio', 'linkerd'])(
    'strict-vs-permissive under %s at 2 s: a lock on the meshed client’s links, none on the unmeshed client’s link, which reads plaintext',
    async (mesh) => {
      // Before the lock-down at 3 s both meshes accept both: the unmeshed client (meshed: false)
      // speaks plaintext, the meshed one mTLS.
      const file = scenario('strict-vs-permissive');
      const services: { name: string; meshed?: boolean }[] = file.services;
      const plain = services.filter((s) => s.meshed === false).map((s) => s.name);
      expect(plain).toEqual(['legacy-batch']);
      const service = (node: string): string => pod(node).replace(/-\d+$/, '');

      const { page, problems } = await open(`?scenario=strict-vs-permissive&mesh=${mesh}&t=2000`);
      const drawn = (await links(page)).filter((l) => l.width > 0 && service(l.to) === 'orders');
      const show = (l: Link): string => `${l.from} → ${l.to}`;
      const fromPlain = drawn.filter((l) => plain.includes(service(l.from)));
      const fromMeshed = drawn.filter((l) => !plain.includes(service(l.from)));
      expect(fromPlain.length).toBeGreaterThanOrEqual(1);
      expect(fromMeshed.length).toBeGreaterThanOrEqual(1);
      expect(fromPlain.filter((l) => l.lock).map(show)).toEqual([]);
      expect(fromMeshed.filter((l) => !l.lock).map(show)).toEqual([]);
      // The plaintext link is named, not told only by a missing lock; the mTLS ones are not.
      expect(fromPlain.filter((l) => !/\bplaintext\b/.test(l.words)).map((l) => `${show(l)}: "${l.words}"`)).toEqual([]);
      expect(fromMeshed.filter((l) => /plaintext/.test(l.words)).map((l) => `${show(l)}: "${l.words}"`)).toEqual([]);
      // Each lock sits on its own link, in the box around its line.
      for (const l of fromMeshed) expect(inside(l.lock!, { x: l.box.x - 8, y: l.box.y - 8, w: l.box.w + 16, h: l.box.h + 16 }, 0), show(l)).toBe(true);
      expect(problems).toEqual([]);
      await page.close();
    },
  );

  it.each([
    ['authorization', 'osm', 2400],
    ['authorization', 'linkerd', 2400],
    ['config-push', 'istio', 2400],
  ] as const)(
    '%s under %s at %i ms: no lock lies under a tag or another lock (by more than a pixel), each on its own link (lines side by side in a gap: a tag over a lock left a black bar)',
    async (id, mesh, t) => {
      const { page, problems } = await open(`?scenario=${id}&mesh=${mesh}&t=${t}`);
      const drawn = await links(page);
      const locked = drawn.filter((l) => l.lock);
      expect(locked.length).toBeGreaterThanOrEqual(3);
      const tags = drawn.flatMap((l) => (l.tag ? [l.tag] : []));
      const show = (l: Link): string => `${l.from} → ${l.to}`;
      expect(locked.filter((l) => tags.some((tag) => overlaps(l.lock!, tag, 1))).map(show)).toEqual([]);
      expect(locked.filter((l, i) => locked.some((m, j) => j !== i && overlaps(l.lock!, m.lock!, 1))).map(show)).toEqual([]);
      for (const l of locked) expect(inside(l.lock!, { x: l.box.x - 8, y: l.box.y - 8, w: l.box.w + 16, h: l.box.h + 16 }, 0), show(l)).toBe(true);
      expect(problems).toEqual([]);
      await page.close();
    },
  );

  /** The endpoint-health transitions of a run of scenario `id` under `mesh`, as the engine records them. */
  function healthTransitions(id: string, mesh: string): { t: number; node: string; peer: string; to: string }[] {
    const file = `scenarios/${id}.yaml`;
    const run = runScenario({ text: readFileSync(file, 'utf8'), file, mesh });
    if (!run.ok) throw new Error(`${id} does not run under ${mesh}`);
    return [...(run.trace.events as Iterable<TraceEvent>)].flatMap((e) =>
      e.type === 'transition' && e.machine === 'endpointHealth' ? [{ t: e.t, node: e.node, peer: e.peer!, to: e.to }] : [],
    );
  }

  /** The middle of the first span the endpoint spends in state `state` (from the transition into it to the next one). */
  function midwayIn(transitions: { t: number; to: string }[], state: string): number {
    const i = transitions.findIndex((x) => x.to === state);
    expect(i, state).toBeGreaterThanOrEqual(0);
    return (transitions[i]!.t + transitions[i + 1]!.t) / 2;
  }

  const HEALTH_WORDS = /ejected|in penalty|probing/;

  it.each([
    ['linkerd', 'unavailable', 'in penalty'],
    ['linkerd', 'probation', 'probing'],
    ['istio', 'ejected', 'ejected'],
    ['istio', 'healthy', 'no state'],
  ] as const)(
    'outlier-vs-failure-accrual under %s, while the engine has the bad pod %s: its link at that pod reads %s, no other link a state',
    async (mesh, state, words) => {
      const bad: string = scenario('outlier-vs-failure-accrual').faults[0].pod;
      const transitions = healthTransitions('outlier-vs-failure-accrual', mesh);
      // One caller judges one endpoint here: productpage's proxy, the faulty pod.
      expect(new Set(transitions.map((x) => `${pod(x.node)}>${pod(x.peer)}`))).toEqual(new Set([`productpage-0>${bad}`]));
      // 'healthy' after its first time out of load balancing (the first span is before any failure).
      const t = state === 'healthy' ? midwayIn(transitions.slice(2), 'healthy') : midwayIn(transitions, state);

      const { page, problems } = await open(`?scenario=outlier-vs-failure-accrual&mesh=${mesh}&t=${Math.round(t)}`);
      const drawn = await links(page);
      const cards = await page.evaluate(() => window.meshSim!.layoutOnScreen()!.cards);
      const marked = drawn.filter((l) => HEALTH_WORDS.test(l.words));
      const at = `at ${Math.round(t)} ms: ${drawn.map((l) => `${pod(l.to)} "${l.words}"`).join(', ')}`;
      if (words === 'no state')
        expect(
          marked.map((l) => l.words),
          at,
        ).toEqual([]);
      else {
        expect(
          marked.map((l) => pod(l.to)),
          at,
        ).toEqual([bad]);
        expect(marked[0]!.words, at).toContain(words);
        for (const other of ['ejected', 'in penalty', 'probing'].filter((w) => w !== words)) expect(marked[0]!.words, at).not.toContain(other);
        const nearest = [...cards].sort((a, b) => gap(marked[0]!.tag!, a) - gap(marked[0]!.tag!, b))[0]!;
        expect(nearest.key, at).toBe(bad);
      }
      expect(problems).toEqual([]);
      await page.close();
    },
  );
});

describe("a packet's caption", () => {
  it('retries-flaky-pod under Linkerd: the discovery lookup\'s caption ("Get + GetProfile reviews.default.svc.cluster.local:80") wraps narrow and covers no word of the picture', async () => {
    const { page, problems } = await open('?scenario=retries-flaky-pod&mesh=linkerd');
    // Step to productpage's proxy asking Linkerd's destination service (a few dozen steps in at 0 s).
    const shown = (): Promise<boolean> => page.evaluate(() => window.meshSim!.textsOnScreen().some((t) => /GetProfile/.test(t.text)));
    for (let i = 0; i < 80 && !(await shown()); i++) {
      const before = await page.evaluate(() => window.meshSim!.state()!.stepIndex);
      await page.evaluate(() => document.activeElement instanceof HTMLElement && document.activeElement.blur());
      await page.keyboard.press('ArrowRight');
      await page.waitForFunction((s) => window.meshSim!.state()!.stepIndex !== s, before);
      await frames(page);
    }
    const texts = await page.evaluate(() => window.meshSim!.textsOnScreen());
    const caption = texts.find((t) => /GetProfile/.test(t.text))!;
    await page.screenshot({ path: '/tmp/edge-caption-linkerd-discovery.png' });
    // ~350 px on one row on main (across productpage-0's card); wrapped in rows of a box's width.
    expect(caption.w).toBeLessThan(200);
    // All of it, in rows.
    expect(caption.text.replace(/\s+/g, '')).toBe('Get+GetProfilereviews.default.svc.cluster.local:80');
    const covered = texts.filter((t) => t !== caption && t.alpha > 0.5 && t.text.trim() && overlaps(caption, t)).map((t) => t.text);
    expect(covered).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  }, 150_000);
});
