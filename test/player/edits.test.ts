import { describe, expect, it } from 'vitest';
import {
  Lab,
  applyEdits,
  knobGroups,
  nativeSettings,
  readCommand,
  readKnob,
  runScenario,
  setKnob,
  whatIf,
  type LearnerCommand,
  type RunOutcome,
} from '../../src/player/index.ts';
import { describeCommand, faultOf } from '../../src/player/commands.ts';
import { resourcesOf } from '../../src/player/resources.ts';
import { AUTHORIZATION, FLAKY } from './scenarios.ts';

const retries = { file: 'flaky.yaml', text: FLAKY };
const authorization = { file: 'authorization.yaml', text: AUTHORIZATION };

function ok(o: RunOutcome): Extract<RunOutcome, { ok: true }> {
  if (!o.ok) throw new Error(o.problems.map((p) => p.text).join('\n'));
  return o;
}

describe('learner commands', () => {
  it('each become a fault of the scenario file, from the playhead on', () => {
    const at = 4200;
    const commands: LearnerCommand[] = [
      { type: 'pod.crash', pod: 'reviews-0', at },
      { type: 'pod.slow', pod: 'reviews-2', at, delay: 300, rate: 1 },
      { type: 'pod.fail', pod: 'reviews-2', at, status: 500, rate: 0.5 },
      { type: 'link.cut', pod: 'reviews-0', to: 'productpage-0', at },
      { type: 'controlPlane.stop', at },
      { type: 'certificate.expire', pod: 'reviews-0', at },
    ];
    expect(commands.map(faultOf)).toEqual([
      { pod: 'reviews-0', crash: { at } },
      { pod: 'reviews-2', delay: { time: 300, rate: 1 }, from: at },
      { pod: 'reviews-2', errors: { status: 500, rate: 0.5 }, from: at },
      { pod: 'reviews-0', link: { to: 'productpage-0' }, from: at },
      { controlPlane: 'down', from: at },
      { pod: 'reviews-0', certificate: { expireAt: at } },
    ]);
    const loaded = applyEdits(retries.text, retries.file, { commands });
    expect(loaded.ok && loaded.scenario.faults.slice(1)).toEqual(commands.map(faultOf));
  });

  it('are refused, by name, when their pod does not exist', () => {
    const o = runScenario({ ...retries, mesh: 'istio', edits: { commands: [{ type: 'pod.crash', pod: 'reviews-9', at: 100 }] } });
    expect(o.ok).toBe(false);
    expect(!o.ok && o.problems[0]!.text).toMatch(/^flaky\.yaml: crash reviews-9 at 0\.100 s: there is no pod reviews-9/);
  });

  it('read in words with their time as the clock shows it, and a restart delay as a duration', () => {
    expect(describeCommand({ type: 'pod.crash', pod: 'reviews-0', at: 3_723_456, restartAfter: 2500 })).toBe(
      'crash reviews-0 at 1 h 02 m 03.456 s, restart after 2.5 s',
    );
    expect(describeCommand({ type: 'controlPlane.stop', at: 4237 })).toBe('stop the control plane at 4.237 s');
  });

  describe('a crash injected at 4.2 s', () => {
    const before = ok(runScenario({ ...retries, mesh: 'linkerd' }));
    const after = ok(runScenario({ ...retries, mesh: 'linkerd', edits: { commands: [{ type: 'pod.crash', pod: 'reviews-0', at: 4200 }] } }));

    it('changes nothing before 4.2 s', () => {
      const early = (o: typeof before): unknown[] => o.trace.events.filter((e) => e.t < 4200);
      expect(early(after)).toEqual(early(before));
    });

    it('fails requests after it that succeeded before, and says so', () => {
      const s = whatIf(before.report.requests, after.report.requests, 4200);
      expect(s.changedBefore).toBe(0);
      expect(s.newlyFailed).toBeGreaterThan(0);
      expect(s.text).toMatch(new RegExp(`^after 4\\.2 s: ${s.newlyFailed} requests failed that succeeded before.*; before 4\\.2 s nothing changed\\.$`));
    });
  });
});

