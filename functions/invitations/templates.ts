// The invitation and reminder emails, in French and English. Rendered at send time from the outbox row's parameters
// (campaign title, company, deadline, first name) and the link.

export type Locale = 'fr' | 'en';
export type EmailKind = 'invitation' | 'reminder';

export interface EmailParams {
  title: string;
  company: string;
  /** ISO timestamp of the session deadline. */
  deadline: string;
  first_name?: string;
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

function escapeHtml(value: string): string {
  return value.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** The deadline in words, in UTC (the candidate's time zone is unknown), e.g. "jeudi 3 décembre 2026 à 17:00 UTC". */
export function formatDeadline(iso: string, locale: Locale): string {
  const date = new Date(iso);
  const formatted = new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', {
    dateStyle: 'full',
    timeStyle: 'short',
    timeZone: 'UTC',
  }).format(date);
  return `${formatted} UTC`;
}

interface Copy {
  subject: string;
  greeting: string;
  lines: string[];
  action: string;
  footer: string;
}

function copy(kind: EmailKind, locale: Locale, p: EmailParams, deadline: string): Copy {
  const company = p.company.trim();
  const name = p.first_name?.trim();
  if (locale === 'fr') {
    const from = company ? ` de ${company}` : '';
    return kind === 'invitation'
      ? {
        subject: `Invitation à un entretien vidéo : ${p.title}`,
        greeting: name ? `Bonjour ${name},` : 'Bonjour,',
        lines: [
          `Vous êtes invité(e) à un entretien vidéo différé pour « ${p.title} »${from}.`,
          `Vous pouvez le passer quand vous le souhaitez avant le ${deadline}.`,
        ],
        action: 'Commencer',
        footer: 'Ce lien est personnel : ne le transférez pas.',
      }
      : {
        subject: `Rappel : votre entretien vidéo « ${p.title} » se termine bientôt`,
        greeting: name ? `Bonjour ${name},` : 'Bonjour,',
        lines: [
          `Votre entretien vidéo pour « ${p.title} »${from} n'est pas encore terminé.`,
          `Il reste disponible jusqu'au ${deadline}.`,
        ],
        action: "Reprendre l'entretien",
        footer: 'Ce lien est personnel : ne le transférez pas.',
      };
  }
  const at = company ? ` at ${company}` : '';
  return kind === 'invitation'
    ? {
      subject: `Invitation to a video interview: ${p.title}`,
      greeting: name ? `Hello ${name},` : 'Hello,',
      lines: [
        `You are invited to a one-way video interview for "${p.title}"${at}.`,
        `You can take it whenever suits you before ${deadline}.`,
      ],
      action: 'Get started',
      footer: 'This link is personal: please do not forward it.',
    }
    : {
      subject: `Reminder: your video interview "${p.title}" closes soon`,
      greeting: name ? `Hello ${name},` : 'Hello,',
      lines: [
        `Your video interview for "${p.title}"${at} is not finished yet.`,
        `It stays open until ${deadline}.`,
      ],
      action: 'Continue the interview',
      footer: 'This link is personal: please do not forward it.',
    };
}

export function renderEmail(kind: EmailKind, locale: Locale, params: EmailParams, link: string): RenderedEmail {
  const c = copy(kind, locale, params, formatDeadline(params.deadline, locale));
  const text = [c.greeting, '', ...c.lines, '', `${c.action}: ${link}`, '', c.footer, ''].join('\n');
  const html = [
    '<!doctype html>',
    `<html lang="${locale}"><body style="font-family: sans-serif; line-height: 1.5">`,
    `<p>${escapeHtml(c.greeting)}</p>`,
    ...c.lines.map((line) => `<p>${escapeHtml(line)}</p>`),
    `<p><a href="${escapeHtml(link)}">${escapeHtml(c.action)}</a></p>`,
    `<p style="color: #666; font-size: 0.9em">${escapeHtml(c.footer)}</p>`,
    '</body></html>',
  ].join('\n');
  return { subject: c.subject, text, html };
}
