import { Global, Module } from '@nestjs/common';
import { PackRegistry } from '@switchboard/integration-kit';

/** The process-wide registry integration modules register their tool packs into. */
@Global()
@Module({ providers: [PackRegistry], exports: [PackRegistry] })
export class PacksModule {}
