export * from './app-config.js';
export * from './config.tokens.js';
export * from './config.module.js';
