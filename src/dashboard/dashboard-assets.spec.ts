import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import express from 'express';
import request from 'supertest';
import { dashboardHandler } from './dashboard-assets.js';

let dir: string;
let app: express.Express;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sb-dashboard-'));
  await mkdir(join(dir, 'assets'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><div id="root"></div>');
  await writeFile(join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
  await writeFile(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  app = express();
  app.use('/admin', dashboardHandler(dir, 'http://localhost:3000'));
  app.use((_req, res) => res.status(418).send('fell through'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('dashboard assets', () => {
  it('serves index.html for the app and its routes, never cached, with a strict policy', async () => {
    for (const path of ['/admin', '/admin/', '/admin/t/acme/endpoints', '/admin/sign-in?tenant=acme']) {
      const res = await request(app).get(path);
      expect(res.status).toBe(200);
      expect(res.text).toContain('id="root"');
      expect(res.headers['cache-control']).toBe('no-cache');
      const csp = res.headers['content-security-policy'] as string;
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('upgrade-insecure-requests');
      expect(res.headers['referrer-policy']).toBe('same-origin');
    }
  });

  it('caches hashed assets for a year and answers 404 for a missing one, not the app', async () => {
    const ok = await request(app).get('/admin/assets/index-abc123.js');
    expect(ok.status).toBe(200);
    expect(ok.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const missing = await request(app).get('/admin/assets/index-gone.js');
    expect(missing.status).toBe(404);
    expect(missing.text).not.toContain('id="root"');
    expect((await request(app).get('/admin/favicon.svg')).status).toBe(200);
    expect((await request(app).get('/admin/missing.png')).status).toBe(404);
  });

  it('never serves files outside the build folder', async () => {
    const res = await request(app).get('/admin/assets/..%2f..%2fetc%2fpasswd');
    expect([400, 403, 404]).toContain(res.status);
    expect(res.text).not.toContain('root:');
  });

  it('lets other methods through to the API and says how to build when there is no build', async () => {
    expect((await request(app).post('/admin/')).status).toBe(418);
    const bare = express();
    bare.use('/admin', dashboardHandler(join(dir, 'nothing-here'), 'https://mcp.example.com'));
    const res = await request(bare).get('/admin/');
    expect(res.status).toBe(503);
    expect(res.text).toContain('npm run build');
    expect(res.headers['content-security-policy']).toContain('upgrade-insecure-requests');
  });
});
