import assert from 'node:assert/strict';
import { formatDeadline, renderEmail } from './templates.ts';

const params = { title: 'Data engineer', company: 'Acme', deadline: '2026-12-03T17:00:00Z', first_name: 'Ada' };
const link = 'https://app.example.com/activate?token=abc_DEF-123';

Deno.test('the French invitation names the campaign, company, deadline and link', () => {
  const mail = renderEmail('invitation', 'fr', params, link);
  assert.equal(mail.subject, 'Invitation à un entretien vidéo : Data engineer');
  assert.match(mail.text, /Bonjour Ada,/);
  assert.match(mail.text, /« Data engineer » de Acme/);
  assert.match(mail.text, /jeudi 3 décembre 2026 à 17:00 UTC/);
  assert.ok(mail.text.includes(link));
  assert.ok(mail.html.includes(`href="${link}"`));
});

Deno.test('the English invitation names the campaign, company, deadline and link', () => {
  const mail = renderEmail('invitation', 'en', params, link);
  assert.equal(mail.subject, 'Invitation to a video interview: Data engineer');
  assert.match(mail.text, /"Data engineer" at Acme/);
  assert.match(mail.text, /Thursday, 3 December 2026 at 17:00 UTC/);
  assert.ok(mail.text.includes(link));
});

Deno.test('reminders have their own wording in both languages', () => {
  assert.match(renderEmail('reminder', 'fr', params, link).subject, /^Rappel/);
  assert.match(renderEmail('reminder', 'en', params, link).subject, /^Reminder/);
});

Deno.test('HTML bodies escape campaign text', () => {
  const mail = renderEmail('invitation', 'en', { ...params, title: '<script>x</script>' }, link);
  assert.ok(!mail.html.includes('<script>'));
  assert.ok(mail.html.includes('&lt;script&gt;'));
});

Deno.test('deadlines are written in UTC', () => {
  assert.equal(formatDeadline('2026-01-01T00:30:00+02:00', 'en'), 'Wednesday, 31 December 2025 at 22:30 UTC');
});

Deno.test("the deadline is shown in the candidate's time zone and in UTC, in the email's locale", () => {
  assert.equal(
    formatDeadline('2026-12-03T17:00:00Z', 'fr', 'Europe/Paris'),
    'jeudi 3 décembre 2026 à 18:00 (Europe/Paris), soit jeudi 3 décembre 2026 à 17:00 UTC',
  );
  assert.equal(
    formatDeadline('2026-12-03T17:00:00Z', 'en', 'America/New_York'),
    'Thursday, 3 December 2026 at 12:00 (America/New_York), that is Thursday, 3 December 2026 at 17:00 UTC',
  );
  assert.equal(formatDeadline('2026-12-03T17:00:00Z', 'en', 'UTC'), 'Thursday, 3 December 2026 at 17:00 UTC');
  const mail = renderEmail('invitation', 'en', {
    title: 'Backend',
    company: 'Acme',
    deadline: '2026-12-03T17:00:00Z',
    time_zone: 'Asia/Tokyo',
  }, 'https://app.example.com/activate?token=x');
  assert.match(
    mail.text,
    /Friday, 4 December 2026 at 02:00 \(Asia\/Tokyo\), that is Thursday, 3 December 2026 at 17:00 UTC/,
  );
});

