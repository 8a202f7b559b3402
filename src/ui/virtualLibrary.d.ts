/** The scenario library compiled when the site is built (build/scenarioLibrary.ts). */
declare module 'virtual:mesh-sim/library' {
  import type { LoadResult } from '../scenario/index.ts';
  import type { PrebuiltRun } from '../player/run.ts';
  /**
   * One library scenario, in course order (build/course.ts): its key (its file is
   * `scenarios/<key>.yaml`), its title (null when the file has problems), and its contents on demand;
   * its run as written under each mesh it is offered under, made when the site was built (build/libraryRuns.ts).
   */
  const index: readonly {
    key: string;
    title: string | null;
    load: () => Promise<{ text: string; loaded: LoadResult }>;
    runs: Record<string, () => Promise<{ run: PrebuiltRun }>>;
  }[];
  export default index;
}
