import { afterAll, beforeAll } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CfnRole, IRole } from 'aws-cdk-lib/aws-iam';
import cdkJson from '../../cdk.json';
import type { DeploymentEnvironment } from '../../lib/environments';
import { buildEcommerceApp, type EcommerceStacks } from '../../lib/ecommerce-app';

export type StackName = Exclude<keyof EcommerceStacks, 'settings'>;

export interface SynthesizedApp {
  readonly stacks: EcommerceStacks;
  readonly templates: Readonly<Record<StackName, Template>>;
  /** The cloud assembly directory. */
  readonly outdir: string;
  /** Removes the cloud assembly directory. */
  cleanup(): void;
}

const STACK_NAMES: readonly StackName[] = ['network', 'data', 'events', 'cache', 'subgraphs', 'gateway', 'notifications', 'observability'];

export interface SynthesizeOptions {
  readonly bundle?: boolean;
  readonly validate?: boolean;
  readonly context?: Record<string, string>;
  /** Changes the app before it is synthesized (a test of the synthesis itself). */
  readonly amend?: (stacks: EcommerceStacks) => void;
}

/**
 * Synthesizes the whole app once, with the same feature flags as `cdk synth` (infra/cdk.json), into a temporary
 * directory. Without `bundle`, NodejsFunctions are not bundled (the CDK's `aws:cdk:bundling-stacks` context) and no
 * asset is staged: templates are the same, only the code asset is a stand-in. The subgraphs test bundles for real.
 *
 * Without `validate`, the CDK's built-in CloudFormation validation is off: it checks the templates against
 * CloudFormation's rules (errors fail the synth: `@aws-cdk/core:validateAgainstDefaultRules`), and loading its rule
 * engine takes seconds in every test file. template-validation.test.ts validates every configuration the tests
 * synthesize; the other files assert on what the templates say.
 */
export function synthesize(env: DeploymentEnvironment, options: SynthesizeOptions = {}): SynthesizedApp {
  const outdir = mkdtempSync(join(tmpdir(), 'ecommerce-cdk-'));
  const app = new App({
    outdir,
    builtinCloudFormationValidation: options.validate ?? false,
    // Without bundling, assets are referenced where they are rather than copied into the assembly (the gateway's image
    // asset alone is a copy of the repository): the templates are the same, and removing the assembly is instant.
    context: { ...cdkJson.context, env, ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [], 'aws:cdk:disable-asset-staging': true }), ...options.context },
  });
  const cleanup = () => rmSync(outdir, { recursive: true, force: true });
  try {
    const stacks = options.bundle ? withoutBundlingProgress(() => buildEcommerceApp(app)) : buildEcommerceApp(app);
    options.amend?.(stacks);
    const templates = Object.fromEntries(STACK_NAMES.map((name) => [name, Template.fromStack(stacks[name])])) as Record<StackName, Template>;
    return { stacks, templates, outdir, cleanup };
  } catch (error) {
    cleanup();
    throw error;
  }
}

/**
 * The CDK writes "Bundling asset <path>..." to stderr for every function it bundles, whatever the log level: progress
 * of a synth, noise in a test's output. Only those lines are dropped; esbuild's warnings and errors (its own
 * process's output) and every exception still show.
 */
function withoutBundlingProgress<T>(build: () => T): T {
  const write = process.stderr.write;
  process.stderr.write = ((chunk: unknown, ...rest: unknown[]) =>
    typeof chunk === 'string' && /^Bundling asset \S+\.\.\.\n$/.test(chunk) ? true : (write as (...args: unknown[]) => boolean).call(process.stderr, chunk, ...rest)) as typeof process.stderr.write;
  try {
    return build();
  } finally {
    process.stderr.write = write;
  }
}

export interface PolicyStatement {
  readonly Effect: string;
  readonly Action: string | readonly string[];
  readonly Resource: unknown;
  readonly Condition?: unknown;
}

export function actionsOf(statement: PolicyStatement): readonly string[] {
  return typeof statement.Action === 'string' ? [statement.Action] : statement.Action;
}

export function resourcesOf(statement: PolicyStatement): readonly unknown[] {
  return Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
}

/** Every inline policy statement attached to `role` in its stack's template. */
export function statementsOf(template: Template, role: IRole): PolicyStatement[] {
  const roleId = Stack.of(role).getLogicalId(role.node.defaultChild as CfnRole);
  const policies = template.findResources('AWS::IAM::Policy') as Record<string, { Properties: { Roles: unknown[]; PolicyDocument: { Statement: PolicyStatement[] } } }>;
  return Object.values(policies)
    .filter((policy) => policy.Properties.Roles.some((ref) => JSON.stringify(ref) === JSON.stringify({ Ref: roleId })))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
}

/** The actions a role is granted (inline policies). */
export function actionsGranted(template: Template, role: IRole): Set<string> {
  return new Set(statementsOf(template, role).flatMap(actionsOf));
}

/** Resources of `template` of one type, as [logicalId, resource] pairs. */
export function resourcesOfType(template: Template, type: string): [string, { Properties: Record<string, unknown>; DeletionPolicy?: string }][] {
  return Object.entries(template.findResources(type)) as [string, { Properties: Record<string, unknown>; DeletionPolicy?: string }][];
}

/**
 * Synthesizes the dev and prod apps once for a test file (synthesis bundles every function), hands them over
 * before the first test, and removes their output after the last.
 */
export function synthesizeForSuite(ready: (apps: { dev: SynthesizedApp; prod: SynthesizedApp }) => void): void {
  let apps: { dev: SynthesizedApp; prod: SynthesizedApp } | undefined;
  beforeAll(() => {
    apps = { dev: synthesize('dev'), prod: synthesize('prod') };
    ready(apps);
  });
  afterAll(() => {
    apps?.dev.cleanup();
    apps?.prod.cleanup();
  });
}
