import { appSettings, env, setting, settingsSchema, type Settings } from '../../lib/config';

/** The variables `npm run stripe:emulator` reads (docs/configuration.md "Payments"; NODE_ENV and LOG_LEVEL as every process reads them). */
export const stripeEmulatorSettings = {
  NODE_ENV: appSettings.NODE_ENV,
  STRIPE_EMULATOR_PORT: appSettings.STRIPE_EMULATOR_PORT,
  STRIPE_EMULATOR_WEBHOOK_URL: setting(env.url(['http', 'https']), {
    group: 'payments',
    default: 'none: events are kept, not sent',
    description: '`npm run stripe:emulator` sends every event there as a signed webhook (needs `STRIPE_WEBHOOK_SECRET`).',
  }),
  STRIPE_WEBHOOK_SECRET: appSettings.STRIPE_WEBHOOK_SECRET,
  LOG_LEVEL: appSettings.LOG_LEVEL,
} satisfies Settings;

export const stripeEmulatorSchema = settingsSchema(stripeEmulatorSettings);
