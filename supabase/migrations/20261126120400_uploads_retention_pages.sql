-- The retention run pages through its backlog.
--
-- take_video_deletions returned the oldest p_limit unconfirmed deletions, and folders stay unconfirmed for 15 minutes
-- by design: with a backlog larger than one page, a run kept getting the same first page. It now takes p_after_id,
-- and the uploads function pages until the backlog is done (or its time budget is spent).

drop function public.take_video_deletions(integer);

-- Service role (retention run): records for deletion the videos of sessions that ended more than their campaign's
-- retention_days ago (ended = completed, expired or withdrawn; a session still open past its deadline counts from
-- the deadline), marks those takes video_deleted_at, then returns the deletions not yet confirmed, oldest first, after
-- p_after_id (the caller pages through a backlog larger than p_limit).
create function public.take_video_deletions(p_limit integer default 500, p_after_id bigint default 0)
returns setof public.video_deletions
language plpgsql
security definer
set search_path = ''
as $$
declare
  due record;
begin
  for due in
    select s.id as session_id, s.campaign_id,
           array_agg(v.object_key order by v.created_at) as keys
      from public.interview_sessions s
      join public.campaigns c on c.id = s.campaign_id
      join public.video_responses v on v.session_id = s.id and v.video_deleted_at is null
     where coalesce(s.completed_at, s.expired_at, s.withdrawn_at,
                    case when s.deadline < now() then s.deadline end)
           < now() - make_interval(days => c.retention_days)
     group by s.id, s.campaign_id
     limit greatest(p_limit, 1)
  loop
    update public.video_responses set video_deleted_at = now()
     where session_id = due.session_id and video_deleted_at is null;
    perform private.log_video_deletions('retention', due.keys,
      array[format('campaigns/%s/sessions/%s/', due.campaign_id, due.session_id)], due.session_id, due.campaign_id);
  end loop;
  return query
    select * from public.video_deletions d
     where d.deleted_at is null and d.id > p_after_id
     order by d.id
     limit greatest(p_limit, 1);
end
$$;

revoke all on function public.take_video_deletions(integer, bigint) from public, anon, authenticated;
grant execute on function public.take_video_deletions(integer, bigint) to service_role;
