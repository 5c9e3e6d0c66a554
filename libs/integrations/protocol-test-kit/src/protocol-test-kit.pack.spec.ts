import { describe, expect, it } from '@jest/globals';
import { Test } from '@nestjs/testing';
import { PackRegistry } from '@switchboard/integration-kit';
import { ProtocolTestKitModule, protocolTestKitPack } from './index.js';
import { fakeCallContext } from './testing/fake-call-context.js';

describe('protocolTestKitPack', () => {
  it('is off by default, needs no secrets and accepts only an empty config', () => {
    expect(protocolTestKitPack.id).toBe('protocol-test-kit');
    expect(protocolTestKitPack.exposeByDefault).toBe(false);
    expect(protocolTestKitPack.secrets).toEqual([]);
    const validate = protocolTestKitPack.configSchema['~standard'].validate;
    expect(validate({})).toEqual({ value: {} });
    expect(validate({ extra: 1 })).toHaveProperty('issues');
  });

  it('exposes exactly the names the conformance suite calls, all read-only', async () => {
    const surface = await protocolTestKitPack.surface({ ...fakeCallContext().ctx, config: {} });
    expect(surface.tools.map((t) => t.name).sort()).toEqual(
      [
        'json_schema_2020_12_tool',
        'test_audio_content',
        'test_elicitation',
        'test_elicitation_sep1034_defaults',
        'test_elicitation_sep1330_enums',
        'test_embedded_resource',
        'test_error_handling',
        'test_image_content',
        'test_multiple_content_types',
        'test_reconnection',
        'test_sampling',
        'test_simple_text',
        'test_tool_with_logging',
        'test_tool_with_progress',
      ].sort(),
    );
    expect(surface.resources?.map((r) => r.uri)).toEqual([
      'test://static-text',
      'test://static-binary',
      'test://watched-resource',
    ]);
    expect(surface.resourceTemplates?.map((r) => r.uriTemplate)).toEqual(['test://template/{id}/data']);
    expect(surface.prompts?.map((p) => p.name)).toEqual([
      'test_simple_prompt',
      'test_prompt_with_arguments',
      'test_prompt_with_embedded_resource',
      'test_prompt_with_image',
    ]);
    const everything = [
      ...surface.tools,
      ...(surface.resources ?? []),
      ...(surface.resourceTemplates ?? []),
      ...(surface.prompts ?? []),
    ];
    expect(everything.every((item) => item.permission === 'read')).toBe(true);
    expect(surface.tools.every((t) => t.description.length > 0 && t.annotations.readOnlyHint === true)).toBe(
      true,
    );
    expect(surface.tools.every((t) => /^[a-z0-9_.-]{1,64}$/.test(t.name))).toBe(true);
  });
});

describe('ProtocolTestKitModule', () => {
  it('registers the pack into the host’s PackRegistry at init', async () => {
    const registry = new PackRegistry();
    // Stands in for the host, which provides the registry globally.
    class RegistryHost {}
    const moduleRef = await Test.createTestingModule({
      imports: [
        {
          module: RegistryHost,
          global: true,
          providers: [{ provide: PackRegistry, useValue: registry }],
          exports: [PackRegistry],
        },
        ProtocolTestKitModule,
      ],
    }).compile();
    await moduleRef.init();
    expect(registry.get('protocol-test-kit')).toBe(protocolTestKitPack);
    await moduleRef.close();
  });
});
