/**
 * The manifest an LMS reads to import a lesson: `imsmanifest.xml` for SCORM (IMS Content
 * Packaging with ADL's extensions) and `cmi5.xml` for cmi5 (the course structure). Each names the
 * launcher page as the one thing to launch, and says how the LMS decides the lesson is done.
 */
import { LESSON_PATHS, type LessonConfig } from './lesson.ts';

/** Text and attribute values escaped for XML. */
export function xmlText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** An XML ID (NCName) made from a scenario id: SCORM identifiers may not contain ':' or start with a digit. */
function xmlId(value: string): string {
  const id = value.replace(/[^\w.-]/g, '-');
  return /^[A-Za-z_]/.test(id) ? id : `_${id}`;
}

const fileList = (files: readonly string[], indent: string): string => files.map((f) => `${indent}<file href="${xmlText(f)}"/>`).join('\n');

/**
 * SCORM 1.2 (ADL SCORM 1.2 Content Aggregation Model, §2.3.5): one organization with one item
 * launching the launcher as a SCO. The mastery score (0–100) is the LMS's cue for passed/failed
 * (`cmi.student_data.mastery_score`).
 */
export function scorm12Manifest(config: LessonConfig, files: readonly string[]): string {
  const id = xmlId(config.scenario);
  const title = xmlText(config.title);
  const mastery = config.masteryScore === null ? '' : `\n        <adlcp:masteryscore>${Math.round(config.masteryScore * 100)}</adlcp:masteryscore>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="mesh-sim-${id}" version="1.0"
    xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
    xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xsi:schemaLocation="http://www.imsproject.org/xsd/imscp_rootv1p1p2 imscp_rootv1p1p2.xsd http://www.imsglobal.org/xsd/imsmd_rootv1p2p1 imsmd_rootv1p2p1.xsd http://www.adlnet.org/xsd/adlcp_rootv1p2 adlcp_rootv1p2.xsd">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>1.2</schemaversion>
  </metadata>
  <organizations default="org-${id}">
    <organization identifier="org-${id}">
      <title>${title}</title>
      <item identifier="item-${id}" identifierref="sco-${id}" isvisible="true">
        <title>${title}</title>${mastery}
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="sco-${id}" type="webcontent" adlcp:scormtype="sco" href="${LESSON_PATHS.launcher}">
${fileList(files, '      ')}
    </resource>
  </resources>
</manifest>
`;
}

/**
 * SCORM 2004 4th edition (ADL SCORM 2004 CAM, §3.4): one item launching the launcher as a SCO.
 * With checkpoints, its primary objective is satisfied by measure at the mastery score (IMS Simple
 * Sequencing), which the LMS hands the SCO as `cmi.scaled_passing_score`.
 */
export function scorm2004Manifest(config: LessonConfig, files: readonly string[]): string {
  const id = xmlId(config.scenario);
  const title = xmlText(config.title);
  const sequencing =
    config.masteryScore === null
      ? ''
      : `
        <imsss:sequencing>
          <imsss:objectives>
            <imsss:primaryObjective objectiveID="checkpoints" satisfiedByMeasure="true">
              <imsss:minNormalizedMeasure>${config.masteryScore}</imsss:minNormalizedMeasure>
            </imsss:primaryObjective>
          </imsss:objectives>
        </imsss:sequencing>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="mesh-sim-${id}" version="1"
    xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
    xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"
    xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3"
    xmlns:adlnav="http://www.adlnet.org/xsd/adlnav_v1p3"
    xmlns:imsss="http://www.imsglobal.org/xsd/imsss"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xsi:schemaLocation="http://www.imsglobal.org/xsd/imscp_v1p1 imscp_v1p1.xsd http://www.adlnet.org/xsd/adlcp_v1p3 adlcp_v1p3.xsd http://www.adlnet.org/xsd/adlseq_v1p3 adlseq_v1p3.xsd http://www.adlnet.org/xsd/adlnav_v1p3 adlnav_v1p3.xsd http://www.imsglobal.org/xsd/imsss imsss_v1p0.xsd">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>2004 4th Edition</schemaversion>
  </metadata>
  <organizations default="org-${id}">
    <organization identifier="org-${id}">
      <title>${title}</title>
      <item identifier="item-${id}" identifierref="sco-${id}">
        <title>${title}</title>${sequencing}
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="sco-${id}" type="webcontent" adlcp:scormType="sco" href="${LESSON_PATHS.launcher}">
${fileList(files, '      ')}
    </resource>
  </resources>
</manifest>
`;
}

/**
 * cmi5 (cmi5 Quartz, §13.1 Course Structure): a course of one AU, the launcher. With checkpoints
 * the AU moves on when completed and passed at the mastery score; without, when completed.
 */
export function cmi5CourseStructure(config: LessonConfig): string {
  const langstring = (text: string): string => `<langstring lang="en-US">${xmlText(text)}</langstring>`;
  const moveOn = config.masteryScore === null ? 'Completed' : 'CompletedAndPassed';
  const mastery = config.masteryScore === null ? '' : ` masteryScore="${config.masteryScore}"`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">
  <course id="${xmlText(config.id)}">
    <title>${langstring(config.title)}</title>
    <description>${langstring(config.description)}</description>
  </course>
  <au id="${xmlText(`${config.id}/au`)}" moveOn="${moveOn}"${mastery} launchMethod="AnyWindow">
    <title>${langstring(config.title)}</title>
    <description>${langstring(config.description)}</description>
    <url>${LESSON_PATHS.launcher}</url>
  </au>
</courseStructure>
`;
}
