export * from './auth.js';
export * from './common.js';
export * from './contacts.js';
export * from './conversations.js';
export * from './errors.js';
export * from './messages.js';
export * from './trace.js';
export * from './ws.js';
