export * from './pack.types.js';
export * from './pack.registry.js';
export * from './tool-result.js';
