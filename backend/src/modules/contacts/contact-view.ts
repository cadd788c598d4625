import { ContactView } from './contacts.dto';
import { Contact } from './entities/contact.entity';

export function toContactView(contact: Contact): ContactView {
  return {
    id: contact.id,
    name: contact.name,
    phone: contact.phone,
    country: contact.country,
    email: contact.email,
    company: contact.company,
    tags: contact.tags ?? [],
    notes: contact.notes,
    lastCalledAt: contact.lastCalledAt?.toISOString() ?? null,
    createdAt: contact.createdAt.toISOString(),
    updatedAt: contact.updatedAt.toISOString(),
  };
}
