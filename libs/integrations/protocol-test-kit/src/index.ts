export { ProtocolTestKitModule } from './protocol-test-kit.module.js';
export {
  PROTOCOL_TEST_KIT_PACK_ID,
  protocolTestKitConfigSchema,
  protocolTestKitPack,
  type ProtocolTestKitConfig,
} from './protocol-test-kit.pack.js';
export { elicitForm, isModernRequest, requestSampling, type ClientInput } from './client-input.js';
