import { describe, expect, it } from '@jest/globals';
import {
  isForeignKeyViolation,
  isRecordNotFound,
  isUniqueViolation,
  prismaErrorCode,
} from './prisma-errors.js';

function known(code: string): Error {
  return Object.assign(new Error('x'), { name: 'PrismaClientKnownRequestError', code });
}

describe('prisma error helpers', () => {
  it('recognise Prisma known request errors by code', () => {
    expect(isUniqueViolation(known('P2002'))).toBe(true);
    expect(isForeignKeyViolation(known('P2003'))).toBe(true);
    expect(isRecordNotFound(known('P2025'))).toBe(true);
    expect(isUniqueViolation(known('P2025'))).toBe(false);
    expect(prismaErrorCode(known('P2034'))).toBe('P2034');
  });

  it('ignore anything else', () => {
    expect(isUniqueViolation(Object.assign(new Error('x'), { code: 'P2002' }))).toBe(false);
    expect(isUniqueViolation({ name: 'PrismaClientKnownRequestError', code: 'P2002' })).toBe(false);
    expect(prismaErrorCode(undefined)).toBeUndefined();
  });
});
