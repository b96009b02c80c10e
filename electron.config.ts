import type { Configuration } from 'electron-builder';

/**
 * Packaging for `npm run dist` (electron-builder loads this TypeScript file itself, through
 * jiti). The app is what `npm run build` leaves in dist/ plus the production dependencies,
 * which electron-builder copies from node_modules on its own.
 */
const config: Configuration = {
  appId: 'dev.samsa.app',
  productName: 'Samsa',
  copyright: 'Copyright © Samsa contributors',
  directories: {
    buildResources: 'build',
    output: 'release',
  },
  files: ['dist/**', 'package.json', '!dist/**/*.map'],
  asar: true,
  linux: {
    target: ['AppImage', 'deb'],
    category: 'Development',
    icon: 'build/icon.png',
    maintainer: 'Samsa contributors',
  },
  mac: {
    target: ['dmg'],
    category: 'public.app-category.developer-tools',
    icon: 'build/icon.png',
  },
  win: {
    target: ['nsis'],
    icon: 'build/icon.png',
  },
  nsis: {
    oneClick: false,
    allowToChangeInstallationDirectory: true,
  },
};

export default config;
