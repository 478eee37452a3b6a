-- A candidate's own data, now with share links and without the team's notices (replaces public.my_data of
-- 20261203350000_own_data.sql; everything else it returns is unchanged):
--   - each interview lists the links the company made to it for outside reviewers (issue 14, item 7): mode, for
--     whom (the label), when made, expiry, revocation, when it was opened, and the ratings given through it;
--   - `emails` lists only the emails sent to the candidate (invitation, reminder, receipt): the team's completion
--     notices about their session (20261203510000_team_notifications.sql) carry other people's addresses.
-- Never a token: share links are listed without their hash.

create or replace function public.my_data()
returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
  select jsonb_build_object(
    'generated_at', now(),
    'account', (select jsonb_build_object('id', u.id, 'email', u.email, 'created_at', u.created_at,
                                          'last_sign_in_at', u.last_sign_in_at, 'email_confirmed_at',
                                          u.email_confirmed_at)
                  from auth.users u where u.id = auth.uid()),
    'profile', (select to_jsonb(p) from public.profiles p where p.id = auth.uid()),
    'candidate', (select to_jsonb(ca) from public.candidates ca where ca.user_id = auth.uid()),
    'interviews', coalesce((
      select jsonb_agg(jsonb_build_object(
        'session', to_jsonb(s) - 'email_attempts',
        'campaign', jsonb_build_object('id', c.id, 'title', c.title, 'organization', o.name),
        'privacy_notice', private.privacy_notice_of(c.id),
        'accommodation', private.session_accommodation_json(s.id),
        'reveals', coalesce((select jsonb_agg(jsonb_build_object('question_id', r.question_id, 'prompt', q.prompt,
                                                                  'revealed_at', r.revealed_at,
                                                                  'answer_opens_at', r.answer_opens_at,
                                                                  'answer_closes_at', r.answer_closes_at)
                                              order by r.revealed_at)
                               from public.question_reveals r join public.questions q on q.id = r.question_id
                              where r.session_id = s.id), '[]'::jsonb),
        'takes', coalesce((select jsonb_agg(jsonb_build_object('id', v.id, 'question_id', v.question_id,
                                                                'take_number', v.take_number, 'status', v.status,
                                                                'is_submitted', v.is_submitted,
                                                                'content_type', v.content_type,
                                                                'size_bytes', v.size_bytes,
                                                                'duration_seconds', v.duration_seconds,
                                                                'created_at', v.created_at,
                                                                'received_at', v.uploaded_at,
                                                                'submitted_at', v.submitted_at,
                                                                'video_deleted_at', v.video_deleted_at)
                                            order by v.question_id, v.take_number)
                             from public.video_responses v where v.session_id = s.id), '[]'::jsonb),
        'ratings', coalesce((select jsonb_agg(jsonb_build_object('response_id', e.response_id, 'score', e.score,
                                                                  'comment', e.comment, 'created_at', e.created_at,
                                                                  'updated_at', e.updated_at)
                                              order by e.created_at)
                               from public.evaluations e where e.session_id = s.id), '[]'::jsonb),
        'decision', (select jsonb_build_object('decision', d.decision, 'note', d.note, 'created_at', d.created_at,
                                               'updated_at', d.updated_at)
                       from public.session_decisions d where d.session_id = s.id),
        'share_links', coalesce((
          select jsonb_agg(jsonb_build_object(
                   'mode', sl.mode, 'shared_with', sl.label, 'created_at', sl.created_at,
                   'expires_at', sl.expires_at, 'revoked_at', sl.revoked_at,
                   'views', coalesce((select jsonb_agg(w.viewed_at order by w.viewed_at)
                                        from public.share_link_views w where w.share_link_id = sl.id), '[]'::jsonb),
                   'ratings', coalesce((select jsonb_agg(jsonb_build_object('response_id', r.response_id,
                                                                             'score', r.score, 'comment', r.comment,
                                                                             'created_at', r.created_at)
                                                         order by r.created_at)
                                          from public.share_link_ratings r where r.share_link_id = sl.id),
                                       '[]'::jsonb))
                 order by sl.created_at)
            from public.share_links sl where sl.session_id = s.id), '[]'::jsonb),
        'audit_trail', coalesce((select jsonb_agg(jsonb_build_object('action', a.action, 'details', a.details,
                                                                      'created_at', a.created_at) order by a.id)
                                   from public.audit_log a
                                  where a.entity = 'interview_session' and a.entity_id = s.id), '[]'::jsonb)
      ) order by s.invited_at)
        from public.interview_sessions s
        join public.candidates ca on ca.id = s.candidate_id
        join public.campaigns c on c.id = s.campaign_id
        join public.organizations o on o.id = c.organization_id
       where ca.user_id = auth.uid()), '[]'::jsonb),
    'emails', coalesce((
      select jsonb_agg(jsonb_build_object('kind', e.kind, 'session_id', e.session_id, 'locale', e.locale,
                                          'to_email', e.to_email, 'status', e.status, 'created_at', e.created_at,
                                          'sent_at', e.sent_at) order by e.created_at)
        from private.email_outbox e
       -- The emails sent to the candidate, not the team's notices about their session (other people's addresses).
       where e.kind in ('invitation', 'reminder', 'receipt')
         and e.session_id in (select s.id from public.interview_sessions s
                                join public.candidates ca on ca.id = s.candidate_id
                               where ca.user_id = auth.uid())), '[]'::jsonb)
  )
  where auth.uid() is not null
$$;

revoke all on function public.my_data() from public, anon;
grant execute on function public.my_data() to authenticated;
