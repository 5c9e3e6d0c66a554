import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { InvalidArgumentError, NotFoundError } from '../common/domain-error.js';
import { hashPassword, passwordProblem } from './password-hasher.js';
import { UserCredentialsRepository } from './user-credentials.repository.js';

/** Passwords of users (who are created by tenancy when added as members). */
@Injectable()
export class UserAccountsService {
  constructor(private readonly credentials: UserCredentialsRepository) {}

  /** Sets (or replaces) a user's password and lifts any lockout. The password is never stored or logged. */
  async setPassword(
    email: string,
    password: string,
  ): Promise<{ readonly userId: string; readonly email: string }> {
    const parsed = z.email().safeParse(email.trim());
    if (!parsed.success) throw new InvalidArgumentError(`invalid email address "${email}"`);
    const problem = passwordProblem(password);
    if (problem) throw new InvalidArgumentError(problem);
    const user = await this.credentials.findByEmail(parsed.data);
    if (!user) throw new NotFoundError(`user "${parsed.data}" (add them to a tenant first: member add)`);
    await this.credentials.setPasswordHash(user.id, await hashPassword(password));
    return { userId: user.id, email: user.email };
  }

  /**
   * Platform operators list, create and suspend tenants in the admin API. The role is granted here only
   * (the CLI, i.e. someone with access to the deployment), never through the API, so no API caller can
   * make themselves an operator.
   */
  async setOperator(
    email: string,
    operator: boolean,
  ): Promise<{ readonly userId: string; readonly email: string }> {
    const parsed = z.email().safeParse(email.trim());
    if (!parsed.success) throw new InvalidArgumentError(`invalid email address "${email}"`);
    const user = await this.credentials.setPlatformRole(parsed.data, operator ? 'operator' : null);
    if (!user) throw new NotFoundError(`user "${parsed.data}"`);
    return { userId: user.id, email: user.email };
  }

  async listOperators(): Promise<
    { userId: string; email: string; canSignIn: boolean; lastSignInAt: string | null }[]
  > {
    return (await this.credentials.listOperators()).map((u) => ({
      userId: u.id,
      email: u.email,
      canSignIn: u.passwordHash !== null,
      lastSignInAt: u.lastSignInAt?.toISOString() ?? null,
    }));
  }
}
