import { Inject, Injectable, Module, type OnModuleInit } from '@nestjs/common';
// Value imports: Nest resolves constructor parameters from their emitted type metadata.
import { GuardedHttpClient } from '@switchboard/http-client';
import { PackRegistry } from '@switchboard/integration-kit';

import { trackerDeps } from './core/runtime.js';
import { createGithubPack } from './github/github.pack.js';
import { createJiraPack } from './jira/jira.pack.js';
import { createLinearPack } from './linear/linear.pack.js';

@Injectable()
class ProjectsRegistration implements OnModuleInit {
  constructor(
    private readonly registry: PackRegistry,
    @Inject(GuardedHttpClient) private readonly http: GuardedHttpClient,
  ) {}

  onModuleInit(): void {
    // One rate-limit memory shared by the three packs (keys are per connection).
    const deps = trackerDeps(this.http);
    this.registry.register(createLinearPack(deps));
    this.registry.register(createJiraPack(deps));
    this.registry.register(createGithubPack(deps));
  }
}

/** Registers the project-tracker packs (`linear`, `jira`, `github-issues`). Needs `HttpClientModule`'s client. */
@Module({ providers: [ProjectsRegistration] })
export class ProjectsModule {}
