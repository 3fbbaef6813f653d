import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { LOG_SERIALIZERS, redactUrl, SECRET_PATHS } from './deps.js';

describe('logging', () => {
  it('never writes tokens from URLs or secret fields', () => {
    let out = '';
    const sink = new Writable({
      write(chunk, _enc, cb) {
        out += String(chunk);
        cb();
      },
    });
    const log = pino({ redact: { paths: SECRET_PATHS, censor: '[redacted]' }, serializers: LOG_SERIALIZERS }, sink);
    log.info({ req: { method: 'GET', url: '/v1/widget/ws?token=kfv1.abc.def&x=1' } }, 'incoming request');
    log.info({ body: { password: 'hunter22', token: 'kfs_secret' } }, 'login');
    expect(out).not.toContain('kfv1.abc.def');
    expect(out).not.toContain('hunter22');
    expect(out).not.toContain('kfs_secret');
    expect(out).toContain('token=[redacted]&x=1');
    expect(redactUrl('/v1/ws?a=1&token=kfs_x')).toBe('/v1/ws?a=1&token=[redacted]');
  });
});
