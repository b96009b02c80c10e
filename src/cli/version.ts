import packageJson from '../../package.json' with { type: 'json' };

/** The app's version, from package.json, bundled in at build time. */
export const SAMSA_VERSION: string = packageJson.version;
