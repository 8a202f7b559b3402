/**
 * Where a build adds meshes. Empty in the sources: `MESH_SIM_EXTENSIONS=a.ts,b.ts npm run build`
 * makes vite (vite.config.ts, plugin mesh-sim-extensions) import those modules here, first, in the
 * page and in the simulation worker alike; each calls `registerMesh` (src/mesh/profiles/index.ts,
 * README "Adding a mesh"). In Node the command line loads the same modules from the same
 * variable, and any program can load them with `node --import`.
 */
export {};
