import type {
  CheckpointInfoDto,
  DlqMessageDto,
  JobDetailDto,
  JobOverviewDto,
  JobStatusDto,
} from '@flinknet/contracts';
import { expectTypeOf } from 'vitest';
import { createClient } from '../createClient';
import type { Page } from './routes';

const client = createClient({ baseUrl: 'http://127.0.0.1:8081' });

expectTypeOf(client.jobs.get).parameters.toEqualTypeOf<
  [
    string,
    (
      | { signal?: AbortSignal; timeoutMs?: number | false; headers?: Record<string, string> }
      | undefined
    )?,
  ]
>();
expectTypeOf(client.jobs.get('id')).resolves.toEqualTypeOf<JobDetailDto>();
expectTypeOf(client.jobs.status('id')).resolves.toEqualTypeOf<JobStatusDto>();
expectTypeOf(client.jobs.list({ status: 'RUNNING' })).resolves.toEqualTypeOf<
  Page<JobOverviewDto>
>();
expectTypeOf(client.jobs.iterate({ status: 'RUNNING' })).toEqualTypeOf<
  AsyncIterableIterator<JobOverviewDto>
>();
expectTypeOf(client.jobs.iterateCheckpoints).parameter(0).toEqualTypeOf<string>();
expectTypeOf(client.jobs.checkpoints('id')).resolves.toEqualTypeOf<Page<CheckpointInfoDto>>();
expectTypeOf(client.jobs.checkpoint).parameter(1).toEqualTypeOf<number>();
expectTypeOf(
  client.dlq.update('j', 'm', { newPayload: 'e30=' }),
).resolves.toEqualTypeOf<DlqMessageDto>();
expectTypeOf(client.dlq.delete('j', 'm')).resolves.toEqualTypeOf<undefined>();
expectTypeOf(client.system.metrics()).resolves.toEqualTypeOf<string>();
expectTypeOf(client.request('jobs.status', 'id')).resolves.toEqualTypeOf<JobStatusDto>();
client.jobs.submit({ jobName: 'x', steps: [] }, { idempotencyKey: 'k' });
// @ts-expect-error scale needs a body
client.jobs.scale('id');
// @ts-expect-error the restart body is strict
client.jobs.restart('id', { checkpoint: 3 });
client.jobs.restart('id', { checkpointId: 3 });
// @ts-expect-error internal routes are not part of the SDK
client.internal;
