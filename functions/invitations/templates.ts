// The emails of the outbox, in French and English: a candidate's invitation and reminder (campaign title, company,
// deadline, first name), a colleague's invitation into an organization (organization, inviter, link expiry), and the
// notice to an organization's admins that a failing webhook endpoint was disabled (organization, host, times).
// Rendered at send time from the outbox row's parameters and the link.

export type Locale = 'fr' | 'en';
export type EmailKind = 'invitation' | 'reminder' | 'colleague_invitation' | 'webhook_disabled';

export interface EmailParams {
  title?: string;
  company?: string;
  /** ISO timestamp of the session deadline (of the link's expiry, for a colleague invitation). */
  deadline: string;
  first_name?: string;
  /** Colleague invitations: the organization's name and who invites. */
  organization?: string;
  inviter?: string;
  /** webhook_disabled: the endpoint's host (never its path or query) and when its failures began. */
  endpoint_host?: string;
  failing_since?: string;
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

function colleagueCopy(locale: Locale, p: EmailParams, deadline: string): Copy {
  const organization = p.organization?.trim() ?? '';
  const inviter = p.inviter?.trim();
  if (locale === 'fr') {
    return {
      subject: `Invitation à rejoindre ${organization}`,
      greeting: 'Bonjour,',
      lines: [
        `${inviter || 'Un membre'} vous invite à rejoindre l'organisation « ${organization} » pour recruter ensemble ` +
        'par entretiens vidéo différés.',
        `Connectez-vous (ou créez un compte recruteur) avec cette adresse, puis acceptez avant le ${deadline}.`,
      ],
      action: "Rejoindre l'organisation",
      footer: "Si vous n'attendiez pas cette invitation, ignorez ce message.",
    };
  }
  return {
    subject: `Invitation to join ${organization}`,
    greeting: 'Hello,',
    lines: [
      `${inviter || 'A member'} invites you to join the organization "${organization}" to hire together with ` +
      'one-way video interviews.',
      `Sign in (or create a recruiter account) with this address, then accept before ${deadline}.`,
    ],
    action: 'Join the organization',
    footer: 'If you did not expect this invitation, you can ignore this email.',
  };
}

/** To an organization's owners and admins: its webhook endpoint failed too long and was disabled (`deadline`: when). */
function webhookDisabledCopy(locale: Locale, p: EmailParams, disabledAt: string): Copy {
  const organization = p.organization?.trim() ?? '';
  const host = p.endpoint_host?.trim() ?? '';
  const since = p.failing_since ? formatDeadline(p.failing_since, locale) : null;
  if (locale === 'fr') {
    return {
      subject: `Webhook désactivé : ${host}`,
      greeting: 'Bonjour,',
      lines: [
        `Le webhook de l'organisation « ${organization} » vers ${host} a été désactivé le ${disabledAt}` +
        (since ? `, après des échecs de livraison continus depuis le ${since}.` : ', après des échecs répétés.'),
        'Plus aucun événement ne lui est envoyé. Corrigez le récepteur, puis réactivez le webhook et rejouez les ' +
        'livraisons manquées.',
      ],
      action: 'Voir les webhooks',
      footer: "Vous recevez ce message en tant que propriétaire ou administrateur de l'organisation.",
    };
  }
  return {
    subject: `Webhook disabled: ${host}`,
    greeting: 'Hello,',
    lines: [
      `The webhook of the organization "${organization}" to ${host} was disabled on ${disabledAt}` +
      (since ? `, after deliveries had kept failing since ${since}.` : ', after repeated failures.'),
      'No more events are sent to it. Fix the receiver, then enable the webhook again and replay the missed deliveries.',
    ],
    action: 'See the webhooks',
    footer: 'You receive this as an owner or admin of the organization.',
  };
}

function copy(kind: EmailKind, locale: Locale, p: EmailParams, deadline: string): Copy {
  if (kind === 'colleague_invitation') return colleagueCopy(locale, p, deadline);
  if (kind === 'webhook_disabled') return webhookDisabledCopy(locale, p, deadline);
  const company = (p.company ?? '').trim();
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
