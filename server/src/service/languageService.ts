// The Falco Lens language service: a rules, an alerts and a configuration service sharing a host, and the rules files
// embedded in other YAML files (served by the rules service). The alerts service
// reads the rules workspace (to identify rules of text alerts, to validate generated exceptions).
import type { ServiceHost } from './host';
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
    this.alerts = createAlertsService(host, this.rules);
    this.config = createConfigService(host, this.rules);
    this.embedded = createEmbeddedService(this.rules, host);
  }

  forLanguage(languageId: string): DocumentFeatures | undefined {
    if (languageId === LANGUAGE_RULES) return this.rules;
    if (languageId === LANGUAGE_ALERTS) return this.alerts;
    if (languageId === LANGUAGE_CONFIG) return this.config;
    if (languageId === LANGUAGE_YAML) return this.embedded;
    return undefined;
  }
}
