/**
 * @module
 * Roles and API tokens.
 */
import { z } from 'zod';
import { PageQuery, Timestamp } from './common';

/** Roles, from least to most privileged (taskmanager is separate: the protocol only). */
export const Role = z.enum(['viewer', 'operator', 'admin', 'taskmanager']);
export type Role = z.infer<typeof Role>;

/** What role a route needs; `public` needs no token. */
export const RouteRole = z.enum(['public', 'viewer', 'operator', 'admin', 'taskmanager']);
export type RouteRole = z.infer<typeof RouteRole>;

const RANK: Record<Role, number> = { viewer: 1, operator: 2, admin: 3, taskmanager: 0 };

/** True when a token of role `have` may call a route that needs `need`. */
export function roleSatisfies(have: Role, need: RouteRole): boolean {
  if (need === 'public') return true;
  if (need === 'taskmanager') return have === 'taskmanager' || have === 'admin';
  if (have === 'taskmanager') return false;
  return RANK[have] >= RANK[need];
}

export const TokenDto = z.object({
  tokenId: z.string(),
  name: z.string(),
  role: Role,
  createdAt: Timestamp,
  expiresAt: Timestamp.nullable(),
  lastUsedAt: Timestamp.nullable(),
});
export type TokenDto = z.infer<typeof TokenDto>;

export const CreateTokenRequestDto = z.strictObject({
  name: z.string().min(1).max(100),
  role: Role,
  expiresInMs: z
    .number()
    .int()
    .positive()
    .max(10 * 365 * 86_400_000)
    .optional(),
});
export type CreateTokenRequestDto = z.infer<typeof CreateTokenRequestDto>;

/** The secret is returned once, at creation. */
export const CreatedTokenDto = TokenDto.extend({ token: z.string() });
export type CreatedTokenDto = z.infer<typeof CreatedTokenDto>;

/** One audited request: every mutating request, whatever its result. */
export const AuditEntryDto = z.object({
  id: z.number().int().positive(),
  at: Timestamp,
  tokenId: z.string().nullable().describe('null when no valid token was presented'),
  role: Role.nullable(),
  method: z.string(),
  route: z.string().describe('the route path template, e.g. /api/jobmanager/jobs/{jobId}/stop'),
  jobId: z.string().nullable(),
  status: z.number().int().describe('the HTTP status answered'),
  requestId: z.string().nullable(),
});
export type AuditEntryDto = z.infer<typeof AuditEntryDto>;

/** Audit entries are listed newest first, in cursor pages. */
export const AuditListQuery = PageQuery;
export type AuditListQuery = z.infer<typeof AuditListQuery>;