Deno.test('a receipt lists each verified answer: question, take, verified duration, time received', () => {
  const mail = renderEmail('receipt', 'en', {
    title: 'Backend',
    company: 'Acme',
    deadline: '2026-12-10T17:00:00Z',
    completed_at: '2026-12-03T10:05:00Z',
    time_zone: 'Europe/Paris',
    answers: [
      {
        position: 1,
        prompt: 'Why us?',
        take_number: 2,
        duration_seconds: '12.34',
        received_at: '2026-12-03T10:00:00Z',
      },
      { position: 2, prompt: 'A bug?', take_number: 1, duration_seconds: null, received_at: '2026-12-03T10:04:00Z' },
    ],
  }, 'https://app.example.com/interviews/s1');
  assert.equal(mail.subject, 'Receipt: your video interview "Backend"');
  assert.match(
    mail.text,
    /1\. "Why us\?": take 2, 12\.3 s, received Thursday, 3 December 2026 at 11:00 \(Europe\/Paris\)/,
  );
  assert.match(mail.text, /2\. "A bug\?": take 1, received /);
  const fr = renderEmail('receipt', 'fr', { title: 'Backend', deadline: '2026-12-10T17:00:00Z', answers: [] }, 'x');
  assert.match(fr.text, /Aucune réponse vérifiée/);
});

Deno.test('a disabled webhook is explained to the admins in both languages, with its host and times', () => {
  const disabled = {
    organization: 'Acme',
    endpoint_host: 'ats.example.com',
    failing_since: '2026-11-29T08:00:00Z',
    deadline: '2026-12-02T09:30:00Z',
  };
  const fr = renderEmail('webhook_disabled', 'fr', disabled, 'https://app.example.com/settings/webhooks');
  assert.equal(fr.subject, 'Webhook désactivé : ats.example.com');
  assert.match(fr.text, /« Acme » vers ats\.example\.com a été désactivé le mercredi 2 décembre 2026 à 09:30 UTC/);
  assert.match(fr.text, /depuis le dimanche 29 novembre 2026 à 08:00 UTC/);
  assert.ok(fr.text.includes('https://app.example.com/settings/webhooks'));
  const en = renderEmail('webhook_disabled', 'en', disabled, 'https://app.example.com/settings/webhooks');
  assert.equal(en.subject, 'Webhook disabled: ats.example.com');
  assert.match(en.text, /"Acme" to ats\.example\.com was disabled on Wednesday, 2 December 2026 at 09:30 UTC/);
});

Deno.test("the team's completion notice names the candidate, the campaign, when (UTC) and the answers", () => {
  const notice = { ...params, candidate_name: 'Ada Lovelace', answer_count: 3, time_zone: 'Europe/Paris' };
  const fr = renderEmail('completion_notice', 'fr', notice, 'https://app.example.com/campaigns/c/sessions/s');
  assert.equal(fr.subject, 'Entretien terminé : Ada Lovelace – Data engineer');
  assert.match(
    fr.text,
    /Ada Lovelace a terminé son entretien vidéo pour « Data engineer » le jeudi 3 décembre 2026 à 17:00 UTC \(3 réponse\(s\)\)/,
  );
  const en = renderEmail('completion_notice', 'en', notice, 'https://app.example.com/campaigns/c/sessions/s');
  assert.equal(en.subject, 'Interview completed: Ada Lovelace – Data engineer');
  assert.ok(en.text.includes('https://app.example.com/campaigns/c/sessions/s'));
});

Deno.test('the review digest lists each campaign with what waits, and the total in the subject', () => {
  const digest = {
    deadline: '2026-12-03T07:00:00Z',
    first_name: 'Olivia',
    pending_total: 5,
    campaigns: [{ campaign_id: 'a', title: 'Backend', pending: 2 }, { campaign_id: 'b', title: 'Sales', pending: 3 }],
  };
  const en = renderEmail('review_digest', 'en', digest, 'https://app.example.com/reviews');
  assert.equal(en.subject, '5 answer(s) wait for your rating');
  assert.match(en.text, /Hello Olivia,/);
  assert.match(en.text, /"Backend": 2 answer\(s\) to rate\n"Sales": 3 answer\(s\) to rate/);
  const fr = renderEmail('review_digest', 'fr', digest, 'https://app.example.com/reviews');
  assert.equal(fr.subject, '5 réponse(s) attendent votre évaluation');
  assert.match(fr.html, /« Backend » : 2 réponse\(s\) à évaluer/);
});
