/**
 * @module
 * API tokens (hashes only) and the audit log of authenticated requests.
 */

import type { Statement } from 'better-sqlite3';
import { asc, count, desc, eq, lt } from 'drizzle-orm';
import { AlreadyExistsError } from '../errors';
import { decodeCursor } from '../internals/cursor';
import { type RepoContext, writeTx } from '../internals/db';
import { checkLimit, toPage } from '../internals/paging';
import { toStoredTime } from '../internals/time';
import { apiTokens, auditLog } from '../schema';
import type { AuditRecord, NewAudit, Page, PageOptions, TokenRecord } from '../types';

const LIST = 'audit';

type AuditRow = Omit<AuditRecord, 'id'>;

/** Tokens and audit entries. */
export class AuthRepository {
  private readonly byHash: Statement<[string], TokenRecord>;
  // Every authenticated request writes an audit row (and may touch its token): plain statements, prepared once.
  private readonly insertAudit: Statement<[AuditRow]>;
  private readonly touch: Statement<[{ tokenId: string; at: string }]>;

  constructor(private readonly ctx: RepoContext) {
    this.insertAudit = ctx.sqlite.prepare(
      `INSERT INTO audit_log (at, token_id, role, method, route, job_id, status, request_id)
       VALUES (@at, @tokenId, @role, @method, @route, @jobId, @status, @requestId)`,
    );
    this.touch = ctx.sqlite.prepare(
      'UPDATE api_tokens SET last_used_at = @at WHERE token_id = @tokenId',
    );
    // Every authenticated request looks its token up by hash.
    this.byHash = ctx.sqlite.prepare<[string], TokenRecord>(
      `SELECT token_id AS tokenId, name, role, hash, created_at AS createdAt,
         expires_at AS expiresAt, last_used_at AS lastUsedAt
       FROM api_tokens WHERE hash = ?`,
    );
  }

  createToken(token: Omit<TokenRecord, 'createdAt' | 'lastUsedAt'>): TokenRecord {
    const at = this.ctx.now().toISOString();
    return writeTx(this.ctx, (tx) => {
      if (tx.select().from(apiTokens).where(eq(apiTokens.tokenId, token.tokenId)).get()) {
        throw new AlreadyExistsError('token', token.tokenId);
      }
      if (this.byHash.get(token.hash))
        throw new AlreadyExistsError('token with this hash', token.tokenId);
      return tx
        .insert(apiTokens)
        .values({
          tokenId: token.tokenId,
          name: token.name,
          role: token.role,
          hash: token.hash,
          expiresAt: token.expiresAt === null ? null : toStoredTime(token.expiresAt, 'expiresAt'),
          createdAt: at,
          lastUsedAt: null,
        })
        .returning()
        .get();
    });
  }

  findTokenByHash(hash: string): TokenRecord | undefined {
    return this.byHash.get(hash);
  }

  listTokens(): TokenRecord[] {
    return this.ctx.db
      .select()
      .from(apiTokens)
      .orderBy(asc(apiTokens.createdAt), asc(apiTokens.tokenId))
      .all();
  }

  deleteToken(tokenId: string): boolean {
    return this.ctx.db.delete(apiTokens).where(eq(apiTokens.tokenId, tokenId)).run().changes > 0;
  }

  /** Best effort: a token deleted while its request runs is not an error. */
  touchToken(tokenId: string, at?: string): void {
    const time = at === undefined ? this.ctx.now().toISOString() : toStoredTime(at, 'at');
    this.touch.run({ tokenId, at: time });
  }

  countTokens(): number {
    return this.ctx.db.select({ n: count() }).from(apiTokens).get()?.n ?? 0;
  }

  appendAudit(entry: NewAudit): void {
    const at = entry.at === undefined ? this.ctx.now().toISOString() : toStoredTime(entry.at, 'at');
    this.insertAudit.run({
      at,
      tokenId: entry.tokenId ?? null,
      role: entry.role ?? null,
      method: entry.method,
      route: entry.route,
      jobId: entry.jobId ?? null,
      status: entry.status,
      requestId: entry.requestId ?? null,
    });
  }

  listAudit(filter: PageOptions): Page<AuditRecord> {
    const limit = checkLimit(filter.limit);
    const after =
      filter.cursor === undefined ? undefined : decodeCursor(LIST, filter.cursor, ['n'] as const);
    const rows = this.ctx.db
      .select()
      .from(auditLog)
      .where(after === undefined ? undefined : lt(auditLog.id, after[0]))
      .orderBy(desc(auditLog.id))
      .limit(limit + 1)
      .all();
    return toPage(
      rows,
      limit,
      LIST,
      (r) => [r.id],
      (r) => r,
    );
  }
}
