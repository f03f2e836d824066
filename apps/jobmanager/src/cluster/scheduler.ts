/**
 * @module
 * Pure scheduling decisions. Slot sharing as in Flink: a job needs as many
 * slots as its highest vertex parallelism, and every subtask of a job runs on
 * ONE TaskManager that has that many free slots and offers every operator the
 * job uses (no cross-process data exchange is needed that way).
 */
import type { JobDefinitionDto, JobGraphDto } from '@flinknet/contracts';

/** What the scheduler needs to know about a live TaskManager. */
export interface SlotOffer {
  taskManagerId: string;
  slotsFree: number;
  operators: ReadonlySet<string>;
}

/** Slots a job occupies: its highest vertex parallelism. */
export function slotsNeeded(graph: JobGraphDto): number {
  return Math.max(1, ...graph.vertices.map((v) => v.parallelism));
}

/** The `"<OperatorType>:<typeName>"` strings a job needs (chained operators count as Operators). */
export function requiredOperators(definition: JobDefinitionDto): string[] {
  const needed = new Set<string>();
  for (const step of definition.steps) {
    needed.add(`${step.operatorType}:${step.typeName}`);
    for (const chained of step.chainedOperators ?? []) needed.add(`Operator:${chained.typeName}`);
  }
  return [...needed];
}

/** Every subtask of the graph, in vertex order. */
export function subtasksOf(graph: JobGraphDto): Array<{ vertexId: string; subtaskIndex: number }> {
  return graph.vertices.flatMap((v) =>
    Array.from({ length: v.parallelism }, (_, i) => ({ vertexId: v.id, subtaskIndex: i })),
  );
}

/**
 * The TaskManager to place a job on, or undefined while none fits. Among the
 * ones that fit, the one with the most free slots wins (spreads jobs out);
 * ties go to the lowest id, so the choice is deterministic.
 */
export function pickTaskManager(
  needs: { slots: number; operators: readonly string[] },
  offers: readonly SlotOffer[],
): string | undefined {
  const fitting = offers
    .filter((o) => o.slotsFree >= needs.slots && needs.operators.every((op) => o.operators.has(op)))
    .sort((a, b) => b.slotsFree - a.slotsFree || a.taskManagerId.localeCompare(b.taskManagerId));
  return fitting[0]?.taskManagerId;
}

/**
 * Steps whose operator no registered TaskManager offers, as 422 issues. Only
 * meaningful when some TaskManager is registered: with none, any operator may
 * still arrive and the job waits in CREATED.
 */
export function unofferedSteps(
  definition: JobDefinitionDto,
  offered: ReadonlySet<string>,
): Array<{ path: string; message: string }> {
  const issues: Array<{ path: string; message: string }> = [];
  definition.steps.forEach((step, i) => {
    const key = `${step.operatorType}:${step.typeName}`;
    if (!offered.has(key)) {
      issues.push({
        path: `steps/${i}/typeName`,
        message: `no registered TaskManager offers ${key}`,
      });
    }
    (step.chainedOperators ?? []).forEach((chained, j) => {
      if (!offered.has(`Operator:${chained.typeName}`)) {
        issues.push({
          path: `steps/${i}/chainedOperators/${j}/typeName`,
          message: `no registered TaskManager offers Operator:${chained.typeName}`,
        });
      }
    });
  });
  return issues;
}
