/**
 * The CDK app: `npx cdk deploy --all -c env=dev|prod` from infra/ (docs/deploy.md).
 * `npm run cdk:synth` synthesizes every stack offline (no credentials, network or Docker).
 */
import { App } from 'aws-cdk-lib';
import { buildEcommerceApp } from '../lib/ecommerce-app';

const app = new App();
buildEcommerceApp(app);
app.synth();
