import { Module, type OnModuleInit } from '@nestjs/common';
// A value import: Nest resolves the constructor parameter from its emitted type metadata.
import { PackRegistry } from '@switchboard/integration-kit';
import { protocolTestKitPack } from './protocol-test-kit.pack.js';

/** Registers the conformance fixture pack. The host provides `PackRegistry` globally. */
@Module({})
export class ProtocolTestKitModule implements OnModuleInit {
  constructor(private readonly registry: PackRegistry) {}

  onModuleInit(): void {
    this.registry.register(protocolTestKitPack);
  }
}
