/**
 * @module
 * The REST calls the scenarios make, through plain fetch, each answer checked
 * against the contracts' schema so a drifting server fails loudly.
 */
import {
  CheckpointInfoDto,
  DlqMessageDto,
  DlqResubmitResultDto,
  type JobDefinitionInput,
  JobDetailDto,
  JobStatusDto,
  type ScaleParametersDto,
  TaskManagerInfo,
  VertexMetricsDto,
} from '@flinknet/contracts';

/** Any schema with zod's parse. */
interface Schema<T> {
  parse(data: unknown): T;
}

/** A non-2xx answer, with the problem body for the assertion message. */
export class RestError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    what: string,
  ) {
    super(`${what} answered ${status}: ${JSON.stringify(body)}`);
  }
}

export class Rest {
  constructor(
    readonly baseUrl: string,
    private readonly token?: string,
  ) {}

  private async call<T>(
    method: string,
    path: string,
    schema: Schema<T>,
    body?: unknown,
    expect?: number,
  ): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(this.baseUrl + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await response.text();
    const json: unknown = text ? JSON.parse(text) : undefined;
    if (!response.ok) throw new RestError(response.status, json, `${method} ${path}`);
    if (expect !== undefined && response.status !== expect) {
      throw new RestError(response.status, json, `${method} ${path} (expected ${expect})`);
    }
    return schema.parse(json);
  }

  submit(definition: JobDefinitionInput) {
    return this.call('POST', '/api/jobmanager/submit', JobStatusDto, definition, 201);
  }

  status(jobId: string) {
    return this.call('GET', `/api/jobmanager/jobs/${jobId}/status`, JobStatusDto);
  }

  job(jobId: string) {
    return this.call('GET', `/api/jobmanager/jobs/${jobId}`, JobDetailDto);
  }

  metrics(jobId: string) {
    return this.call('GET', `/api/jobmanager/jobs/${jobId}/metrics`, VertexMetricsDto.array());
  }

  checkpoints(jobId: string) {
    return this.call(
      'GET',
      `/api/jobmanager/jobs/${jobId}/checkpoints?limit=1000`,
      CheckpointInfoDto.array(),
    );
  }

  stop(jobId: string) {
    return this.call('POST', `/api/jobmanager/jobs/${jobId}/stop`, JobStatusDto, {}, 202);
  }

  cancel(jobId: string) {
    return this.call('POST', `/api/jobmanager/jobs/${jobId}/cancel`, JobStatusDto, undefined, 202);
  }

  scale(jobId: string, body: ScaleParametersDto) {
    return this.call('PUT', `/api/jobmanager/jobs/${jobId}/scale`, JobStatusDto, body, 202);
  }

  taskManagers() {
    return this.call('GET', '/api/jobmanager/taskmanagers', TaskManagerInfo.array());
  }

  dlq(jobId: string) {
    return this.call('GET', `/dlq/${jobId}/messages?limit=1000`, DlqMessageDto.array());
  }

  updateDlq(jobId: string, messageId: string, newPayload: string) {
    return this.call(
      'PUT',
      `/dlq/${jobId}/messages/${messageId}`,
      DlqMessageDto,
      { newPayload },
      200,
    );
  }

  resubmitDlq(jobId: string) {
    return this.call('POST', `/dlq/${jobId}/resubmit`, DlqResubmitResultDto, {}, 202);
  }
}
