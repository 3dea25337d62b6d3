// Quiet logs in tests unless asked for (LOG_LEVEL=debug npm test).
process.env['NODE_ENV'] = 'test';
process.env['AWS_EC2_METADATA_DISABLED'] = 'true';
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true';
