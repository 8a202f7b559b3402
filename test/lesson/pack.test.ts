/**
 * Lesson packages: the manifest of each format is valid against its standard's XML Schema, names
 * the launcher and every file, and carries the mastery score; the zip holds the build, the
 * scenario and the launcher's configuration, and is the same bytes every time (and in every time
 * zone); a scenario with problems is not packaged.
 */
import { describe, expect, it } from 'vitest';
import { unzipSync, strFromU8, strToU8 } from 'fflate';
import { packLesson } from '../../src/lesson/pack.ts';
import { LESSON_FORMATS, LESSON_PATHS, type LessonConfig } from '../../src/lesson/lesson.ts';
import { schemaFiles, xsdErrors } from './xsd.ts';
import { LESSON } from './fixtures.ts';

/** A stand-in for the built simulator: what the packer needs is its file names and bytes. */
const SITE = new Map<string, Uint8Array>([
  ['index.html', strToU8('<!doctype html><title>sim</title>')],
  [LESSON_PATHS.launcher, strToU8('<!doctype html><title>lesson</title>')],
  ['assets/main-abc.js', strToU8('console.log(1)')],
  ['mesh-sim.js', strToU8('export {}')],
]);

const pack = (format: (typeof LESSON_FORMATS)[number], text = LESSON, extra = {}) =>
  packLesson({ site: SITE, text, file: 'lessons/lesson.yaml', options: { format, ...extra } });

function contents(zip: Uint8Array): Map<string, string> {
  return new Map(Object.entries(unzipSync(zip)).map(([k, v]) => [k, strFromU8(v)]));
}

describe('lesson packages', () => {
  for (const format of LESSON_FORMATS) {
    describe(format, () => {
      const packed = pack(format);
      if (!packed.ok) throw new Error(packed.problems.map((p) => p.message).join('\n'));
      const files = contents(packed.zip);
      const manifestName = format === 'cmi5' ? 'cmi5.xml' : 'imsmanifest.xml';
      const manifest = files.get(manifestName)!;

      it(`has a ${manifestName} valid against ${schemaFiles(format).join(', ')}`, async () => {
        expect(manifest).toBeDefined();
        expect(await xsdErrors(format, manifest)).toEqual([]);
      });

      it('holds the build, the scenario as written and the launcher configuration', () => {
        expect([...files.keys()].sort()).toEqual([...SITE.keys(), LESSON_PATHS.config, LESSON_PATHS.scenario, manifestName].sort());
        expect(files.get(LESSON_PATHS.scenario)).toBe(LESSON);
        const config = JSON.parse(files.get(LESSON_PATHS.config)!) as LessonConfig;
        expect(config).toEqual({
          version: 1,
          format,
          scenario: 'lesson-fixture',
          id: 'urn:mesh-sim:lesson:lesson-fixture',
          title: 'Retries <hide> a "flaky" pod & more',
          description: "Tests the manifest's escaping.",
          mesh: 'istio',
          checkpoints: [
            { question: 'How many retries so far?', answer: 'number' },
            { question: 'Will productpage see any 503?', answer: 'yes-no' },
          ],
          masteryScore: 0.8,
        });
      });

      it('launches the launcher and escapes the title', () => {
        expect(manifest).toContain('Retries &lt;hide&gt; a &quot;flaky&quot; pod &amp; more');
        if (format === 'cmi5') expect(manifest).toContain(`<url>${LESSON_PATHS.launcher}</url>`);
        else
          expect(manifest).toMatch(
            new RegExp(`<resource identifier="sco-lesson-fixture" type="webcontent" adlcp:scorm[tT]ype="sco" href="${LESSON_PATHS.launcher}">`),
          );
      });

      it('is the same bytes when packaged again, in another time zone too', () => {
        const again = pack(format);
        expect(again.ok && Buffer.from(again.zip).equals(Buffer.from(packed.zip))).toBe(true);
        const tz = process.env.TZ;
        try {
          process.env.TZ = 'Pacific/Kiritimati';
          const elsewhere = pack(format);
          expect(elsewhere.ok && Buffer.from(elsewhere.zip).equals(Buffer.from(packed.zip))).toBe(true);
        } finally {
          if (tz === undefined) delete process.env.TZ;
          else process.env.TZ = tz;
        }
      });
    });
  }

  it('SCORM 1.2 lists every file of the resource and gives the mastery score out of 100', () => {
    const packed = pack('scorm12', LESSON, { masteryScore: 0.5 });
    if (!packed.ok) throw new Error('not packed');
    const manifest = contents(packed.zip).get('imsmanifest.xml')!;
    const listed = [...manifest.matchAll(/<file href="([^"]+)"\/>/g)].map((m) => m[1]);
    expect(listed).toEqual(packed.entries.filter((e) => e !== 'imsmanifest.xml'));
    expect(manifest).toContain('<adlcp:masteryscore>50</adlcp:masteryscore>');
  });

  it('SCORM 2004 satisfies its objective by measure at the mastery score', () => {
    const packed = pack('scorm2004', LESSON, { masteryScore: 0.75 });
    if (!packed.ok) throw new Error('not packed');
    const manifest = contents(packed.zip).get('imsmanifest.xml')!;
    expect(manifest).toMatch(
      /<imsss:primaryObjective objectiveID="checkpoints" satisfiedByMeasure="true">\s*<imsss:minNormalizedMeasure>0.75<\/imsss:minNormalizedMeasure>/,
    );
  });

  it('cmi5 moves on when completed and passed, or when completed for a lesson without checkpoints', async () => {
    const withCheckpoints = pack('cmi5', LESSON, { id: 'https://courses.example.com/mesh/lesson-3' });
    const without = pack('cmi5', LESSON.replace(/checkpoints:[\s\S]*$/, ''));
    if (!withCheckpoints.ok || !without.ok) throw new Error('not packed');
    const a = contents(withCheckpoints.zip).get('cmi5.xml')!;
    const b = contents(without.zip).get('cmi5.xml')!;
    expect(a).toContain('<course id="https://courses.example.com/mesh/lesson-3">');
    expect(a).toMatch(/<au id="https:\/\/courses\.example\.com\/mesh\/lesson-3\/au" moveOn="CompletedAndPassed" masteryScore="0.8" launchMethod="AnyWindow">/);
    expect(b).toMatch(/<au id="urn:mesh-sim:lesson:lesson-fixture\/au" moveOn="Completed" launchMethod="AnyWindow">/);
    expect(await xsdErrors('cmi5', b)).toEqual([]);
  });

  it('refuses a scenario with problems, with every problem at its line and column', () => {
    const broken = LESSON.replace('seed: 7', 'seed: seven').replace('rate: 10/s', 'rate: fast');
    const packed = pack('scorm12', broken);
    expect(packed.ok).toBe(false);
    if (packed.ok) return;
    expect(packed.problems.map((p) => `${p.file}:${p.line}:${p.column}: ${p.path}`)).toEqual([
      'lessons/lesson.yaml:4:7: seed',
      'lessons/lesson.yaml:13:11: traffic[0].rate',
    ]);
  });

  it('refuses a build without the launcher', () => {
    const site = new Map(SITE);
    site.delete(LESSON_PATHS.launcher);
    const packed = packLesson({ site, text: LESSON, file: 'lesson.yaml', options: { format: 'cmi5' } });
    expect(packed.ok).toBe(false);
    if (!packed.ok) expect(packed.problems[0]!.message).toMatch(/has no lesson\.html/);
  });
});
