import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { CfnResource } from 'aws-cdk-lib';
import { VALIDATION_REPORT_FILE } from 'aws-cdk-lib/cx-api';
import type { DeploymentEnvironment } from '../lib/environments';
import { synthesize } from './support/synth';

/**
 * Every template passes the CDK's built-in CloudFormation validation: errors fail the synth
 * (`@aws-cdk/core:validateAgainstDefaultRules` in cdk.json), and the report must not hold a warning either. Both
 * environments, without and with every optional context (the values the other infra tests synthesize with); those
 * tests synthesize with validation off (support/synth.ts), so its rule engine loads once, here.
 */
const EVERY_OPTION = {
  certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc',
  stripePublishableKey: 'pk_live_Storefront123',
  alarmEmail: 'ops@example.com',
  mailFrom: 'Example Shop <orders@shop.example.com>',
  shopUrl: 'https://shop.example.com',
};

function validationReport(outdir: string): unknown {
  return JSON.parse(readFileSync(join(outdir, VALIDATION_REPORT_FILE), 'utf8'));
}

describe('CloudFormation validation', () => {
  it.each<[DeploymentEnvironment, string, Record<string, string>]>([
    ['dev', 'no optional context', {}],
    ['prod', 'no optional context', {}],
    ['dev', 'every optional context', EVERY_OPTION],
    ['prod', 'every optional context', EVERY_OPTION],
  ])('finds nothing in the %s templates, %s', (env, _title, context) => {
    const app = synthesize(env, { validate: true, context });
    try {
      expect(validationReport(app.outdir)).toEqual({ version: expect.any(String), title: 'Validation Report', pluginReports: [] });
    } finally {
      app.cleanup();
    }
  });

  it('fails the synth on a template CloudFormation would refuse (the check above is on)', () => {
    const synthesizeInvalid = () =>
      synthesize('dev', {
        validate: true,
        amend: ({ events }) => new CfnResource(events, 'NotAQueue', { type: 'AWS::SQS::Queue', properties: { DelaySeconds: 'soon' } }),
      });
    expect(synthesizeInvalid).toThrow(/DelaySeconds: 'soon' is not of type 'integer'/);
  });
});
