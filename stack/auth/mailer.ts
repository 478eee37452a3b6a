// The stand-in's auth emails: GoTrue's default templates and link format, sent through shared/smtp.ts.
import { sendMail } from '../../shared/smtp.ts';
import type { AuthConfig } from './config.ts';

export type MailType = 'signup' | 'invite' | 'recovery' | 'magiclink' | 'email_change';

export interface MailRequest {
  type: MailType;
  to: string;
  token: string; // hashed token that goes into the link
  otp: string;
  redirectTo: string;
  newEmail?: string;
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

/** GoTrue's action link: the URL path resolved against API_EXTERNAL_URL, then token, type and redirect_to. */
export function actionLink(config: AuthConfig, type: MailType | string, token: string, redirectTo: string): string {
  const paths = config.mailer.urlPaths;
  const path = type === 'invite'
    ? paths.invite
    : type === 'recovery' || type === 'magiclink'
    ? paths.recovery
    : type.startsWith('email_change')
    ? paths.emailChange
    : paths.confirmation;
  const url = new URL(path, `${config.externalUrl}/`);
  url.search = `token=${encodeURIComponent(token)}&type=${encodeURIComponent(type)}&redirect_to=${
    encodeURIComponent(redirectTo)
  }`;
  return url.toString();
}

export async function sendAuthMail(config: AuthConfig, request: MailRequest): Promise<void> {
  if (!config.smtp.host) throw new Error('SMTP is not configured (GOTRUE_SMTP_HOST)');
  const link = actionLink(config, request.type, request.token, request.redirectTo);
  const site = config.siteUrl;
  const content: Record<MailType, { subject: string; title: string; lead: string; action: string }> = {
    signup: {
      subject: config.mailer.subjects.confirmation,
      title: 'Confirm your signup',
      lead: 'Follow this link to confirm your user:',
      action: 'Confirm your mail',
    },
    invite: {
      subject: config.mailer.subjects.invite,
      title: 'You have been invited',
      lead: `You have been invited to create a user on ${site}. Follow this link to accept the invite:`,
      action: 'Accept the invite',
    },
    recovery: {
      subject: config.mailer.subjects.recovery,
      title: 'Reset Password',
      lead: 'Follow this link to reset the password for your user:',
      action: 'Reset Password',
    },
    magiclink: {
      subject: config.mailer.subjects.magiclink,
      title: 'Magic Link',
      lead: 'Follow this link to login:',
      action: 'Log In',
    },
    email_change: {
      subject: config.mailer.subjects.emailChange,
      title: 'Confirm Change of Email',
      lead: `Follow this link to confirm the update of your email to ${request.newEmail ?? request.to}:`,
      action: 'Change Email',
    },
  };
  const c = content[request.type];
  const from = config.smtp.senderName
    ? `${config.smtp.senderName} <${config.smtp.adminEmail}>`
    : config.smtp.adminEmail;
  await sendMail(
    {
      host: config.smtp.host,
      port: config.smtp.port,
      user: config.smtp.user,
      pass: config.smtp.pass,
      timeoutMs: 10_000,
    },
    {
      from,
      to: request.to,
      subject: c.subject,
      text: `${c.title}\n\n${c.lead}\n${link}\n\nAlternatively, enter the code: ${request.otp}\n`,
      html: `<h2>${escapeHtml(c.title)}</h2>\n<p>${escapeHtml(c.lead)}</p>\n<p><a href="${escapeHtml(link)}">${
        escapeHtml(c.action)
      }</a></p>\n<p>Alternatively, enter the code: ${escapeHtml(request.otp)}</p>\n`,
    },
  );
}
