/**
 * @module
 * The dead-letter queue: DlqMessageDto, edits and resubmission.
 */
import { z } from 'zod';
import { Base64, MessageId, PageQuery, Timestamp } from './common';

export const DlqMessageStatus = z.enum(['PENDING', 'RESUBMITTED', 'DISCARDED']);
export type DlqMessageStatus = z.infer<typeof DlqMessageStatus>;

export const DlqMessageDto = z.object({
  messageId: z.string(),
  jobId: z.string(),
  stepName: z.string().describe('the step that rejected the record; resubmission enters it here'),
  subtaskIndex: z.number().int().nonnegative(),
  errorMessage: z.string(),
  payload: Base64.describe('the record as the step received it (UTF-8 JSON, base64)'),
  newPayload: Base64.nullable().describe('the repaired record, when edited'),
  status: DlqMessageStatus,
  attempts: z.number().int().nonnegative().describe('how often it was resubmitted'),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type DlqMessageDto = z.infer<typeof DlqMessageDto>;

export const DlqListQuery = PageQuery.extend({
  status: DlqMessageStatus.optional(),
});
export type DlqListQuery = z.infer<typeof DlqListQuery>;

/** Body of `PUT /dlq/{jobId}/messages/{messageId}`. */
export const DlqMessageUpdateDto = z.strictObject({
  newPayload: Base64,
});
export type DlqMessageUpdateDto = z.infer<typeof DlqMessageUpdateDto>;

/** Body of `POST /dlq/{jobId}/resubmit` (optional): which messages; default all PENDING. */
export const DlqResubmitRequestDto = z.strictObject({
  messageIds: z.array(MessageId).max(10_000).optional(),
});
export type DlqResubmitRequestDto = z.infer<typeof DlqResubmitRequestDto>;

export const DlqResubmitResultDto = z.object({
  jobId: z.string(),
  resubmitted: z.number().int().nonnegative(),
  messageIds: z.array(z.string()),
});
export type DlqResubmitResultDto = z.infer<typeof DlqResubmitResultDto>;
