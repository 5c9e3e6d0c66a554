import { Controller, Get, Inject, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { APP_CONFIG, type AppConfig } from '../../config/index.js';
import { allowSameSitePost, sendInteractionOutcome } from '../interaction/interaction-response.js';
import { UPSTREAM_CALLBACK_PATH } from './identity-provider.service.js';
import { UpstreamSignInService } from './upstream-sign-in.service.js';

/**
 * "Continue with …" (a form post from the sign-in page) and the identity provider's return. The
 * callback lives under the provider's mount; OAuthServer's middleware hands `/oauth/upstream/*` on to here.
 */
@Controller()
export class UpstreamSignInController {
  private readonly publicOrigin: string;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly signIn: UpstreamSignInService,
  ) {
    this.publicOrigin = new URL(config.publicUrl).origin;
  }

  @Post('interaction/:uid/sso')
  async start(@Req() req: Request, @Res() res: Response): Promise<void> {
    if (!allowSameSitePost(req, res, this.publicOrigin)) return;
    sendInteractionOutcome(res, await this.signIn.start(req, res));
  }

  @Get(UPSTREAM_CALLBACK_PATH.slice(1))
  async callback(@Req() req: Request, @Res() res: Response): Promise<void> {
    sendInteractionOutcome(res, await this.signIn.callback(req, res));
  }
}
