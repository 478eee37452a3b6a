-- Every deleted take queues its video for deletion, whatever deleted it.
--
-- Owners may delete a session through PostgREST ("Owners can erase sessions"), admins may delete an account from the
-- dashboard, and campaigns cascade: each of those removes video_responses rows without going through the uploads
-- function, which would leave the videos in storage with nothing pointing at them. This trigger records the object of
-- every deleted take in public.video_deletions (reason `erasure`) unless a deletion of it is already recorded (the
-- uploads function records them before it deletes rows); the next retention run deletes it and confirms.

create function private.queue_deleted_take_video()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if old.video_deleted_at is null
     and not exists (select 1 from public.video_deletions d where d.object_key = old.object_key) then
    insert into public.video_deletions (object_key, reason, response_id, session_id, campaign_id, requested_by)
    values (old.object_key, 'erasure', old.id, old.session_id, old.campaign_id, auth.uid());
  end if;
  return null;
end
$$;

revoke all on function private.queue_deleted_take_video() from public;

create index video_deletions_object_key_idx on public.video_deletions (object_key);

create trigger video_responses_queue_video_deletion after delete on public.video_responses
  for each row execute function private.queue_deleted_take_video();
