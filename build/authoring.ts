/**
 * Build-time pieces of the authoring view and of lesson packages:
 * - `virtual:scenario-schema`: the scenario's JSON Schema, generated from the zod schema when the
 *   site is built, for the authoring view's completion and hover docs (the generator stays out of
 *   the page);
 * - `site-files.json`: the list of the built site's files, which the authoring view fetches to
 *   pack a lesson in the browser, as the CLI's `package` reads them from the folder.
 */
import type { Plugin } from 'vite';
import { scenarioJsonSchema } from '../src/scenario/jsonSchema.ts';

export function scenarioSchema(): Plugin {
  const id = 'virtual:scenario-schema';
  return {
    name: 'mesh-sim-scenario-schema',
    resolveId: (source) => (source === id ? `\0${id}` : null),
    load: (source) => (source === `\0${id}` ? `export default ${JSON.stringify(scenarioJsonSchema())};` : null),
  };
}

export function siteFiles(): Plugin {
  return {
    name: 'mesh-sim-site-files',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      this.emitFile({ type: 'asset', fileName: 'site-files.json', source: `${JSON.stringify(Object.keys(bundle).sort(), null, 1)}\n` });
    },
  };
}
