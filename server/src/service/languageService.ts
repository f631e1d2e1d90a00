// The Falco Lens language service: one rules service and one alerts service sharing a host. The alerts service
// reads the rules workspace (to identify rules of text alerts, to validate generated exceptions).
import type { ServiceHost } from './host';
import { LANGUAGE_ALERTS, LANGUAGE_RULES, type DocumentFeatures } from './features';
import { createRulesService, type RulesService } from './rules';
import { createAlertsService, type AlertsService } from './alerts';

export class FalcoLanguageService {
  readonly rules: RulesService;
  readonly alerts: AlertsService;

  constructor(readonly host: ServiceHost) {
    this.rules = createRulesService(host);
    this.alerts = createAlertsService(host, this.rules);
  }

  forLanguage(languageId: string): DocumentFeatures | undefined {
    if (languageId === LANGUAGE_RULES) return this.rules;
    if (languageId === LANGUAGE_ALERTS) return this.alerts;
    return undefined;
  }
}
