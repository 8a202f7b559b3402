/** The scenario's JSON Schema, generated at build time (vite.config.ts, `scenarioSchema`). */
declare module 'virtual:scenario-schema' {
  const schema: Record<string, unknown>;
  export default schema;
}
