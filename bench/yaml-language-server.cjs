// Starts yaml-language-server (the npm package) over stdio with its validation debounce set to 0 ms, so that the
// benchmark compares the two servers' validation work on equal terms: Falco Lens is started with
// initializationOptions.validationDelayMs = 0, and yaml-language-server has a fixed 200 ms delay
// (SettingsState.validationDelayMs) that no setting changes. Nothing else is altered.
'use strict';
const settingsModule = require('yaml-language-server/out/server/src/yamlSettings.js');

const Original = settingsModule.SettingsState;
if (typeof Original !== 'function') throw new Error('yaml-language-server layout changed: SettingsState not found');
settingsModule.SettingsState = class extends Original {
  constructor(...args) {
    super(...args);
    if (typeof this.validationDelayMs !== 'number') throw new Error('yaml-language-server layout changed: validationDelayMs not found');
    this.validationDelayMs = 0;
  }
};
process.env.YAML_LANGUAGE_SERVER_VERSION = require('yaml-language-server/package.json').version;
require('yaml-language-server/out/server/src/server.js');
