import { describe, it } from '@jest/globals';
import { synthesizeForSuite, type SynthesizedApp } from './support/synth';

describe('events stack', () => {
  let dev: SynthesizedApp;
  let prod: SynthesizedApp;
  synthesizeForSuite((apps) => ({ dev, prod } = apps));

  it('holds the custom bus and an archive of every domain event for replay', () => {
    const template = dev.templates.events;
    template.resourceCountIs('AWS::Events::EventBus', 1);
    template.hasResourceProperties('AWS::Events::EventBus', { Name: 'ecommerce-dev-events' });
    template.resourceCountIs('AWS::Events::Archive', 1);
    template.hasResourceProperties('AWS::Events::Archive', {
      ArchiveName: 'ecommerce-dev-events-archive',
      EventPattern: { source: [{ prefix: 'ecommerce.' }] },
      RetentionDays: 7,
    });
    prod.templates.events.hasResourceProperties('AWS::Events::Archive', { RetentionDays: 90 });
  });

  it('keeps the rules with their targets, not here (no cross-stack cycle)', () => {
    dev.templates.events.resourceCountIs('AWS::Events::Rule', 0);
  });
});
