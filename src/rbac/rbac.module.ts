import { Global, Module } from '@nestjs/common';
import { AccessGrantRepository } from './access-grant.repository.js';
import { RbacService } from './rbac.service.js';

@Global()
@Module({ providers: [AccessGrantRepository, RbacService], exports: [RbacService] })
export class RbacModule {}
