-- Account erasure is prepared by the uploads function only.
--
-- public.prepare_account_erasure was reachable as a PostgREST RPC: an admin calling it directly would have queued the
-- account's videos for deletion (the next retention run deletes them) without the account itself being erased. It
-- moves to `private`, which PostgREST does not expose; the uploads function calls it as the admin (so the admin
-- check still reads the caller's own claims), then deletes the user through the Auth admin API.
-- (public.erase_session stays an RPC: called directly, it erases the rows at once and the queued objects go at the
-- next retention run, which is the same outcome a little later.)

drop function public.prepare_account_erasure(uuid);

create function private.prepare_account_erasure(p_user_id uuid)
returns setof public.video_deletions
language plpgsql
security definer
set search_path = ''
as $$
declare
  keys text[];
  prefixes text[];
begin
  if not private.is_admin() then
    raise exception using errcode = 'PT403', message = 'admin_required';
  end if;
  if not exists (select 1 from auth.users u where u.id = p_user_id) then
    raise exception using errcode = 'PT404', message = 'user_not_found';
  end if;
  if p_user_id = auth.uid() then
    raise exception using errcode = 'PT409', message = 'cannot_erase_self';
  end if;
  with sessions as (
    select s.id, s.campaign_id from public.interview_sessions s
      join public.candidates c on c.id = s.candidate_id
     where c.user_id = p_user_id
  ), campaigns as (
    select c.id from public.campaigns c where c.owner_id = p_user_id
  )
  select
    coalesce((select array_agg(v.object_key) from public.video_responses v
               where v.video_deleted_at is null
                 and (v.session_id in (select id from sessions) or v.campaign_id in (select id from campaigns))),
             '{}'),
    array(select format('campaigns/%s/sessions/%s/', s.campaign_id, s.id) from sessions s
           where s.campaign_id not in (select id from campaigns)
          union all
          select format('campaigns/%s/', c.id) from campaigns c)
    into keys, prefixes;
  return query select * from private.log_video_deletions('account_erasure', keys, prefixes, null, null);
end
$$;

revoke all on function private.prepare_account_erasure(uuid) from public;
grant execute on function private.prepare_account_erasure(uuid) to authenticated;
