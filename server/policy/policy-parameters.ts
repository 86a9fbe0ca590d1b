/**
 * The main.cf view the policy compiler reads: expanded parameter values by name, as
 * mail_conf_lookup_eval() gives smtpd_check_init(). The registry's MainCf is adapted to it by
 * the caller, so server/policy never imports server/config.
 * Exports: PolicyParameters.
 */

export interface PolicyParameters {
  get(name: string): string; // expanded value; '' when empty or when no such parameter exists
}
