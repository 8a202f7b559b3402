/** A located problem in a scenario file and how it is printed; apart from the loader, so that showing one needs no parser. */

/** One located problem in a scenario file. */
export interface ScenarioProblem {
  /** The file, or `--set key=value` for a problem with a command-line override. */
  file: string;
  /** 1-based, and always a line of the text (1 for an override). */
  line: number;
  column: number;
  /** Dotted path of the offending field (`services[1].replicas`), empty for the whole file. */
  path: string;
  message: string;
}

/** `scenarios/retries.yaml:14:7: retries.attempts must be a whole number ≥ 0 (got "three")` */
export function formatProblem(p: ScenarioProblem): string {
  return `${p.file}:${p.line}:${p.column}: ${p.path ? `${p.path} ` : ''}${p.message}`;
}

/** `services[1].replicas`, `metadata.annotations["retry.linkerd.io/http"]` */
export function pathString(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    const key = String(p);
    if (typeof p === 'number') out += `[${p}]`;
    // Keys that would read as more than one segment (or as nothing) are quoted.
    else if (!/^[A-Za-z_$][\w$-]*$/.test(key)) out += `[${JSON.stringify(key)}]`;
    else out += out === '' ? key : `.${key}`;
  }
  return out;
}
