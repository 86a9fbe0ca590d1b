/**
 * What the gateway would refuse in a configuration, asked before it is saved: the changed
 * parameters compiled with the stored tables into a whole snapshot, in strict mode (unknown
 * restriction names and steps that can never see their data are errors here, though a
 * running Postfix would only answer 451 or skip them). `postconf -e`, `postconf -X`, import
 * and the console pass it to the parameter store.
 * Exports: configurationCheck.
 */
import { MainCf } from '../config/main-cf.ts';
import type { ConfigurationCheck } from '../config/parameter-store.ts';
import { createTableCatalog } from '../maps/table-catalog.ts';
import { openTableStore } from '../maps/table-store.ts';
import { buildSmtpdSnapshot } from '../smtp/smtpd-snapshot.ts';

/** configurationCheck - a check over the stored tables of a data folder. */
export function configurationCheck(dataDir: string): ConfigurationCheck {
  return (changed) => {
    const mainCf = new MainCf(changed);
    if (mainCf.errors().length) return []; // the registry's own checks report these
    const store = openTableStore(dataDir);
    try {
      const built = buildSmtpdSnapshot(mainCf, 0, createTableCatalog(store), { strict: true });
      return built.ok ? [] : built.errors;
    } finally {
      store.close();
    }
  };
}
