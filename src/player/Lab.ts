/**
 * The learner's experiments on one scenario: the knobs (shared by every branch) and the faults
 * injected at the playhead. Each injected fault makes a new *branch* — the run before it stays
 * reachable as its parent — so "what if reviews-0 crashed at 4.2 s?" can be asked, answered and
 * undone by switching back. Plain data and pure methods: the app re-simulates whatever
 * {@link Lab.edits} says.
 */
import { commandCode, type LearnerCommand, type ScenarioEdits } from './edits.ts';

/** A line of what-ifs: the commands applied, in order. */
export interface Branch {
  id: number;
  /** The branch it was made from (null for the run as written). */
  parent: number | null;
  commands: LearnerCommand[];
  /** `as written`, `+ crash reviews-0 at 4.2 s`. */
  label: string;
}

export class Lab {
  private list: Branch[] = [{ id: 0, parent: null, commands: [], label: 'as written' }];
  private currentId = 0;
  /** Knob and native-setting edits (no commands): the same in every branch. */
  knobs: ScenarioEdits = {};

  get branches(): readonly Branch[] {
    return this.list;
  }

  get current(): Branch {
    return this.list.find((b) => b.id === this.currentId)!;
  }

  /** The parent of the current branch: the run the last fault is compared with. */
  get parent(): Branch | null {
    const p = this.current.parent;
    return p === null ? null : (this.list.find((b) => b.id === p) ?? null);
  }

  /** What the current branch simulates: the knobs plus its commands. */
  get edits(): ScenarioEdits {
    return this.editsOf(this.current);
  }

  editsOf(branch: Branch): ScenarioEdits {
    return branch.commands.length ? { ...this.knobs, commands: branch.commands } : this.knobs;
  }

  /** Adds `command` on top of the current branch, as a new branch that becomes current. */
  inject(command: LearnerCommand): Branch {
    const from = this.current;
    const branch: Branch = {
      id: Math.max(...this.list.map((b) => b.id)) + 1,
      parent: from.id,
      commands: [...from.commands, command],
      label: `+ ${commandCode().describeCommand(command)}`,
    };
    this.list.push(branch);
    this.currentId = branch.id;
    return branch;
  }

  /** Makes branch `id` current; false when there is none. */
  switchTo(id: number): boolean {
    if (!this.list.some((b) => b.id === id)) return false;
    this.currentId = id;
    return true;
  }

  /** Forgets branch `id` (and the branches made from it); the run as written stays. */
  drop(id: number): void {
    if (id === 0) return;
    const gone = new Set([id]);
    for (const b of this.list) if (b.parent !== null && gone.has(b.parent)) gone.add(b.id);
    this.list = this.list.filter((b) => !gone.has(b.id));
    if (gone.has(this.currentId)) this.currentId = 0;
  }
}