describe(readCommand, () => {
  it('reads a command as a link carries it, and says what is wrong with a bad one', () => {
    expect(readCommand('{"type":"pod.crash","pod":"reviews-0","at":4200}')).toEqual({ type: 'pod.crash', pod: 'reviews-0', at: 4200 });
    expect(readCommand('{"type":"pod.explode","at":1}')).toMatch(/^type must be one of pod\.crash, pod\.slow/);
    expect(readCommand('{"type":"pod.crash","pod":"reviews-0"}')).toBe('pod.crash needs at as a number');
    expect(readCommand('{"type":"controlPlane.stop","at":1,"pod":"x"}')).toBe('controlPlane.stop has no field pod (it takes at)');
    expect(readCommand('crash')).toMatch(/^must be a command in JSON/);
  });
});

describe('knobs', () => {
  const loaded = applyEdits(retries.text, retries.file, {});
  if (!loaded.ok) throw new Error('load');
  const scenario = loaded.scenario;

  it('offer every policy for each service the scenario calls', () => {
    const groups = knobGroups(scenario, retries.text);
    expect(groups.map((g) => g.id)).toEqual(['mtls', 'retries', 'timeouts', 'circuitBreaking', 'loadBalancing']);
    expect(groups.find((g) => g.id === 'retries')!.fields.map((f) => f.id)).toEqual(['retries/reviews/attempts', 'retries/reviews/perTryTimeout']);
    expect(groups[0]!.fields[0]).toMatchObject({ id: 'mtls', value: null });
  });

  it('turn a value into policies, and clearing it goes back to the mesh default', () => {
    const edits = setKnob(scenario, {}, 'retries/reviews/attempts', 0);
    expect(edits.policies?.retries).toEqual([{ service: 'reviews', attempts: 0 }]);
    const timed = setKnob(scenario, edits, 'retries/reviews/perTryTimeout', 250);
    expect(timed.policies?.retries).toEqual([{ service: 'reviews', attempts: 0, perTryTimeout: 250 }]);
    expect(setKnob(scenario, timed, 'retries/reviews/attempts', null).policies?.retries).toBeNull();
    expect(setKnob(scenario, {}, 'mtls', 'strict').policies?.mtls).toBe('strict');
    expect(setKnob(scenario, {}, 'circuitBreaking/reviews/consecutiveErrors', 3).policies?.circuitBreaking).toEqual([
      { service: 'reviews', consecutiveErrors: 3 },
    ]);
  });

  it('read their values as a link carries them', () => {
    const groups = knobGroups(scenario, retries.text);
    expect(readKnob(groups, 'retries/reviews/attempts', '0')).toEqual({ value: 0 });
    expect(readKnob(groups, 'retries/reviews/attempts', '')).toEqual({ value: null });
    expect(readKnob(groups, 'retries/reviews/attempts', 'many')).toBe('retries/reviews/attempts must be a number from 0 to 10 (got "many")');
    expect(readKnob(groups, 'mtls', 'strict')).toEqual({ value: 'strict' });
    expect(readKnob(groups, 'mtls', 'tight')).toBe('mtls must be one of strict, permissive, off (got "tight")');
    expect(readKnob(groups, 'retries/ratings/attempts', '1')).toBe('this scenario has no knob "retries/ratings/attempts"');
  });

  it('change the outcome: no retries under Istio lets the 503s through, with the same seed', () => {
    const before = ok(runScenario({ ...retries, mesh: 'istio' }));
    const after = ok(runScenario({ ...retries, mesh: 'istio', edits: setKnob(scenario, {}, 'retries/reviews/attempts', 0) }));
    expect(before.report.summary.byStatus['503'] ?? 0).toBe(0);
    expect(after.report.summary.byStatus['503']).toBeGreaterThan(5);
    expect(
      resourcesOf(after.scenario, 'istio')
        .map((r) => r.yaml)
        .join('\n'),
    ).toMatch(/attempts: 0/);
  });
});

