/**
 * @module
 * The cluster: taskmanagers and overview.
 */
import type { Command } from 'commander';
import { contextOf } from '../context';
import type { Io } from '../io';
import { formatDuration } from '../output/format';
import { keyValues, table } from '../output/table';

/** Registers taskmanagers and overview. */
export function registerClusterCommands(program: Command, io: Io): void {
  program
    .command('taskmanagers')
    .description('List TaskManagers with their slots, heartbeat age and operators')
    .action(async (_opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd, io);
      const taskManagers = await ctx.client.taskManagers.list();
      ctx.print(taskManagers, () =>
        taskManagers.length === 0
          ? 'No TaskManagers registered.\n'
          : table(
              ['ID', 'STATE', 'ADDRESS', 'SLOTS FREE', 'HEARTBEAT', 'VERSION', 'OPERATORS'],
              taskManagers.map((t) => [
                t.taskManagerId,
                t.state,
                t.address,
                `${t.slotsFree}/${t.slotsTotal}`,
                `${formatDuration(t.heartbeatAgeMs)} ago`,
                t.version,
                t.operators.join(','),
              ]),
            ),
      );
    });

  program
    .command('overview')
    .description('Cluster counts: TaskManagers, slots and jobs by state')
    .action(async (_opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd, io);
      const o = await ctx.client.cluster.overview();
      ctx.print(o, () =>
        keyValues([
          ['Version', o.version],
          ['TaskManagers', o.taskManagers],
          ['Slots', `${o.slotsAvailable} free of ${o.slotsTotal}`],
          ['Jobs running', o.jobsRunning],
          ['Jobs finished', o.jobsFinished],
          ['Jobs canceled', o.jobsCanceled],
          ['Jobs failed', o.jobsFailed],
        ]),
      );
    });
}
