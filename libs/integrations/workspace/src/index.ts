export * from './workspace.pack.js';
export * from './prompt-template.js';
