// The emails of the outbox, in French and English: a candidate's invitation and reminder (campaign title, company,
// deadline in the candidate's time zone and in UTC, first name), a candidate's receipt (each verified answer), a
// colleague's invitation into an organization (organization, inviter, link expiry), the notice to an organization's
// admins that a failing webhook endpoint was disabled (organization, host, times), and the campaign team's
// notifications: an interview completed, and the daily digest of answers waiting for their rating.
// Rendered at send time from the outbox row's parameters and the link.

export type Locale = 'fr' | 'en';
export type EmailKind =
  | 'invitation'
  | 'reminder'
  | 'colleague_invitation'
  | 'receipt'
  | 'webhook_disabled'
  | 'completion_notice'
  | 'review_digest';

/** One campaign of a review digest: how many submitted answers wait for the recipient's rating. */
export interface DigestCampaign {
  campaign_id: string;
  title: string;
  pending: number;
}

/** One verified answer, as a receipt lists it (private.verified_answers). */
export interface ReceiptAnswer {
  position: number;
  prompt: string;
  is_practice?: boolean;
  take_number: number;
  duration_seconds: number | string | null;
  received_at: string | null;
}

export interface EmailParams {
  title?: string;
  company?: string;
  /** ISO timestamp of the session deadline (of the link's expiry, for a colleague invitation). */
  deadline: string;
  first_name?: string;
  /** Colleague invitations: the organization's name and who invites. */
  organization?: string;
  inviter?: string;
  /** The candidate's IANA time zone: dates are shown in it and in UTC. */
  time_zone?: string | null;
  /** Receipts: when the interview was completed, and the verified answers. */
  completed_at?: string | null;
  answers?: ReceiptAnswer[];
  /** webhook_disabled: the endpoint's host (never its path or query) and when its failures began. */
  endpoint_host?: string;
  failing_since?: string;
  /** Completion notices: the campaign, the candidate's name and how many answers were submitted. */
  campaign_id?: string;
  candidate_name?: string;
  answer_count?: number;
  /** Review digests: the answers waiting in all, and per campaign. */
  pending_total?: number;
  campaigns?: DigestCampaign[];
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

function formatIn(date: Date, locale: Locale, timeZone: string): string {
  return new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', {
    dateStyle: 'full',
    timeStyle: 'short',
    timeZone,
  }).format(date);
}

/**
 * A moment in words in the email's locale: in the candidate's time zone with the zone named, then in UTC, e.g.
 * "jeudi 3 décembre 2026 à 18:00 (Europe/Paris), soit jeudi 3 décembre 2026 à 17:00 UTC". Without a zone (or in UTC),
 * in UTC only. The zone has been checked when it was stored; one this runtime does not know falls back to UTC.
 */
