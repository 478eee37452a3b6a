-- A candidate's own data: public.my_data() returns, as one JSON document, everything the system holds about the
-- caller (account, profile, candidate row; each interview with what the inviting company typed about them, its time
-- zone, accommodation, privacy notice and acceptance, reveals, takes with their verification times, the ratings and
-- the decision about them (without who gave them), the audit trail of their sessions, and the emails sent to them,
-- never a token). The uploads function serves it as a download (GET /uploads/me) and erases the account on request
-- (DELETE /uploads/me) through the existing account-erasure path: private.prepare_own_account_erasure records the
-- deletion of every video of the caller (reason account_erasure), then the function deletes the auth user (whose
-- cascades remove profile, candidate row, sessions, takes and ratings) and the objects.
--
-- Only candidates erase their own account this way: a hiring manager's account owns campaigns other people work in
-- (an admin erases it, DELETE /uploads/users/{id}).
--
-- Errors a caller sees (SQLSTATE, message):
--   PT403 self_erasure_not_allowed   prepare_own_account_erasure by anyone but a candidate
--   42501                             anonymous callers

create function public.my_data()
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
       where e.session_id in (select s.id from public.interview_sessions s
                                join public.candidates ca on ca.id = s.candidate_id
                               where ca.user_id = auth.uid())), '[]'::jsonb)
  )
  where auth.uid() is not null
$$;

revoke all on function public.my_data() from public, anon;
grant execute on function public.my_data() to authenticated;

-- Candidate: records the deletion of every video of the caller's account (as prepare_account_erasure does for an
-- admin), before the uploads function deletes the auth user.
create function private.prepare_own_account_erasure()
returns setof public.video_deletions
language plpgsql
security definer
set search_path = ''
as $$
declare
  keys text[];
  prefixes text[];
begin
  if auth.uid() is null or private.current_user_role() is distinct from 'candidate' then
    raise exception using errcode = 'PT403', message = 'self_erasure_not_allowed',
      detail = 'Only a candidate erases their own account; staff accounts are erased by an admin.';
  end if;
  select
    coalesce((select array_agg(v.object_key) from public.video_responses v
                join public.interview_sessions s on s.id = v.session_id
                join public.candidates c on c.id = s.candidate_id
               where c.user_id = auth.uid() and v.video_deleted_at is null), '{}'),
    array(select format('campaigns/%s/sessions/%s/', s.campaign_id, s.id)
            from public.interview_sessions s join public.candidates c on c.id = s.candidate_id
           where c.user_id = auth.uid())
    into keys, prefixes;
  return query select * from private.log_video_deletions('account_erasure', keys, prefixes, null, null);
end
$$;

revoke all on function private.prepare_own_account_erasure() from public, anon;
grant execute on function private.prepare_own_account_erasure() to authenticated;