describe('native settings', () => {
  const settings = nativeSettings(authorization.text);

  it("list the scalars of each section's resources, not their names", () => {
    const linkerd = settings.filter((s) => s.section === 'linkerd').map((s) => s.field);
    expect(linkerd).toContain('metadata.annotations.config.linkerd.io/default-inbound-policy');
    expect(linkerd).not.toContain('metadata.name');
    expect(settings.find((s) => s.field === 'spec.action')).toMatchObject({ section: 'istio', resource: 'AuthorizationPolicy reviews-viewer', value: 'ALLOW' });
  });

  it('are edited in place, validated like the file, and keep every line where it was', () => {
    const policy = settings.find((s) => s.field.endsWith('default-inbound-policy'))!;
    const edited = applyEdits(authorization.text, authorization.file, { native: [{ path: policy.path, value: 'all-unauthenticated' }] });
    const original = applyEdits(authorization.text, authorization.file, {});
    if (!edited.ok || !original.ok) throw new Error('load');
    expect(edited.scenario.linkerd[0]).toMatchObject({ metadata: { annotations: { 'config.linkerd.io/default-inbound-policy': 'all-unauthenticated' } } });
    expect(edited.scenario.source.lines).toEqual(original.scenario.source.lines);
    const bad = runScenario({ ...authorization, mesh: 'linkerd', edits: { native: [{ path: policy.path, value: 'nobody' }] } });
    expect(!bad.ok && bad.problems[0]!.text).toMatch(/^authorization\.yaml:\d+:\d+: linkerd\[0\]/);
  });

  it('include the resources that changes apply later, by their place in the file', () => {
    const later = `${AUTHORIZATION.replace(/^istio:[\s\S]*?(?=^linkerd:)/m, '')}changes:
  - at: 2s
    istio:
      - apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: { name: reviews-viewer, namespace: default }
        spec:
          selector: { matchLabels: { app: reviews } }
          action: ALLOW
          rules: [{ from: [{ source: { principals: ["cluster.local/ns/default/sa/bookinfo-productpage"] } }] }]
`;
    const action = nativeSettings(later).find((s) => s.field === 'spec.action');
    expect(action).toMatchObject({ section: 'istio', path: 'changes[0].istio[0].spec.action', resource: 'AuthorizationPolicy reviews-viewer, applied at 2s' });
    const edited = applyEdits(later, 'later.yaml', { native: [{ path: action!.path, value: 'DENY' }] });
    expect(edited.ok && edited.scenario.changes[0]!.istio![0]).toMatchObject({ spec: { action: 'DENY' } });
  });

  it('change the outcome: an Istio DENY instead of ALLOW turns productpage away too', () => {
    const action = settings.find((s) => s.field === 'spec.action')!;
    const before = ok(runScenario({ ...authorization, mesh: 'istio' }));
    const denied = ok(runScenario({ ...authorization, mesh: 'istio', edits: { native: [{ path: action.path, value: 'DENY' }] } }));
    expect(before.report.summary.byStatus['403']).toBe(12);
    expect(denied.report.summary.byStatus['403']).toBe(36);
  });
});

describe(Lab, () => {
  it('keeps the run before each fault as a branch to switch back to', () => {
    const lab = new Lab();
    lab.knobs = { policies: { mtls: 'strict' } };
    const crash: LearnerCommand = { type: 'pod.crash', pod: 'reviews-0', at: 4200 };
    const b = lab.inject(crash);
    expect(b.label).toBe('+ crash reviews-0 at 4.200 s');
    expect(lab.edits).toEqual({ policies: { mtls: 'strict' }, commands: [crash] });
    expect(lab.parent?.id).toBe(0);
    const slow = lab.inject({ type: 'controlPlane.stop', at: 5000 });
    expect(slow.commands).toHaveLength(2);
    expect(lab.switchTo(0)).toBe(true);
    expect(lab.edits).toEqual({ policies: { mtls: 'strict' } });
    lab.drop(b.id);
    expect(lab.branches.map((x) => x.id)).toEqual([0]);
  });
});
