import { Controller, Get, Inject, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { APP_CONFIG, type AppConfig } from '../../config/index.js';
import { STYLESHEET } from '../views/html.js';
import { allowSameSitePost, sendInteractionOutcome } from './interaction-response.js';
import { InteractionService, type InteractionOutcome } from './interaction.service.js';

/**
 * Sign-in and consent pages. Thin: the service decides; this sends pages with a strict CSP (no scripts
 * at all; forms may post here and land on the client's redirect URI), no caching, no framing.
 */
@Controller('interaction')
export class InteractionController {
  private readonly publicOrigin: string;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly interactions: InteractionService,
  ) {
    this.publicOrigin = new URL(config.publicUrl).origin;
  }

  @Get('assets/style.css')
  stylesheet(@Res() res: Response): void {
    res.type('text/css').set('Cache-Control', 'public, max-age=3600').send(STYLESHEET);
  }

  @Get(':uid')
  async show(@Req() req: Request, @Res() res: Response): Promise<void> {
    this.send(res, await this.interactions.show(req, res));
  }

  @Post(':uid/login')
  async login(@Req() req: Request, @Res() res: Response): Promise<void> {
    if (!this.sameOrigin(req, res)) return;
    this.send(res, await this.interactions.login(req, res));
  }

  @Post(':uid/confirm')
  async confirm(@Req() req: Request, @Res() res: Response): Promise<void> {
    if (!this.sameOrigin(req, res)) return;
    this.send(res, await this.interactions.confirm(req, res));
  }

  @Post(':uid/abort')
  async abort(@Req() req: Request, @Res() res: Response): Promise<void> {
    if (!this.sameOrigin(req, res)) return;
    this.send(res, await this.interactions.abort(req, res));
  }

  private sameOrigin(req: Request, res: Response): boolean {
    return allowSameSitePost(req, res, this.publicOrigin);
  }

  private send(res: Response, outcome: InteractionOutcome): void {
    sendInteractionOutcome(res, outcome);
  }
}
