// The Falco Lens language service: a rules, an alerts and a configuration service sharing a host, and the rules files
// embedded in other YAML files (served by the rules service). The alerts service
// reads the rules workspace (to identify rules of text alerts, to validate generated exceptions), including the rules
// written in the workspace's Helm values and manifests, open or not.
import type { ServiceHost } from './host';
import type { SymbolInformation } from 'vscode-languageserver-types';
import { LANGUAGE_ALERTS, LANGUAGE_CONFIG, LANGUAGE_RULES, LANGUAGE_YAML, type DocumentFeatures } from './features';
import { createRulesService, type RulesService } from './rules';
import { createAlertsService, type AlertsService } from './alerts';
import { createConfigService, type ConfigService } from './config';
import { createEmbeddedService, type EmbeddedService } from './embedded';

export class FalcoLanguageService {
  readonly rules: RulesService;
  readonly alerts: AlertsService;
  /** falco.yaml and its config_files: reads the rules workspace for rule selections. */
  readonly config: ConfigService;
  /** Rules files inside other YAML files (a Helm chart's customRules, a ConfigMap's data), served by the rules service. */
  readonly embedded: EmbeddedService;

  constructor(readonly host: ServiceHost) {
    this.rules = createRulesService(host);
    const rules = this.rules;
    // Before the alerts service reads the rules, the closed YAML files of the workspace that hold rules are made known.
    const sync = () => this.embedded.syncWorkspace();
    this.alerts = createAlertsService(host, {
      findRule: (name) => { sync(); return rules.findRule(name); },
      allRules: () => { sync(); return rules.allRules(); },
      isListName: (name) => rules.isListName?.(name) ?? false,
      validateText: (uri, text) => rules.validateText(uri, text),
      documentText: (uri) => rules.documentText?.(uri),
      deployments: () => { sync(); return this.embedded.deployments(); },
      fileLabel: (file) => rules.fileLabel(file),
    });
    this.embedded = createEmbeddedService(this.rules, host);
    // The configuration reads the rules of open embedded files, not those read for the alerts service only; a
    // configuration file counts those of the rules files it names (config/index.ts loadedRules).
    this.config = createConfigService(host, this.embedded.withoutClosedFiles(this.rules));
  }

  /** Files changed on disk (an empty list: anything may have changed, e.g. the settings). */
  didChangeWatchedFiles(uris: string[]): void {
    this.rules.didChangeWatchedFiles?.(uris);
    this.embedded.didChangeWatchedFiles?.(uris);
  }

  /** Workspace symbols: the rules files' rules, macros and lists, and those written inside other YAML files (Helm
   *  values, ConfigMaps, Falco Operator Rulesfiles: open, and the closed ones the embedded service reads), at their
   *  host's lines. */
  workspaceSymbols(query: string): SymbolInformation[] {
    return [...this.rules.workspaceSymbols?.(query) ?? [], ...this.embedded.workspaceSymbols?.(query) ?? []];
  }

  forLanguage(languageId: string): DocumentFeatures | undefined {
    if (languageId === LANGUAGE_RULES) return this.rules;
    if (languageId === LANGUAGE_ALERTS) return this.alerts;
    if (languageId === LANGUAGE_CONFIG) return this.config;
    if (languageId === LANGUAGE_YAML) return this.embedded;
    return undefined;
  }
}
