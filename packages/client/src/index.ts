/**
 * @module
 * @flinknet/client: the typed SDK of the FlinkNet JobManager REST API.
 */

export type {
  JobDefinitionInput,
  JobEventDto,
  JobState,
  JobStatusDto,
  ProblemDetails,
} from '@flinknet/contracts';
export type { FlinkNetClient, JobsApi } from './createClient';
export { createClient } from './createClient';
export { FlinkNetClientError, isFlinkNetClientError } from './errors/FlinkNetClientError';
export type { FailedRequest } from './errors/FlinkNetError';
export { FlinkNetError, isFlinkNetError } from './errors/FlinkNetError';
export { NetworkError } from './errors/NetworkError';
export { TimeoutError } from './errors/TimeoutError';
export { UnexpectedStatusError } from './errors/UnexpectedStatusError';
export type { EventsOptions } from './events';
export { nextCursorFromLink } from './internals/linkHeader';
export type { CallOptions, ClientOptions, RetryOptions, SubmitOptions } from './types/options';
export type {
  GroupName,
  Page,
  PublicRoute,
  PublicRouteName,
  RouteArgs,
  RouteBody,
  RouteGroup,
  RouteItem,
  RouteNamed,
  RouteQuery,
  RouteResult,
} from './types/routes';
export type { WaitForStatusOptions } from './waitForStatus';
