import * as objects from '@hubspot/api-client/lib/codegen/crm/objects/index.js';
import * as owners from '@hubspot/api-client/lib/codegen/crm/owners/index.js';
import * as pipelines from '@hubspot/api-client/lib/codegen/crm/pipelines/index.js';
import * as properties from '@hubspot/api-client/lib/codegen/crm/properties/index.js';
import * as oauth from '@hubspot/api-client/lib/codegen/oauth/index.js';

import type { HubSpotTransport } from './hubspot-transport.js';

/**
 * The official SDK's generated API clients, configured with our HTTP library instead of its own fetch:
 * `createConfiguration({ httpApi })` is the generated clients' documented extension point. The SDK's
 * `Client` facade builds its configuration itself and offers no such hook (only an `http.Agent`), so the
 * pack uses the generated clients directly. No auth method is configured in the SDK: the transport adds
 * the bearer token, so it never sits in an SDK object.
 */
export interface HubSpotApis {
  readonly objects: objects.BasicApi;
  readonly search: objects.SearchApi;
  readonly batch: objects.BatchApi;
  readonly pipelines: pipelines.PipelinesApi;
  readonly properties: properties.CoreApi;
  readonly owners: owners.OwnersApi;
}

function trimBase(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, '');
}

export function hubspotApis(baseUrl: string, transport: HubSpotTransport): HubSpotApis {
  const base = trimBase(baseUrl);
  const send = { send: (request: Parameters<HubSpotTransport['send']>[0]) => transport.send(request) };
  const objectsConfig = objects.createConfiguration({
    baseServer: new objects.ServerConfiguration<Record<string, string>>(base, {}),
    httpApi: objects.wrapHttpLibrary(send),
  });
  const pipelinesConfig = pipelines.createConfiguration({
    baseServer: new pipelines.ServerConfiguration<Record<string, string>>(base, {}),
    httpApi: pipelines.wrapHttpLibrary(send),
  });
  const propertiesConfig = properties.createConfiguration({
    baseServer: new properties.ServerConfiguration<Record<string, string>>(base, {}),
    httpApi: properties.wrapHttpLibrary(send),
  });
  const ownersConfig = owners.createConfiguration({
    baseServer: new owners.ServerConfiguration<Record<string, string>>(base, {}),
    httpApi: owners.wrapHttpLibrary(send),
  });
  return {
    objects: new objects.BasicApi(objectsConfig),
    search: new objects.SearchApi(objectsConfig),
    batch: new objects.BatchApi(objectsConfig),
    pipelines: new pipelines.PipelinesApi(pipelinesConfig),
    properties: new properties.CoreApi(propertiesConfig),
    owners: new owners.OwnersApi(ownersConfig),
  };
}

/** The OAuth token endpoint client (POST /oauth/v1/token, a form body). */
export function hubspotTokensApi(baseUrl: string, transport: HubSpotTransport): oauth.TokensApi {
  const send = { send: (request: Parameters<HubSpotTransport['send']>[0]) => transport.send(request) };
  return new oauth.TokensApi(
    oauth.createConfiguration({
      baseServer: new oauth.ServerConfiguration<Record<string, string>>(trimBase(baseUrl), {}),
      httpApi: oauth.wrapHttpLibrary(send),
    }),
  );
}