export function formatDeadline(iso: string, locale: Locale, timeZone?: string | null): string {
  const date = new Date(iso);
  const utc = `${formatIn(date, locale, 'UTC')} UTC`;
  if (!timeZone || timeZone === 'UTC' || timeZone === 'Etc/UTC') return utc;
  let local: string;
  try {
    local = formatIn(date, locale, timeZone);
  } catch {
    return utc;
  }
  return locale === 'fr' ? `${local} (${timeZone}), soit ${utc}` : `${local} (${timeZone}), that is ${utc}`;
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

/** The lines of a receipt: one per verified answer (question, take, verified duration, time received). */
function receiptLines(locale: Locale, p: EmailParams): string[] {
  const answers = p.answers ?? [];
  if (answers.length === 0) {
    return [locale === 'fr' ? 'Aucune réponse vérifiée.' : 'No verified answer.'];
  }
  return answers.map((a) => {
    const seconds = a.duration_seconds === null || a.duration_seconds === undefined
      ? null
      : Math.round(Number(a.duration_seconds) * 10) / 10;
    const received = a.received_at ? formatDeadline(a.received_at, locale, p.time_zone) : '?';
    const practice = a.is_practice ? (locale === 'fr' ? ' (entraînement)' : ' (practice)') : '';
    if (locale === 'fr') {
      return `${a.position}. « ${a.prompt} »${practice} : prise ${a.take_number}` +
        (seconds === null ? '' : `, ${String(seconds).replace('.', ',')} s`) + `, reçue le ${received}`;
    }
    return `${a.position}. "${a.prompt}"${practice}: take ${a.take_number}` +
      (seconds === null ? '' : `, ${seconds} s`) + `, received ${received}`;
  });
}

function receiptCopy(locale: Locale, p: EmailParams): Copy {
  const company = (p.company ?? '').trim();
  const name = p.first_name?.trim();
  const completed = p.completed_at ? formatDeadline(p.completed_at, locale, p.time_zone) : null;
  if (locale === 'fr') {
    return {
      subject: `Accusé de réception : votre entretien vidéo « ${p.title} »`,
      greeting: name ? `Bonjour ${name},` : 'Bonjour,',
      lines: [
        `Votre entretien vidéo pour « ${p.title} »${company ? ` de ${company}` : ''} est terminé` +
        (completed ? ` (le ${completed}).` : '.'),
        'Voici les réponses que nous avons reçues et vérifiées (durée lue dans la vidéo enregistrée) :',
        ...receiptLines(locale, p),
      ],
      action: 'Voir mon entretien',
      footer: 'Gardez ce message : il atteste de la bonne réception de vos réponses.',
    };
  }
  return {
    subject: `Receipt: your video interview "${p.title}"`,
    greeting: name ? `Hello ${name},` : 'Hello,',
    lines: [
      `Your video interview for "${p.title}"${company ? ` at ${company}` : ''} is complete` +
      (completed ? ` (${completed}).` : '.'),
      'These are the answers we received and verified (duration read from the stored video):',
      ...receiptLines(locale, p),
    ],
    action: 'See my interview',
    footer: 'Keep this email: it confirms that your answers arrived.',
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

function completionCopy(locale: Locale, p: EmailParams, completed: string): Copy {
  const who = p.candidate_name?.trim() || (locale === 'fr' ? 'Un candidat' : 'A candidate');
  const count = p.answer_count ?? 0;
  if (locale === 'fr') {
    return {
      subject: `Entretien terminé : ${who} – ${p.title}`,
      greeting: 'Bonjour,',
      lines: [`${who} a terminé son entretien vidéo pour « ${p.title} » le ${completed} (${count} réponse(s)).`],
      action: "Voir l'entretien",
      footer: 'Vous recevez ce message car les notifications sont activées pour cette campagne.',
    };
  }
  return {
    subject: `Interview completed: ${who} – ${p.title}`,
    greeting: 'Hello,',
    lines: [`${who} completed their video interview for "${p.title}" on ${completed} (${count} answer(s)).`],
    action: 'See the interview',
    footer: 'You get this email because notifications are on for this campaign.',
  };
}

function digestCopy(locale: Locale, p: EmailParams): Copy {
  const name = p.first_name?.trim();
  const lines = (p.campaigns ?? []).map((c) =>
    locale === 'fr'
      ? `« ${c.title} » : ${c.pending} réponse(s) à évaluer`
      : `"${c.title}": ${c.pending} answer(s) to rate`
  );
  if (locale === 'fr') {
    return {
      subject: `${p.pending_total ?? 0} réponse(s) attendent votre évaluation`,
      greeting: name ? `Bonjour ${name},` : 'Bonjour,',
      lines: ['Voici ce qui attend votre évaluation :', ...lines],
      action: 'Évaluer',
      footer: 'Résumé quotidien des campagnes dont le résumé est activé.',
    };
  }
  return {
    subject: `${p.pending_total ?? 0} answer(s) wait for your rating`,
    greeting: name ? `Hello ${name},` : 'Hello,',
    lines: ['This is what waits for your rating:', ...lines],
    action: 'Start rating',
    footer: 'A daily digest of the campaigns with the digest on.',
  };
}

function copy(kind: EmailKind, locale: Locale, p: EmailParams, deadline: string): Copy {
  if (kind === 'colleague_invitation') return colleagueCopy(locale, p, deadline);
  if (kind === 'receipt') return receiptCopy(locale, p);
  if (kind === 'webhook_disabled') return webhookDisabledCopy(locale, p, deadline);
  if (kind === 'completion_notice') return completionCopy(locale, p, deadline);
  if (kind === 'review_digest') return digestCopy(locale, p);
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
  // A colleague invitation's expiry and the team's notifications have no candidate zone: UTC.
  const zone = ['colleague_invitation', 'completion_notice', 'review_digest'].includes(kind) ? null : params.time_zone;
  const c = copy(kind, locale, params, formatDeadline(params.deadline, locale, zone));
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
