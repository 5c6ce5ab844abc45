import type { StorePort } from './ports.js';
import { CONTACT_LIMITS, type PersonalContact } from './supportState.js';

/** Settings key of this device's own people to call (sealed like every setting; never sent). */
export const CONTACTS_KEY = 'supportContacts';

export const NOTICES_SUPPORT = {
  agree: "Please read the group's guidelines and agree to them before joining.",
} as const;

/** The stored list, keeping only entries that are still a name and a number. */
export async function readContacts(store: Pick<StorePort, 'getSetting'>): Promise<PersonalContact[]> {
  const stored = await store.getSetting(CONTACTS_KEY);
  if (!stored.ok || !Array.isArray(stored.value)) return [];
  return stored.value
    .filter(
      (c): c is PersonalContact =>
        typeof c === 'object' &&
        c !== null &&
        typeof (c as PersonalContact).name === 'string' &&
        typeof (c as PersonalContact).phone === 'string' &&
        (c as PersonalContact).name.length <= CONTACT_LIMITS.name &&
        (c as PersonalContact).phone.length <= CONTACT_LIMITS.phone,
    )
    .slice(0, CONTACT_LIMITS.count);
}
